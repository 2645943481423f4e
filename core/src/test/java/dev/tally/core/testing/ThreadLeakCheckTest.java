/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: the leak check names a {@code tally-*} thread that outlives the grace period and passes once it ends. Method:
 * a thread of the engine's name prefix parked on a latch.
 */
@Timeout(30)
class ThreadLeakCheckTest
{
    @Test
    void shouldReportThreadWhenItOutlivesGraceAndNothingWhenItEnds() throws Exception
    {
        final Set<Thread> before = ThreadLeakCheck.tallyThreads();
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread = new Thread(() ->
        {
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, ThreadLeakCheck.THREAD_PREFIX + "leak-check-test");
        thread.start();
        try
        {
            assertEquals(List.of(thread), ThreadLeakCheck.newThreadsAfterGrace(before, 50));
        }
        finally
        {
            release.countDown();
        }
        assertTrue(ThreadLeakCheck.newThreadsAfterGrace(before, 5_000).isEmpty());
    }

    @Test
    void shouldIgnoreThreadWhenItWasAliveBefore() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread = new Thread(() ->
        {
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, ThreadLeakCheck.THREAD_PREFIX + "leak-check-before");
        thread.start();
        try
        {
            final Set<Thread> before = ThreadLeakCheck.tallyThreads();
            assertTrue(before.contains(thread));
            assertTrue(ThreadLeakCheck.newThreadsAfterGrace(before, 50).isEmpty());
        }
        finally
        {
            release.countDown();
            thread.join();
        }
    }
}
