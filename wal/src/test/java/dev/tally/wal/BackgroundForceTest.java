/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forces from a second thread ({@link WalWriter#forceWritten()}) while the owner keeps appending. Goal: a background
 * force covers exactly the frames complete when it starts, never stops the owner appending inside its segment,
 * serialises with rolls and close, and fails the writer stop like an owner force. Method: real segment files with a
 * forcer that can hold a force open or fail it; a seeded concurrent run across many rolls checked frame by frame with
 * the scanner. Replay the seed with {@code -Dtests.seed=<seed>}.
 */
@Timeout(60)
class BackgroundForceTest
{
    @TempDir
    Path directory;

    @Test
    void shouldMakeEveryCompleteFrameDurableWhenForcedFromAnotherThread() throws Exception
    {
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            final SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < 10; i++)
            {
                WalTestSupport.append(writer, random, 50);
            }
            final long written = writer.writtenPosition();
            final Thread flusher = new Thread(writer::forceWritten, "flusher");
            flusher.start();
            flusher.join();
            assertEquals(written, writer.durablePosition());
        }
    }

    @Test
    void shouldKeepAppendingWhileABackgroundForceIsHeldOpen() throws Exception
    {
        final CountDownLatch forcing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean hold = new AtomicBoolean();
        final SegmentForcer holding = (buffer, offset, length) ->
        {
            if (hold.get() && Thread.currentThread().getName().equals("flusher"))
            {
                forcing.countDown();
                awaitQuietly(release);
            }
            buffer.force(offset, length);
        };
        try (WalWriter writer = WalWriter.open(options(directory, 1 << 20).segmentForcer(holding), 0))
        {
            final SplittableRandom random = new SplittableRandom(2);
            WalTestSupport.append(writer, random, 50);
            final long firstEnd = writer.writtenPosition();
            final long durableBefore = writer.durablePosition();
            hold.set(true);
            final Thread flusher = new Thread(writer::forceWritten, "flusher");
            flusher.start();
            assertTrue(forcing.await(10, TimeUnit.SECONDS));

            for (int i = 0; i < 100; i++)
            {
                WalTestSupport.append(writer, random, 50);
            }
            assertTrue(writer.writtenPosition() > firstEnd, "the owner appended while the force was held");
            assertEquals(durableBefore, writer.durablePosition(), "nothing new is durable before the force returns");

            release.countDown();
            flusher.join();
            assertEquals(firstEnd, writer.durablePosition(), "the force covered the frames complete when it began");
            writer.force();
            assertEquals(writer.writtenPosition(), writer.durablePosition());
        }
    }

    @Test
    void shouldKeepEveryFrameInOrderWhenForcingConcurrentlyAcrossRolls() throws Exception
    {
        WalTestSupport.seeds(3).forEach(seed -> concurrentRun(seed, directory.resolve(Long.toHexString(seed))));
    }

    @Test
    void shouldFailTheWriterStopWhenABackgroundForceFails() throws Exception
    {
        final AtomicBoolean failing = new AtomicBoolean();
        final SegmentForcer forcer = (buffer, offset, length) ->
        {
            if (failing.get())
            {
                throw new IOException("Input/output error");
            }
            buffer.force(offset, length);
        };
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentForcer(forcer), 0))
        {
            final SplittableRandom random = new SplittableRandom(4);
            WalTestSupport.append(writer, random, 50);
            writer.force();
            final long durable = writer.durablePosition();
            WalTestSupport.append(writer, random, 50);
            failing.set(true);
            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final Thread flusher = new Thread(() ->
            {
                try
                {
                    writer.forceWritten();
                }
                catch (final Throwable ex)
                {
                    thrown.set(ex);
                }
            }, "flusher");
            flusher.start();
            flusher.join();

            assertTrue(thrown.get() instanceof StorageException, String.valueOf(thrown.get()));
            assertEquals(ErrorCode.STORAGE_IO, ((StorageException)thrown.get()).code());
            assertTrue(writer.isFailed());
            assertEquals(durable, writer.durablePosition(), "nothing the failed force covered counts as durable");
            final StorageException later = assertThrows(StorageException.class,
                () -> WalTestSupport.append(writer, random, 50));
            assertEquals(ErrorCode.LOG_FAILED, later.code());
        }
    }

    @Test
    void shouldDoNothingWhenForcedInTheBackgroundAfterClose()
    {
        final WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0);
        WalTestSupport.append(writer, new SplittableRandom(5), 50);
        writer.close();
        final long durable = writer.durablePosition();
        writer.forceWritten();
        assertEquals(durable, writer.durablePosition());
    }

    private static void concurrentRun(final long seed, final Path dir)
    {
        final List<WalTestSupport.Written> written = new ArrayList<>();
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> flusherFailure = new AtomicReference<>();
        final AtomicInteger backgroundForces = new AtomicInteger();
        final AtomicReference<String> monotonic = new AtomicReference<>();
        try (WalWriter writer = WalWriter.open(options(dir, SMALL_SEGMENT_LENGTH), 0))
        {
            final Thread flusher = new Thread(() ->
            {
                long last = 0;
                try
                {
                    while (!done.get())
                    {
                        writer.forceWritten();
                        backgroundForces.incrementAndGet();
                        final long durable = writer.durablePosition();
                        if (durable < last)
                        {
                            monotonic.compareAndSet(null, "durable went back from " + last + " to " + durable);
                        }
                        last = durable;
                    }
                }
                catch (final Throwable ex)
                {
                    flusherFailure.set(ex);
                }
            }, "flusher");
            flusher.start();
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 3_000; i++)
            {
                written.add(WalTestSupport.append(writer, random, random.nextInt(200)));
                if (random.nextInt(50) == 0)
                {
                    writer.force();
                }
            }
            done.set(true);
            joinQuietly(flusher);
        }
        final String context = "seed=0x" + Long.toHexString(seed);
        assertNull(flusherFailure.get(), context);
        assertNull(monotonic.get(), context);
        assertTrue(backgroundForces.get() > 0, context);
        final List<WalTestSupport.Read> read = WalTestSupport.scanAll(dir, ScanMode.READ_ONLY, new ArrayList<>());
        assertEquals(written.size(), read.size(), context);
        for (int i = 0; i < written.size(); i++)
        {
            assertEquals(written.get(i).position(), read.get(i).position(), context + ", frame " + i);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(final Thread thread)
    {
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
