/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import java.util.List;

/**
 * The outcome of {@link Database#transaction}: committed with the body's result, or not committed because something
 * it read changed. A conflict is an expected outcome, never an exception. Immutable.
 *
 * @param <T> the body's result type.
 */
public sealed interface TxResult<T> permits TxResult.Committed, TxResult.Conflicted
{
    /**
     * Whether the transaction committed.
     *
     * @return {@code true} for {@link Committed}.
     */
    boolean isCommitted();

    /**
     * The transaction's writes are visible and durable as the mode promises.
     *
     * @param value    the body's result.
     * @param position the log position of the commit frame, or -1 when the transaction wrote nothing.
     * @param <T>      the result type.
     */
    record Committed<T>(T value, long position) implements TxResult<T>
    {
        /** {@inheritDoc} */
        @Override
        public boolean isCommitted()
        {
            return true;
        }
    }

    /**
     * Nothing was written, because items the body read changed first.
     *
     * @param conflicts what was expected and what was found, at least one.
     * @param <T>       the result type.
     */
    record Conflicted<T>(List<Conflict> conflicts) implements TxResult<T>
    {
        /** {@inheritDoc} */
        @Override
        public boolean isCommitted()
        {
            return false;
        }
    }
}
