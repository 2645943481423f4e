/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.internal;

import dev.tally.core.ConflictException;
import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.engine.Database;
import dev.tally.engine.TransactionBody;
import dev.tally.engine.TxResult;

/**
 * Runs a store call as one optimistic engine transaction on the store's namespace run, again while it conflicts. A
 * uniqueness check reads the key it protects (an absent key too), and the engine checks every read again at commit,
 * so of two contenders exactly one commits and the other re-reads and sees the winner. A conflict costs a re-read,
 * never a force: only the winner waits for its force.
 */
public final class Commits
{
    /** How many times a call is tried before it gives up with {@link ErrorCode#STORE_RETRIES_EXHAUSTED}. */
    public static final int ATTEMPTS_MAX = 10_000;

    private Commits()
    {
    }

    /**
     * Commits a body, retrying on conflict; any thread. The body must be free of side effects other than its
     * transaction's writes, because it may run several times.
     *
     * @param db        the database.
     * @param namespace the store's namespace run.
     * @param body      the work.
     * @param <T>       the result type.
     * @return the committed transaction (position -1 when the body wrote nothing).
     * @throws ConflictException with {@link ErrorCode#STORE_RETRIES_EXHAUSTED} after {@link #ATTEMPTS_MAX} conflicts.
     */
    public static <T> TxResult.Committed<T> commit(final Database db, final RunId namespace,
        final TransactionBody<T> body)
    {
        for (int attempt = 1; attempt <= ATTEMPTS_MAX; attempt++)
        {
            final TxResult<T> result = db.transaction(namespace, body);
            if (result instanceof TxResult.Committed<T> committed)
            {
                return committed;
            }
            if ((attempt & 63) == 0)
            {
                Thread.yield();
            }
        }
        throw new ConflictException(ErrorCode.STORE_RETRIES_EXHAUSTED,
            "a store call conflicted on every attempt: attempts=" + ATTEMPTS_MAX + ", namespace=" + namespace);
    }
}
