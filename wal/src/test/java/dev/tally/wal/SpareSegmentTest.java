/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageFullException;
import dev.tally.wal.internal.Segments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spare segments: a segment prepared ahead of its roll by another thread. Goal: a roll into a spare gives exactly the
 * log a roll without one gives (same files, same frames), a spare left by a crash never becomes part of the log, and a
 * failed spare never turns into a lost write or a hidden full disk.
 */
@Timeout(30)
class SpareSegmentTest
{
    @TempDir
    Path directory;

    @Test
    void shouldRollIntoPreparedSpareWithTheSameFramesAndSegmentFilesAsWithoutOne() throws IOException
    {
        final Path withSpares = directory.resolve("with");
        final Path without = directory.resolve("without");
        final CountingStorage counting = new CountingStorage(SegmentStorage.files());
        final List<WalTestSupport.Written> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(options(withSpares, SMALL_SEGMENT_LENGTH).segmentStorage(counting), 0);
            WalWriter plain = WalWriter.open(options(without, SMALL_SEGMENT_LENGTH), 0))
        {
            final SplittableRandom random = new SplittableRandom(11);
            final SplittableRandom same = new SplittableRandom(11);
            for (int i = 0; i < 80; i++)
            {
                if (i % 5 == 0)
                {
                    assertTrue(writer.prepareSpare(), "spare ready at step " + i);
                    assertEquals(1, spares(withSpares));
                }
                final int length = 100 + random.nextInt(900);
                written.add(WalTestSupport.append(writer, random, length));
                WalTestSupport.append(plain, same, 100 + same.nextInt(900));
            }
        }
        assertTrue(counting.activated.get() >= 5, "rolls into spares: " + counting.activated.get());
        assertEquals(0, spares(withSpares), "close deletes the spare");
        final long[] bases = Segments.list(withSpares);
        assertArrayEquals(Segments.list(without), bases);
        for (final long base : bases)
        {
            assertArrayEquals(Files.readAllBytes(without.resolve(SegmentDescriptor.fileName(base))),
                Files.readAllBytes(withSpares.resolve(SegmentDescriptor.fileName(base))),
                "segment " + base + " differs between a roll into a spare and a plain roll");
        }
        final List<WalTestSupport.Read> read = WalTestSupport.scanAll(withSpares, ScanMode.READ_ONLY, new ArrayList<>());
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++)
        {
            assertTrue(read.get(i).matches(written.get(i)), "frame " + i);
        }
    }

    @Test
    void shouldDeleteLeftoverSpareOnOpenAndNeverReadItAsSegment() throws IOException
    {
        final long end;
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            WalTestSupport.append(writer, new SplittableRandom(1), 200);
            end = writer.nextPosition();
        }
        // A crash while a spare was ready, or half-written, leaves one behind: garbage in it must never be read.
        final byte[] garbage = new byte[SMALL_SEGMENT_LENGTH];
        new SplittableRandom(2).nextBytes(garbage);
        Files.write(directory.resolve(SegmentDescriptor.spareFileName(1)), garbage);
        final List<ScanResult> results = new ArrayList<>();
        assertEquals(1, WalTestSupport.scanAll(directory, ScanMode.READ_ONLY, results).size());
        assertEquals(ScanResult.Classification.CLEAN_END, results.get(0).classification());
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), end))
        {
            assertEquals(0, spares(directory));
            assertEquals(end, writer.nextPosition());
        }
    }

    @Test
    void shouldCreateSegmentOnTheRollWhenPreparingTheSpareFailed() throws IOException
    {
        final CountingStorage failing = new CountingStorage(SegmentStorage.files())
        {
            @Override
            public boolean createSpare(final Path spare, final int segmentLength) throws IOException
            {
                Files.write(spare, new byte[10]);
                throw new IOException("No space left on device");
            }
        };
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentStorage(failing), 0))
        {
            assertFalse(writer.prepareSpare());
            assertEquals(0, spares(directory), "failed spare removed");
            final SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < 30; i++)
            {
                WalTestSupport.append(writer, random, 700);
            }
            assertTrue(failing.created.get() >= 3, "rolls created their segments: " + failing.created.get());
            assertEquals(0, failing.activated.get());
        }
    }

    @Test
    void shouldReportStorageFullOnTheRollWhenNeitherSpareNorSegmentCanBeCreated() throws IOException
    {
        final CountingStorage full = new CountingStorage(SegmentStorage.files())
        {
            @Override
            public void activateSpare(final Path spare, final Path file, final ByteBuffer header) throws IOException
            {
                throw new IOException("No space left on device");
            }

            @Override
            public void create(final Path file, final ByteBuffer header, final int segmentLength) throws IOException
            {
                if (created.incrementAndGet() > 1)
                {
                    throw new IOException("No space left on device");
                }
                SegmentStorage.files().create(file, header, segmentLength);
            }
        };
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentStorage(full), 0))
        {
            assertTrue(writer.prepareSpare());
            final SplittableRandom random = new SplittableRandom(9);
            final long durableBefore;
            WalTestSupport.append(writer, random, 3000);
            WalTestSupport.append(writer, random, 3000);
            writer.force();
            durableBefore = writer.durablePosition();
            final StorageFullException thrown = assertThrows(StorageFullException.class,
                () -> WalTestSupport.append(writer, random, 3000));
            assertEquals(ErrorCode.STORAGE_FULL, thrown.code());
            assertTrue(writer.isFailed());
            assertEquals(durableBefore, writer.durablePosition());
            assertEquals(0, spares(directory), "unusable spare removed");
        }
    }

    @Test
    void shouldPrepareTheNextSpareWhileTheRollStillActivatesThePreviousOne() throws Exception
    {
        final CountDownLatch activating = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final CountingStorage slow = new CountingStorage(SegmentStorage.files())
        {
            @Override
            public void activateSpare(final Path spare, final Path file, final ByteBuffer header) throws IOException
            {
                activating.countDown();
                try
                {
                    assertTrue(proceed.await(10, TimeUnit.SECONDS));
                }
                catch (final InterruptedException ex)
                {
                    throw new IOException(ex);
                }
                super.activateSpare(spare, file, header);
            }
        };
        final List<WalTestSupport.Written> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentStorage(slow), 0))
        {
            assertTrue(writer.prepareSpare());
            final SplittableRandom random = new SplittableRandom(13);
            final Thread owner = new Thread(() ->
            {
                for (int i = 0; i < 4; i++)
                {
                    written.add(WalTestSupport.append(writer, random, 3000)); // the third one rolls
                }
            });
            owner.start();
            assertTrue(activating.await(10, TimeUnit.SECONDS));
            assertTrue(writer.prepareSpare(), "a new spare while the roll renames the previous one");
            proceed.countDown();
            owner.join(10_000);
            assertFalse(owner.isAlive());
            assertFalse(writer.isFailed());
            assertEquals(1, slow.activated.get());
            assertEquals(1, spares(directory), "the new spare is intact and still ready");
        }
        final List<WalTestSupport.Read> read = WalTestSupport.scanAll(directory, ScanMode.READ_ONLY, new ArrayList<>());
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++)
        {
            assertTrue(read.get(i).matches(written.get(i)), "frame " + i);
        }
    }

    private static long spares(final Path directory) throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.filter(p -> p.getFileName().toString().startsWith(SegmentDescriptor.SPARE_FILE_PREFIX)).count();
        }
    }

    /** Counts creations and spare activations, delegating to a real storage. */
    private static class CountingStorage implements SegmentStorage
    {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger activated = new AtomicInteger();
        private final SegmentStorage delegate;

        CountingStorage(final SegmentStorage delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public void create(final Path file, final ByteBuffer header, final int segmentLength) throws IOException
        {
            created.incrementAndGet();
            delegate.create(file, header, segmentLength);
        }

        @Override
        public MappedByteBuffer map(final Path file, final int segmentLength) throws IOException
        {
            return delegate.map(file, segmentLength);
        }

        @Override
        public void delete(final Path file) throws IOException
        {
            delegate.delete(file);
        }

        @Override
        public boolean createSpare(final Path spare, final int segmentLength) throws IOException
        {
            return delegate.createSpare(spare, segmentLength);
        }

        @Override
        public void activateSpare(final Path spare, final Path file, final ByteBuffer header) throws IOException
        {
            activated.incrementAndGet();
            delegate.activateSpare(spare, file, header);
        }
    }
}
