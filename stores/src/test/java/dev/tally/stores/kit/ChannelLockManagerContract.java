/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.stores.payments.ChannelLockManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime lock contract of every {@link ChannelLockManager}: one function per key at a time, released when the
 * function throws (the exception propagating unchanged), different keys in parallel, and no waiter starved.
 *
 * <p>Goal: a lock manager that passes serialises the work of one channel and only that. Method: 32 threads contend
 * for one key while a counter measures how many hold it at once; latches prove that another key runs while one is
 * held and that a throwing function releases its key. Nothing is seeded: the contention comes from the threads.
 */
public abstract class ChannelLockManagerContract
{
    private static final int THREADS = 32;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    /**
     * A lock manager under test, fresh for each test.
     *
     * @return the lock manager.
     */
    protected abstract ChannelLockManager create();

    /** Stops the test's threads. */
    @AfterEach
    void stopThreads()
    {
        pool.shutdownNow();
    }

    @Test
    @Timeout(60)
    @DisplayName("Runtime lock: one function per key at a time under 32 threads")
    void shouldRunOneFunctionAtATimeWhenThreadsShareAKey() throws Exception
    {
        final ChannelLockManager locks = create();
        final AtomicInteger holders = new AtomicInteger();
        final AtomicInteger holdersMax = new AtomicInteger();
        final long[] unguarded = new long[1];
        final int rounds = 200;
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            done.add(pool.submit(() ->
            {
                start.await(30, TimeUnit.SECONDS);
                for (int i = 0; i < rounds; i++)
                {
                    locks.runExclusive("channel-1", () ->
                    {
                        holdersMax.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        final long seen = unguarded[0];
                        Thread.onSpinWait();
                        unguarded[0] = seen + 1;
                        holders.decrementAndGet();
                        return null;
                    });
                }
                return null;
            }));
        }
        for (final Future<?> f : done)
        {
            f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(1, holdersMax.get(), "two functions held one key at once");
        assertEquals((long)THREADS * rounds, unguarded[0], "an increment under the lock was lost");
    }

    @Test
    @Timeout(30)
    @DisplayName("Runtime lock: the function's result is returned and its exception propagates unchanged")
    void shouldPropagateExceptionWhenFunctionThrows()
    {
        final ChannelLockManager locks = create();
        assertEquals("result", locks.runExclusive("channel-1", () -> "result"));
        final IllegalStateException thrown = new IllegalStateException("handler failed");
        final IllegalStateException caught = assertThrows(IllegalStateException.class,
            () -> locks.runExclusive("channel-1", () ->
            {
                throw thrown;
            }));
        assertSame(thrown, caught);
    }

    @Test
    @Timeout(30)
    @DisplayName("Runtime lock: a function that throws releases its key for another thread")
    void shouldReleaseKeyWhenFunctionThrows() throws Exception
    {
        final ChannelLockManager locks = create();
        assertThrows(IllegalStateException.class, () -> locks.runExclusive("channel-1", () ->
        {
            throw new IllegalStateException("handler failed");
        }));
        final Future<String> other = pool.submit(() -> locks.runExclusive("channel-1", () -> "next"));
        assertEquals("next", other.get(10, TimeUnit.SECONDS), "the key stayed locked after the function threw");
    }

    @Test
    @Timeout(30)
    @DisplayName("Runtime lock: functions under different keys run in parallel")
    void shouldRunInParallelWhenKeysDiffer() throws Exception
    {
        final ChannelLockManager locks = create();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Future<Boolean> holder = pool.submit(() -> locks.runExclusive("channel-1", () ->
        {
            held.countDown();
            try
            {
                return release.await(20, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        assertTrue(held.await(10, TimeUnit.SECONDS));
        final Future<String> other = pool.submit(() -> locks.runExclusive("channel-2", () -> "ran"));
        assertEquals("ran", other.get(10, TimeUnit.SECONDS), "another key waited for channel-1");
        final Future<String> same = pool.submit(() -> locks.runExclusive("channel-1", () -> "after"));
        Thread.sleep(100);
        assertFalse(same.isDone(), "the same key ran while held");
        release.countDown();
        assertTrue(holder.get(10, TimeUnit.SECONDS));
        assertEquals("after", same.get(10, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(60)
    @DisplayName("Runtime lock: no waiter is starved under 32 threads contending for one key")
    void shouldServeEveryWaiterWhenContended() throws Exception
    {
        final ChannelLockManager locks = create();
        final AtomicLong[] acquired = new AtomicLong[THREADS];
        final AtomicInteger stop = new AtomicInteger();
        final CountDownLatch everyone = new CountDownLatch(THREADS);
        final List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            final AtomicLong mine = new AtomicLong();
            acquired[t] = mine;
            done.add(pool.submit(() ->
            {
                boolean counted = false;
                while (stop.get() == 0)
                {
                    locks.runExclusive("channel-1", () ->
                    {
                        mine.incrementAndGet();
                        final long until = System.nanoTime() + 20_000;
                        while (System.nanoTime() < until)
                        {
                            Thread.onSpinWait();
                        }
                        return null;
                    });
                    if (!counted)
                    {
                        counted = true;
                        everyone.countDown();
                    }
                }
                return null;
            }));
        }
        final boolean allServed = everyone.await(30, TimeUnit.SECONDS);
        stop.set(1);
        for (final Future<?> f : done)
        {
            f.get(30, TimeUnit.SECONDS);
        }
        for (int t = 0; t < THREADS; t++)
        {
            assertTrue(acquired[t].get() > 0, "thread " + t + " never got the lock");
        }
        assertTrue(allServed);
    }
}
