/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.pipeline.WriterObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the writer observer sees every force (frames, bytes, latency) and every segment roll, and agrees with stats().
 * Method: Strict writes of values large enough to fill several 64 KiB segments, then the observer's sums against the
 * counters and the rolls against the log positions. No randomness, nothing to replay.
 */
@Timeout(60)
class WriterObserverTest
{
    private static final int SEGMENT = 64 << 10;

    /** Records on the writer thread; read by the test thread under the same lock. */
    private static final class Recording implements WriterObserver
    {
        private final List<long[]> forces = new ArrayList<>();
        private final List<Long> rolls = new ArrayList<>();

        @Override
        public synchronized void onForce(final int frames, final long bytes, final long forceNanos)
        {
            forces.add(new long[] {frames, bytes, forceNanos});
        }

        @Override
        public synchronized void onSegmentRoll(final long segmentBasePosition)
        {
            rolls.add(segmentBasePosition);
        }

        synchronized long sum(final int field)
        {
            return forces.stream().mapToLong(f -> f[field]).sum();
        }

        synchronized long max(final int field)
        {
            return forces.stream().mapToLong(f -> f[field]).max().orElse(0);
        }

        synchronized int forceCount()
        {
            return forces.size();
        }

        synchronized List<Long> rolls()
        {
            return List.copyOf(rolls);
        }
    }

    @Test
    void shouldSeeEveryForceAndSegmentRollWhenStrictWritesFillSegments(@TempDir final Path dir)
    {
        final Recording observer = new Recording();
        final RunId run = RunId.of(7, 1);
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).segmentLength(SEGMENT)
            .writerObserver(observer).open())
        {
            final long start = db.stats().durablePosition();
            db.beginRun(run);
            for (int i = 0; i < 120; i++)
            {
                db.kv().put(run, "k" + i, Value.of(new byte[2000]));
            }
            final DatabaseStats stats = db.stats();

            assertTrue(stats.forces() >= 121, "one force per Strict write at least: " + stats.forces());
            assertEquals(stats.forces(), observer.forceCount(), "one call per force");
            assertEquals(stats.appends(), observer.sum(0), "every appended frame in exactly one force");
            assertEquals(stats.bytesWritten(), observer.sum(1), "every appended byte in exactly one force");
            assertEquals(stats.forceNsMax(), observer.max(2), "the longest force observed is the counters' longest");

            final List<Long> rolls = observer.rolls();
            assertTrue(stats.bytesWritten() > 3L * SEGMENT, "the writes span several segments");
            assertEquals(stats.segmentRolls(), rolls.size());
            assertTrue(rolls.size() >= 3, "rolls: " + rolls);
            for (int i = 0; i < rolls.size(); i++)
            {
                assertEquals((start / SEGMENT + 1 + i) * SEGMENT, rolls.get(i), "the rolls are consecutive segments");
            }
            final long last = rolls.get(rolls.size() - 1);
            assertTrue(last < stats.durablePosition() && stats.durablePosition() <= last + SEGMENT,
                "the log ends in the last segment rolled into: " + stats.durablePosition());
        }
    }

    @Test
    void shouldSeeEveryFrameOnceWhenBufferedForcesRunInTheBackground(@TempDir final Path dir) throws Exception
    {
        final Recording observer = new Recording();
        final RunId run = RunId.of(7, 3);
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.BUFFERED).flushIntervalMs(2)
            .writerObserver(observer).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 200; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
                if (i % 50 == 0)
                {
                    Thread.sleep(5); // lets the timer force in the background now and then
                }
            }
            db.flush();
            // A background force that started before the flush may still be reporting: wait until the counts meet.
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (observer.forceCount() != db.stats().forces() && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            final DatabaseStats stats = db.stats();
            assertEquals(stats.forces(), observer.forceCount(), "one call per force, background ones included");
            assertEquals(stats.appends(), observer.sum(0), "every appended frame counted once");
            assertEquals(stats.bytesWritten(), observer.sum(1), "every appended byte counted once");
        }
    }

    @Test
    void shouldKeepWritingWhenTheObserverThrows(@TempDir final Path dir)
    {
        final int[] calls = new int[1];
        final WriterObserver failing = new WriterObserver()
        {
            @Override
            public void onForce(final int frames, final long bytes, final long forceNanos)
            {
                calls[0]++;
                throw new IllegalStateException("observer broke");
            }
        };
        final RunId run = RunId.of(7, 2);
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).writerObserver(failing)
            .open())
        {
            db.beginRun(run);
            for (int i = 0; i < 10; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
            }
            assertEquals(Value.of(9), db.kv().get(run, "k9").orElseThrow());
            assertEquals(0, db.stats().durableLagBytes(), "every write was made durable");
        }
        assertTrue(calls[0] >= 11, "the observer was still called after it threw: " + calls[0]);
    }
}
