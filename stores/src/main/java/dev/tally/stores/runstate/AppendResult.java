/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

/**
 * What an append assigned, or found (v2 section 2 and 3.2): for a new event {@code persisted = true} and
 * {@code idempotent = false}; for a duplicate {@code (runId, idempotencyKey)} the original event's id, position and
 * time with {@code idempotent = true} and {@code persisted = false}. Immutable; any thread.
 *
 * @param eventId     the id of the event now stored under the key (the original one for a duplicate).
 * @param runSeq      its position in the run.
 * @param persistedAt its commit time, RFC 3339 UTC with six fraction digits.
 * @param idempotent  whether the key was already stored (or earlier in the same batch).
 * @param persisted   whether this call stored a new event.
 */
public record AppendResult(String eventId, long runSeq, String persistedAt, boolean idempotent, boolean persisted)
{
    /**
     * The result of a new event; any thread.
     *
     * @param record the stored record.
     * @return the result.
     */
    public static AppendResult persisted(final RunEventRecord record)
    {
        return new AppendResult(record.eventId(), record.runSeq(), record.persistedAt(), false, true);
    }

    /**
     * The result of a duplicate; any thread.
     *
     * @param original the stored original.
     * @return the result.
     */
    public static AppendResult duplicate(final RunEventRecord original)
    {
        return new AppendResult(original.eventId(), original.runSeq(), original.persistedAt(), true, false);
    }
}
