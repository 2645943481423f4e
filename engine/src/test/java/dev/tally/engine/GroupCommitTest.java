/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit in Strict mode: many threads committing at once share forces, and no commit returns before a force
 * covered its frame. The log writer is wrapped so the test sees every force and the durable position it reached.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupCommitTest
{
    private static final int THREADS = 8;
    private static final int APPENDS_PER_THREAD = 10_000;

    @Test
    void shouldShareForcesAndCoverEveryCommitWhenEightThreadsAppendInStrictMode(@TempDir final Path dir)
        throws Exception
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        final RunId run = RunId.of(1, 1);
        final long started = System.nanoTime();
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT)
            .segmentLength(16 << 20)
            .logWriterWrapper(w ->
            {
                final EngineTesting.InstrumentedLog log = new EngineTesting.InstrumentedLog(w);
                logRef.set(log);
                return log;
            })
            .open())
        {
            final EngineTesting.InstrumentedLog log = logRef.get();
            assertNotNull(log, "the wrapper was applied");
            db.beginRun(run);
            final long forcesBefore = log.forces();
            final long appendsBefore = log.appends();
            final CountDownLatch start = new CountDownLatch(1);
            final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try
            {
                final List<Future<Long>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++)
                {
                    final int thread = t;
                    results.add(pool.submit(() ->
                    {
                        start.await();
                        long lastPosition = -1;
                        for (int i = 0; i < APPENDS_PER_THREAD; i++)
                        {
                            final String key = "t" + thread + "/" + i;
                            final long n = i;
                            final TxResult<Void> result = db.transaction(run, tx ->
                            {
                                tx.put(key, Value.of(n));
                                return null;
                            });
                            final long position = ((TxResult.Committed<Void>)result).position();
                            final long durable = log.forcedDurableMax();
                            if (durable <= position)
                            {
                                throw new AssertionError("commit returned before a force covered it: thread="
                                    + thread + ", i=" + i + ", position=" + position + ", forcedDurable=" + durable);
                            }
                            if (position <= lastPosition)
                            {
                                throw new AssertionError("positions of one thread must increase: " + position
                                    + " after " + lastPosition);
                            }
                            lastPosition = position;
                        }
                        return lastPosition;
                    }));
                }
                start.countDown();
                for (final Future<Long> result : results)
                {
                    result.get(110, TimeUnit.SECONDS);
                }
            }
            finally
            {
                pool.shutdownNow();
            }
            final long appends = log.appends() - appendsBefore;
            final long forces = log.forces() - forcesBefore;
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("group commit: appends=" + appends + ", forces=" + forces + ", batchFramesMax="
                + db.stats().batchFramesMax() + ", elapsedMs=" + elapsedMs);
            assertEquals((long)THREADS * APPENDS_PER_THREAD, appends, "one frame per commit");
            assertTrue(forces <= appends / 2, "forces must be shared: forces=" + forces + ", appends=" + appends);
            assertEquals(0, log.failedForces());
            assertTrue(db.durablePosition() >= log.appendedEnd(), "everything appended is durable");
            assertEquals(Optional.of(Value.of(APPENDS_PER_THREAD - 1)),
                db.kv().get(run, "t7/" + (APPENDS_PER_THREAD - 1)));
        }
        try (Database db = Database.builder().directory(dir).open())
        {
            assertEquals(THREADS * APPENDS_PER_THREAD, db.kv().list(run, "t").size(), "every commit survives reopen");
        }
    }
}
