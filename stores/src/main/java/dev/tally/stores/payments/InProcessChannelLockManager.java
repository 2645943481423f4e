/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link ChannelLockManager} for one process: a fair lock per key, created on first use and dropped when its last
 * holder or waiter leaves, so memory does not grow with the number of keys ever locked. Re-entrant on one thread.
 * Thread-safe; any thread.
 *
 * <p>Design note: each key's entry counts the threads holding or waiting for it; the count changes only inside the
 * map's atomic {@code compute}, so an entry is never removed while a thread is about to lock it.
 */
public final class InProcessChannelLockManager implements ChannelLockManager
{
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** {@inheritDoc} */
    @Override
    public <T> T runExclusive(final String key, final Supplier<T> fn)
    {
        if (key == null || key.isEmpty())
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "lock key must be non-empty");
        }
        if (fn == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "function is null: key=" + key);
        }
        final Entry entry = entries.compute(key, (k, e) ->
        {
            final Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        try
        {
            entry.lock.lock();
            try
            {
                return fn.get();
            }
            finally
            {
                entry.lock.unlock();
            }
        }
        finally
        {
            entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
        }
    }

    /**
     * How many keys have an entry now (held or waited for); for tests, any thread.
     *
     * @return the count.
     */
    public int keyCount()
    {
        return entries.size();
    }

    /** One key's lock and its count of holders and waiters, changed only inside the map's compute. */
    private static final class Entry
    {
        private final ReentrantLock lock = new ReentrantLock(true);
        private int users;
    }
}
