/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.stores.internal.Fields;

import java.time.Instant;

/**
 * The input of {@link IdempotencyStore#begin}, the document's {@code BeginInput}. Checked when built, so a bad input
 * never reaches the store; {@code expiresAt} is cut to whole microseconds. Immutable; any thread.
 *
 * @param principal      who calls; 1 to {@link IdempotencyStore#FIELD_LENGTH_MAX} characters.
 * @param method         the called operation (the document's {@code GRPCMethod}); same bounds.
 * @param idempotencyKey the caller's idempotency key; same bounds.
 * @param requestHash    a fingerprint of the request, which every repeat of the key must match; same bounds.
 * @param expiresAt      when the record may be deleted once it is terminal; at or after the epoch, and after the
 *                       store's clock at the time of the call.
 */
public record BeginInput(String principal, String method, String idempotencyKey, String requestHash,
    Instant expiresAt)
{
    /**
     * Checks the input; any thread.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD} naming the
     *                                                 field.
     */
    public BeginInput
    {
        Fields.bounded("principal", principal, IdempotencyStore.FIELD_LENGTH_MAX);
        Fields.bounded("method", method, IdempotencyStore.FIELD_LENGTH_MAX);
        Fields.bounded("idempotencyKey", idempotencyKey, IdempotencyStore.FIELD_LENGTH_MAX);
        Fields.bounded("requestHash", requestHash, IdempotencyStore.FIELD_LENGTH_MAX);
        Fields.requiredObject("expiresAt", expiresAt);
        if (expiresAt.isBefore(Instant.EPOCH))
        {
            throw Fields.invalid("expiresAt", "before the epoch: value=" + expiresAt);
        }
        expiresAt = Fields.micros(expiresAt);
    }

    /**
     * The uniqueness key of this input.
     *
     * @return the key.
     */
    public RecordKey key()
    {
        return new RecordKey(principal, method, idempotencyKey);
    }
}
