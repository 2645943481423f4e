/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.stores.internal.Fields;

/**
 * The uniqueness key of an idempotency record, the document's {@code (principal, grpc_method, idempotency_key)}.
 * Immutable; any thread.
 *
 * @param principal      who calls, for example an authenticated account id; 1 to
 *                       {@link IdempotencyStore#FIELD_LENGTH_MAX} characters.
 * @param method         the called operation, for example the full gRPC method name; same bounds.
 * @param idempotencyKey the caller's idempotency key; same bounds.
 */
public record RecordKey(String principal, String method, String idempotencyKey)
{
    /**
     * Checks the key; any thread.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD} naming the
     *                                                 field.
     */
    public RecordKey
    {
        Fields.bounded("principal", principal, IdempotencyStore.FIELD_LENGTH_MAX);
        Fields.bounded("method", method, IdempotencyStore.FIELD_LENGTH_MAX);
        Fields.bounded("idempotencyKey", idempotencyKey, IdempotencyStore.FIELD_LENGTH_MAX);
    }
}
