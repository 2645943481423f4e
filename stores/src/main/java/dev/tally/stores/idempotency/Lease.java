/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.stores.internal.Fields;

import java.time.Instant;

/**
 * The right to finish one attempt of an operation, handed out by {@link IdempotencyStore#begin} (EXECUTE) and
 * {@link IdempotencyStore#reacquire}. It is current while the record is {@code IN_PROGRESS} with exactly this
 * {@code updatedAt} (the document's lease token) and this fencing token; a takeover or a retry raises the fencing
 * token, so an older lease can never finish a newer attempt. Immutable; any thread.
 *
 * @param key          the record's key.
 * @param updatedAt    the lease token, cut to whole microseconds (UTC, as {@link Instant} always is).
 * @param fencingToken the attempt number of the record: 1 for the first attempt, one more for every takeover or
 *                     reacquire.
 */
public record Lease(RecordKey key, Instant updatedAt, long fencingToken)
{
    /**
     * Checks the lease and normalises its token; any thread.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public Lease
    {
        Fields.requiredObject("key", key);
        updatedAt = Fields.micros(Fields.requiredObject("updatedAt", updatedAt));
        Fields.positive("fencingToken", fencingToken);
    }
}
