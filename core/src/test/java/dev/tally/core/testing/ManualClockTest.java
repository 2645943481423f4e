/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class ManualClockTest
{
    @Test
    void shouldReadDefaultStartWhenCreatedWithoutArgument()
    {
        assertEquals(1_767_225_600_000_000L, new ManualClock().currentTimeMicros());
        assertEquals(ManualClock.DEFAULT_START_MICROS, new ManualClock().currentTimeMicros());
    }

    @Test
    void shouldMoveOnlyWhenTold()
    {
        final ManualClock clock = new ManualClock(1_000L);
        assertEquals(1_000L, clock.currentTimeMicros());
        assertEquals(1_000L, clock.currentTimeMicros());
        assertEquals(1_005L, clock.advanceMicros(5));
        assertEquals(1_005L, clock.currentTimeMicros());
        assertEquals(2_501_005L, clock.advance(Duration.ofMillis(2_500)));
        assertEquals(2_501_006L, clock.advance(Duration.ofNanos(1_999)));
        clock.setMicros(7L);
        assertEquals(7L, clock.currentTimeMicros());
    }

    @Test
    void shouldRejectAdvanceWhenDeltaIsNegativeOrOverflows()
    {
        final ManualClock clock = new ManualClock(10L);
        assertThrows(IllegalArgumentException.class, () -> clock.advanceMicros(-1));
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1_000)));
        clock.setMicros(Long.MAX_VALUE - 1);
        assertThrows(ArithmeticException.class, () -> clock.advanceMicros(2));
        assertEquals(Long.MAX_VALUE - 1, clock.currentTimeMicros());
    }

    @Test
    void shouldLoseNoAdvanceWhenThreadsAdvanceConcurrently() throws InterruptedException
    {
        final ManualClock clock = new ManualClock(0L);
        final int threads = 4;
        final int perThread = 20_000;
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final Thread worker = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++)
                {
                    clock.advanceMicros(1);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertEquals((long)threads * perThread, clock.currentTimeMicros());
    }
}
