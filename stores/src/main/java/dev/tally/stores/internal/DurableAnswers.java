/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.internal;

import dev.tally.engine.Database;

/**
 * The one rule every embedded store follows before it answers: what it read must be durable. The engine makes a
 * commit visible just before its force, so a reader can see a record whose force is still pending (and may fail);
 * answering from it could hand out a replayed response, a duplicate's original {@code runSeq} or a cached payment
 * result that a crash then takes back.
 */
public final class DurableAnswers
{
    private DurableAnswers()
    {
    }

    /**
     * Waits until everything visible when the call is made is durable; any thread that holds no engine lock. Call it
     * after the read whose result is about to be returned. Costs nothing when no force is pending; in Strict mode it
     * waits for at most the force in flight, and in InMemory mode it returns at once.
     *
     * @param db the database.
     * @throws dev.tally.core.StorageException with {@code LOG_FAILED} when the pending force fails, in which case the
     *                                         read must not be answered.
     */
    public static void awaitRead(final Database db)
    {
        db.awaitDurable(db.visiblePosition());
    }
}
