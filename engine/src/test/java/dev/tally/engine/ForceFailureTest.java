/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

import static dev.tally.engine.EngineTesting.assertCode;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-stop on a failed force: the caller whose frame the failed force covered gets LOG_FAILED, nothing the failed
 * force covered is reported as committed, every later write fails with LOG_FAILED, close does not hang, and what was
 * acknowledged before the failure reads back after reopen. Failures are injected through a wrapped log writer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForceFailureTest
{
    /** Writes after the run begins; with the begin, force n covers write n (Strict, one thread). */
    private static final int PUTS = 10;

    private final RunId run = RunId.of(7, 7);

    private static Database open(final Path dir, final DurabilityMode mode, final long failAt, final boolean persistent,
        final AtomicReference<EngineTesting.InstrumentedLog> logRef)
    {
        return Database.builder().directory(dir).durability(mode).segmentLength(64 << 10).flushIntervalMs(3_600_000)
            .logWriterWrapper(w ->
            {
                final EngineTesting.InstrumentedLog log = new EngineTesting.InstrumentedLog(w).failAt(failAt,
                    persistent);
                logRef.set(log);
                return log;
            })
            .open();
    }

    @ParameterizedTest(name = "force {0} fails, persistent={1}")
    @CsvSource({"1, false", "1, true", "6, false", "6, true", "11, false", "11, true"})
    void shouldFailTheCoveredCallAndEveryLaterWriteWhenAForceFailsInStrictMode(final int failAt,
        final boolean persistent, @TempDir final Path dir)
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        final List<String> acknowledged = new ArrayList<>();
        boolean runAcknowledged = false;
        final Database db = open(dir, DurabilityMode.STRICT, failAt, persistent, logRef);
        final EngineTesting.InstrumentedLog log = logRef.get();
        long durableBeforeFailure = db.durablePosition();
        int failures = 0;
        // op 0 begins the run, op j puts k(j-1); op j is covered by force j + 1
        for (int op = 0; op <= PUTS; op++)
        {
            final int index = op;
            final long durable = db.durablePosition();
            try
            {
                if (op == 0)
                {
                    db.beginRun(run);
                    runAcknowledged = true;
                }
                else
                {
                    db.kv().put(run, "k" + (index - 1), Value.of(index));
                    acknowledged.add("k" + (index - 1));
                }
                assertTrue(op + 1 < failAt, "a call covered by the failed force reported success: op=" + op);
                assertTrue(log.forcedDurableMax() >= log.appendedEnd(), "returned before a force covered it");
                durableBeforeFailure = db.durablePosition();
            }
            catch (final StorageException ex)
            {
                assertEquals(ErrorCode.LOG_FAILED, ex.code(), ex.getMessage());
                assertTrue(op + 1 >= failAt, "failed before the injected failure: op=" + op);
                assertEquals(durable, db.durablePosition(), "the durable position never passes a failed force");
                failures++;
            }
        }
        assertEquals(PUTS + 2 - failAt, failures, "the covered call and every later one fail");
        assertEquals(1, log.failedForces(), "a fail-stop log never forces again after a failed force");
        assertEquals(durableBeforeFailure, db.durablePosition());
        assertTrue(log.failedForceCoveredEnd() > db.durablePosition(), "the failed force covered a frame");
        assertLaterWritesFail(db);
        for (final String key : acknowledged)
        {
            assertTrue(db.kv().get(run, key).isPresent(), "reads still work after the failure: " + key);
        }

        assertDoesNotThrow(db::close, "close after a failed force releases everything without throwing");
        assertDoesNotThrow(db::close, "close twice does nothing");
        assertEquals(1, log.closes(), "the log is closed once");
        assertCode(dev.tally.core.ClosedException.class, ErrorCode.CLOSED, () -> db.kv().get(run, "k0"));
        EngineTesting.assertNoWriterThreads();

        try (Database reopened = Database.builder().directory(dir).open())
        {
            if (runAcknowledged)
            {
                assertEquals(RunStatus.State.ACTIVE, reopened.runStatus(run).state());
            }
            for (final String key : acknowledged)
            {
                assertTrue(reopened.kv().get(run, key).isPresent(), "acknowledged write lost: " + key);
            }
            reopened.beginRun(RunId.of(8, 8));
            assertTrue(reopened.durablePosition() > 0, "the reopened database writes again");
        }
    }

    private void assertLaterWritesFail(final Database db)
    {
        final RunId other = RunId.of(9, 9);
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.kv().put(run, "later", Value.of(1)));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.kv().delete(run, "k0"));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.events().append(run, "e", Value.NULL));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.state().set(run, "c", Value.of(1)));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.state().init(run, "c", Value.of(1)));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.beginRun(other));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.endRun(run));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.abortRun(run, "why"));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, db::flush);
        if (db.runStatus(run).isActive())
        {
            assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.transaction(run, tx ->
            {
                tx.put("later", Value.of(2));
                return null;
            }));
        }
    }

    @ParameterizedTest(name = "force {0} fails, persistent={1}")
    @CsvSource({"10, false", "10, true", "40, false", "40, true"})
    void shouldFailEveryWaitingCallerWhenAForceFailsUnderConcurrentCommits(final int failAt,
        final boolean persistent, @TempDir final Path dir) throws Exception
    {
        final int threads = 6;
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        final Database db = open(dir, DurabilityMode.STRICT, failAt, persistent, logRef);
        final EngineTesting.InstrumentedLog log = logRef.get();
        log.forceDelayMs(2).failMinFrames(2);
        db.beginRun(run);
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final List<Future<List<String>>> futures = new ArrayList<>();
        try
        {
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                futures.add(pool.submit(() ->
                {
                    start.await();
                    final List<String> committed = new ArrayList<>();
                    for (int i = 0; ; i++)
                    {
                        final String key = "t" + thread + "/" + i;
                        final TxResult<Void> result;
                        try
                        {
                            result = db.transaction(run, tx ->
                            {
                                tx.put(key, Value.of(thread));
                                return null;
                            });
                        }
                        catch (final StorageException ex)
                        {
                            if (ex.code() != ErrorCode.LOG_FAILED)
                            {
                                throw ex;
                            }
                            break;
                        }
                        final long position = ((TxResult.Committed<Void>)result).position();
                        if (position >= log.forcedDurableMax())
                        {
                            throw new AssertionError("success reported for a frame no force covered: " + key);
                        }
                        committed.add(key);
                    }
                    for (int again = 0; again < 3; again++)
                    {
                        try
                        {
                            db.kv().put(run, "again" + thread, Value.NULL);
                            throw new AssertionError("a write after the failure succeeded");
                        }
                        catch (final StorageException ex)
                        {
                            assertEquals(ErrorCode.LOG_FAILED, ex.code());
                        }
                    }
                    return committed;
                }));
            }
            start.countDown();
            final List<String> acknowledged = new ArrayList<>();
            for (final Future<List<String>> future : futures)
            {
                acknowledged.addAll(future.get(50, TimeUnit.SECONDS));
            }
            assertEquals(1, log.failedForces());
            assertTrue(db.durablePosition() < log.failedForceCoveredEnd());
            // each thread has one commit in flight, and every thread ended with LOG_FAILED: so every caller
            // waiting on the failed force (one per covered frame, at least two) was failed
            assertTrue(log.failedForceCoveredFrames() >= 2, "the failed force covered several waiting callers: frames="
                + log.failedForceCoveredFrames());
            assertDoesNotThrow(db::close);
            try (Database reopened = Database.builder().directory(dir).open())
            {
                for (final String key : acknowledged)
                {
                    assertEquals(Optional.of(Value.of(Integer.parseInt(key.substring(1, key.indexOf('/'))))),
                        reopened.kv().get(run, key), "acknowledged write lost: " + key);
                }
            }
        }
        finally
        {
            pool.shutdownNow();
            db.close();
        }
    }

    @Test
    void shouldFailFlushAndLaterWritesWhenAForceFailsInBufferedMode(@TempDir final Path dir)
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        // the flush interval is an hour: only flush() forces, so force 2 is the second flush
        final Database db = open(dir, DurabilityMode.BUFFERED, 2, true, logRef);
        final EngineTesting.InstrumentedLog log = logRef.get();
        db.beginRun(run);
        db.kv().put(run, "a", Value.of(1));
        db.flush();
        assertEquals(1, log.forces());
        assertTrue(db.durablePosition() >= log.appendedEnd());
        final long durable = db.durablePosition();
        db.kv().put(run, "b", Value.of(2));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, db::flush);
        assertEquals(durable, db.durablePosition());
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, () -> db.kv().put(run, "c", Value.of(3)));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, db::flush);
        assertDoesNotThrow(db::close, "close skips the final flush of a failed log");
        try (Database reopened = Database.builder().directory(dir).durability(DurabilityMode.BUFFERED).open())
        {
            assertEquals(Optional.of(Value.of(1)), reopened.kv().get(run, "a"));
            assertEquals(Optional.empty(), reopened.kv().get(run, "c"), "a rejected write never reached the log");
        }
    }

    @Test
    void shouldThrowLogFailedFromCloseWhenTheFinalFlushFailsInBufferedMode(@TempDir final Path dir)
    {
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        final Database db = open(dir, DurabilityMode.BUFFERED, 2, false, logRef);
        db.beginRun(run);
        db.kv().put(run, "a", Value.of(1));
        db.flush();
        db.kv().put(run, "b", Value.of(2));
        assertCode(StorageException.class, ErrorCode.LOG_FAILED, db::close);
        assertEquals(1, logRef.get().closes(), "close still releases the log after its flush failed");
        assertCode(dev.tally.core.ClosedException.class, ErrorCode.CLOSED, () -> db.kv().get(run, "a"));
        assertDoesNotThrow(db::close, "a second close does nothing");
        EngineTesting.assertNoWriterThreads();
        try (Database reopened = Database.builder().directory(dir).durability(DurabilityMode.BUFFERED).open())
        {
            assertEquals(Optional.of(Value.of(1)), reopened.kv().get(run, "a"), "flushed write lost");
        }
    }
}
