/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

/**
 * What a commit checks and returns, run by {@link Engine#commit} under the commit lock. Implementations must be quick
 * and must not call back into the engine's write methods.
 *
 * @param <T> the result type.
 */
@FunctionalInterface
public interface CommitAction<T>
{
    /**
     * Checks preconditions against the current state before anything is written. A non-null result rejects the commit
     * (for example a compare-and-set conflict) and is returned to the caller as is; throwing also writes nothing.
     *
     * @return {@code null} to go on, or the rejection.
     */
    default T check()
    {
        return null;
    }

    /**
     * Builds the result once the entries are applied (still under the lock, before the durability wait).
     *
     * @param position the log position of the commit's frame (a counter in InMemory mode).
     * @return the result.
     */
    T applied(long position);
}
