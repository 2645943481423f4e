/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each durability mode promises: InMemory touches no file and keeps nothing; Buffered is durable once flush()
 * returns and is forced by its timer without further writes; Strict returns from no write before a force covered its
 * frame. The log writer is wrapped to see every force and the durable position it reached.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurabilityModeTest
{
    private final RunId run = RunId.of(3, 3);
    private static Database open(final Path dir, final DurabilityMode mode, final long flushIntervalMs,
        final AtomicReference<EngineTesting.InstrumentedLog> logRef)
    {
        return Database.builder().directory(dir).durability(mode).flushIntervalMs(flushIntervalMs)
            .logWriterWrapper(w ->
            {
                final EngineTesting.InstrumentedLog log = new EngineTesting.InstrumentedLog(w);
                logRef.set(log);
                return log;
            })
            .open();
    }

    private static long fileCount(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.count();
        }
    }

    @Test
    void shouldCreateNoFilesAndKeepNothingWhenInMemory(@TempDir final Path dir) throws IOException
    {
        try (Database db = Database.builder().durability(DurabilityMode.IN_MEMORY).directory(dir).open())
        {
            db.beginRun(run);
            db.kv().put(run, "k", Value.of(1));
            db.events().append(run, "e", Value.of(2));
            db.state().set(run, "c", Value.of(3));
            db.flush();
            assertEquals(Optional.of(Value.of(1)), db.kv().get(run, "k"), "visible at once");
            assertEquals(0, db.durablePosition(), "nothing is ever durable in memory");
            assertEquals(0, db.stats().appends(), "no log");
            assertEquals(DurabilityMode.IN_MEMORY, db.durabilityMode());
            assertEquals(0, fileCount(dir), "an InMemory database writes no file, even when given a directory");
        }
        assertEquals(0, fileCount(dir));
        try (Database db = Database.openInMemory())
        {
            assertEquals(RunStatus.NOT_FOUND, db.runStatus(run), "nothing survives an InMemory database");
        }
    }

    @Test
    void shouldBeDurableWhenFlushReturnsInBufferedMode(@TempDir final Path dir)
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        final String hash;
        // an hour-long interval: only flush() forces
        try (Database db = open(dir, DurabilityMode.BUFFERED, 3_600_000, logRef))
        {
            final EngineTesting.InstrumentedLog log = logRef.get();
            db.beginRun(run);
            for (int i = 0; i < 50; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
            }
            assertEquals(0, log.forces(), "Buffered writes return without a force");
            assertTrue(db.stats().durableLagBytes() > 0, "written but not yet durable");
            db.flush();
            assertTrue(log.forces() >= 1);
            assertTrue(log.forcedDurableMax() >= log.appendedEnd(), "flush returned before a force covered the writes");
            assertTrue(db.durablePosition() >= log.appendedEnd());
            assertEquals(0, db.stats().durableLagBytes());
            hash = db.stateHash();
        }
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.BUFFERED).open())
        {
            assertEquals(Optional.of(Value.of(49)), db.kv().get(run, "k49"));
            assertEquals(hash, db.stateHash());
        }
    }

    @Test
    void shouldReturnBeforeTheForceWhenBufferedWritesAreSlowToForce(@TempDir final Path dir)
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        try (Database db = open(dir, DurabilityMode.BUFFERED, 20, logRef))
        {
            final EngineTesting.InstrumentedLog log = logRef.get();
            db.beginRun(run);
            db.flush();
            log.forceDelayMs(500);
            final long started = System.nanoTime();
            final long position = committedPosition(db.transaction(run, tx ->
            {
                tx.put("k", Value.of(1));
                return null;
            }));
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(db.durablePosition() <= position, "a Buffered write does not wait for its force");
            assertTrue(tookMs < 400, "a Buffered write does not wait for its force: tookMs=" + tookMs);
            assertEquals(Optional.of(Value.of(1)), db.kv().get(run, "k"), "visible at once");
        }
    }

    @Test
    void shouldForceOnTheTimerWithoutFurtherWritesInBufferedMode(@TempDir final Path dir)
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        final long intervalMs = 50;
        try (Database db = open(dir, DurabilityMode.BUFFERED, intervalMs, logRef))
        {
            final EngineTesting.InstrumentedLog log = logRef.get();
            db.beginRun(run);
            db.flush();
            // a write long after the last force is forced at once, at the end of its batch; one soon after a force
            // waits for the timer. Write until one returns not yet durable, then write nothing more and watch.
            long position = -1;
            long forcesBefore = 0;
            for (int attempt = 0; attempt < 100 && position < 0; attempt++)
            {
                forcesBefore = log.forces();
                final long p = committedPosition(db.transaction(run, tx ->
                {
                    tx.put("k", Value.of(1));
                    return null;
                }));
                if (db.durablePosition() <= p)
                {
                    position = p;
                }
            }
            assertTrue(position >= 0, "no write found still waiting for the timer");
            final long written = position;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (db.durablePosition() <= written && System.nanoTime() < deadline)
            {
                EngineTesting.sleep(5);
            }
            assertTrue(db.durablePosition() > written, "the timer forced the write: durable=" + db.durablePosition()
                + ", position=" + written);
            assertTrue(log.forces() > forcesBefore, "a force happened");
            assertTrue(log.forcedDurableMax() > written);
            assertEquals(log.appendedEnd(), db.durablePosition(), "nothing else was written");
            final long forcesAfter = log.forces();
            EngineTesting.sleep(4 * intervalMs);
            assertEquals(forcesAfter, log.forces(), "an idle log with nothing unforced is not forced again");
        }
    }

    private static long committedPosition(final TxResult<?> result)
    {
        return ((TxResult.Committed<?>)result).position();
    }

    @Test
    void shouldReturnFromNoWriteBeforeAForceCoveredItWhenStrict(@TempDir final Path dir)
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        try (Database db = open(dir, DurabilityMode.STRICT, 100, logRef))
        {
            final EngineTesting.InstrumentedLog log = logRef.get();
            log.forceDelayMs(3);
            final Consumer<String> covered = what ->
            {
                assertTrue(log.forcedDurableMax() >= log.appendedEnd(), what + " returned before a force covered it");
                assertTrue(db.durablePosition() >= log.appendedEnd(), what + ": durable position");
            };
            final long appends = log.appends();
            db.beginRun(run);
            covered.accept("beginRun");
            db.kv().put(run, "k", Value.of(1));
            covered.accept("kv put");
            db.kv().delete(run, "k");
            covered.accept("kv delete");
            db.events().append(run, "e", Value.of(1));
            covered.accept("event append");
            db.state().init(run, "c", Value.of(1));
            covered.accept("state init");
            db.state().set(run, "c", Value.of(2));
            covered.accept("state set");
            db.state().cas(run, "c", 2, Value.of(3));
            covered.accept("state cas");
            db.json().create(run, "doc", Json.createObjectBuilder().add("a", 1).build());
            covered.accept("json create");
            db.transaction(run, tx ->
            {
                tx.put("t", Value.of(1));
                tx.append("e", Value.of(2));
                tx.setCell("c", Value.of(4));
                return null;
            });
            covered.accept("transaction");
            final RunId other = RunId.of(3, 4);
            db.beginRun(other);
            db.abortRun(other, "because");
            covered.accept("abortRun");
            db.endRun(run);
            covered.accept("endRun");
            assertEquals(12, log.appends() - appends, "one frame per write");
        }
    }

    @Test
    void shouldNotStallStrictCommitsWhenTheFlushIntervalIsLong(@TempDir final Path dir) throws InterruptedException
    {
        // Strict mode ignores the flush interval, but the writer's wait strategy times out at it: a wake-up the
        // writer misses must not hold a Strict commit for the interval (here an hour). The commits run on their own
        // thread so a stall fails the test instead of hanging it; close() publishes a flush, which frees the thread.
        final int commits = 5_000;
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        try (Database db = open(dir, DurabilityMode.STRICT, 3_600_000, logRef))
        {
            db.beginRun(run);
            final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread committer = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < commits; i++)
                    {
                        db.kv().put(run, "k" + (i % 100), Value.of(i));
                        done.incrementAndGet();
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "strict-committer");
            committer.start();
            int seen = -1;
            while (committer.isAlive())
            {
                final int before = done.get();
                committer.join(5_000);
                if (committer.isAlive() && done.get() == before)
                {
                    seen = before;
                    break;
                }
            }
            assertEquals(-1, seen, "a Strict commit stalled for 5 s after " + seen + " commits");
            assertEquals(null, failure.get());
            assertEquals(commits, done.get());
        }
    }
}
