/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

/**
 * The outcome of a compare-and-set: the new version, or a conflict carrying the version expected and the one found.
 * A conflict is an expected outcome, never an exception. Immutable.
 */
public sealed interface CasResult permits CasResult.Success, CasResult.Conflict
{
    /**
     * Whether the value was set.
     *
     * @return {@code true} for {@link Success}.
     */
    boolean isSuccess();

    /**
     * The cell now has the new value.
     *
     * @param newVersion the cell's version after the set.
     */
    record Success(long newVersion) implements CasResult
    {
        /** {@inheritDoc} */
        @Override
        public boolean isSuccess()
        {
            return true;
        }
    }

    /**
     * Nothing was written: the cell had another version.
     *
     * @param expectedVersion the version the caller expected.
     * @param actualVersion   the version the cell has.
     */
    record Conflict(long expectedVersion, long actualVersion) implements CasResult
    {
        /** {@inheritDoc} */
        @Override
        public boolean isSuccess()
        {
            return false;
        }
    }
}
