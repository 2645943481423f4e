/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.Value;
import dev.tally.wal.SegmentForcer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Buffered periodic force runs beside the writer. Goal: while a periodic force is in progress (held open here)
 * the writer thread keeps appending, so commits neither stall nor fill the ring; the force still makes what it covered
 * durable, and a failed periodic force fails the database stop like any force. Method: a segment forcer that holds or
 * fails the forces of the pipeline's helper thread, with a short flush interval and a ring far smaller than the
 * number of commits written while the force is held.
 */
@Timeout(60)
class BufferedBackgroundForceTest
{
    private static final String HELPER_THREAD = "tally-wal-spare";
    private static final int RING_SIZE = 256;
    private static final int PUTS = 20 * RING_SIZE;

    @TempDir
    Path directory;

    @Test
    void shouldKeepAppendingWhileThePeriodicForceIsHeldOpen() throws Exception
    {
        final HeldForcer forcer = new HeldForcer();
        final RunId run = RunId.of(1, 1);
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.BUFFERED)
            .flushIntervalMs(5).ringSize(RING_SIZE).segmentForcer(forcer).open())
        {
            db.beginRun(run);
            forcer.hold.set(true);
            db.kv().put(run, "first", Value.of(0L));
            assertTrue(forcer.holding.await(10, TimeUnit.SECONDS), "a periodic force started on the helper thread");
            final long appendsWhenHeld = db.stats().appends();

            for (int i = 0; i < PUTS; i++)
            {
                db.kv().put(run, "k" + i, Value.of((long)i));
            }
            awaitAppends(db, appendsWhenHeld + PUTS);
            assertTrue(forcer.holding.getCount() == 0 && !forcer.released.get(), "the force is still held");

            forcer.release();
            db.flush();
            assertTrue(db.stats().durablePosition() >= db.visiblePosition(), "everything appended is durable");
        }
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.BUFFERED).open())
        {
            assertEquals(Value.of((long)(PUTS - 1)), db.kv().get(run, "k" + (PUTS - 1)).orElseThrow());
        }
    }

    @Test
    void shouldFailTheDatabaseStopWhenThePeriodicForceFails() throws Exception
    {
        final HeldForcer forcer = new HeldForcer();
        final RunId run = RunId.of(2, 2);
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.BUFFERED)
            .flushIntervalMs(5).segmentForcer(forcer).open())
        {
            db.beginRun(run);
            forcer.fail.set(true);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            StorageException failed = null;
            // Bounded by the deadline: puts succeed until the helper thread's failed force stops the log.
            for (int i = 0; failed == null && System.nanoTime() < deadline; i++)
            {
                try
                {
                    db.kv().put(run, "k" + i, Value.of((long)i));
                    Thread.sleep(1);
                }
                catch (final StorageException ex)
                {
                    failed = ex;
                }
            }
            assertTrue(failed != null, "a failed periodic force stops the log");
            assertEquals(ErrorCode.LOG_FAILED, failed.code());
            assertTrue(forcer.failedOnHelper.get(), "the failure came from the helper thread's force");
            final StorageException flush = assertThrows(StorageException.class, db::flush);
            assertEquals(ErrorCode.LOG_FAILED, flush.code());
        }
        catch (final StorageException closing)
        {
            assertEquals(ErrorCode.LOG_FAILED, closing.code(), "only the close of a failed log may throw");
        }
    }

    private static void awaitAppends(final Database db, final long appends) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // Bounded by the deadline.
        while (db.stats().appends() < appends && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertTrue(db.stats().appends() >= appends, "appends: " + db.stats().appends() + ", expected " + appends);
    }

    /** Holds or fails the forces of the pipeline's helper thread; every other force goes through. */
    private static final class HeldForcer implements SegmentForcer
    {
        private final AtomicBoolean hold = new AtomicBoolean();
        private final AtomicBoolean fail = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicBoolean failedOnHelper = new AtomicBoolean();
        private final CountDownLatch holding = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicReference<Thread> held = new AtomicReference<>();

        @Override
        public void force(final MappedByteBuffer buffer, final int offset, final int length) throws IOException
        {
            final boolean onHelper = Thread.currentThread().getName().equals(HELPER_THREAD);
            if (onHelper && fail.get())
            {
                failedOnHelper.set(true);
                throw new IOException("Input/output error");
            }
            if (onHelper && hold.get() && held.compareAndSet(null, Thread.currentThread()))
            {
                holding.countDown();
                try
                {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            buffer.force(offset, length);
        }

        void release()
        {
            released.set(true);
            release.countDown();
        }
    }
}
