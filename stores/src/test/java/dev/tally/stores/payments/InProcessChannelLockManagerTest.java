/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.core.InvalidArgumentException;
import dev.tally.stores.kit.ChannelLockManagerContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The runtime lock contract against {@link InProcessChannelLockManager}, plus its own promise: no memory per key once
 * the key is released. Goal and method as in {@link ChannelLockManagerContract}; nothing is seeded.
 */
class InProcessChannelLockManagerTest extends ChannelLockManagerContract
{
    /** {@inheritDoc} */
    @Override
    protected ChannelLockManager create()
    {
        return new InProcessChannelLockManager();
    }

    @Test
    @Timeout(60)
    @DisplayName("Runtime lock: no memory is kept per key after release, also after a throw")
    void shouldKeepNoEntryWhenKeysAreReleased() throws Exception
    {
        final InProcessChannelLockManager locks = new InProcessChannelLockManager();
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try
        {
            final Future<?>[] done = new Future<?>[8];
            for (int t = 0; t < done.length; t++)
            {
                final int thread = t;
                done[t] = pool.submit(() ->
                {
                    for (int i = 0; i < 10_000; i++)
                    {
                        final String key = "channel-" + (i % 64) + "-" + (thread % 2);
                        locks.runExclusive(key, () -> null);
                    }
                });
            }
            for (final Future<?> f : done)
            {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertThrows(IllegalStateException.class, () -> locks.runExclusive("thrown", () ->
        {
            throw new IllegalStateException("fails");
        }));
        assertEquals(0, locks.keyCount());
    }

    @Test
    @Timeout(30)
    @DisplayName("Runtime lock: the lock is re-entrant on one thread and refuses an empty key")
    void shouldReenterWhenSameThreadLocksTwice()
    {
        final InProcessChannelLockManager locks = new InProcessChannelLockManager();
        assertEquals("inner", locks.runExclusive("channel-1", () -> locks.runExclusive("channel-1", () -> "inner")));
        assertThrows(InvalidArgumentException.class, () -> locks.runExclusive("", () -> null));
        assertEquals(0, locks.keyCount());
    }
}
