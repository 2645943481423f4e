/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.StorageFullException;
import dev.tally.core.TxId;
import dev.tally.core.WalEntryType;
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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.tally.wal.WalTestSupport.DATABASE_ID;
import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.options;
import static dev.tally.wal.WalTestSupport.segmentFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class WalWriterTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReturnPredictedPositionsAndReadFramesBackInOrderWhenRollingOverSeveralSegments()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final List<WalTestSupport.Written> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            for (int i = 0; i < 60; i++)
            {
                final int length = random.nextInt(FrameDescriptor.payloadLengthMax(SMALL_SEGMENT_LENGTH) / 3);
                final long predicted = WalWriter.framePosition(writer.nextPosition(), length, SMALL_SEGMENT_LENGTH);
                final long predictedEnd = WalWriter.frameEndPosition(writer.nextPosition(), length,
                    SMALL_SEGMENT_LENGTH);
                final WalTestSupport.Written frame = WalTestSupport.append(writer, random, length);
                assertEquals(predicted, frame.position());
                assertEquals(predictedEnd, writer.writtenPosition());
                written.add(frame);
                if (i % 7 == 0)
                {
                    writer.force();
                    assertEquals(writer.writtenPosition(), writer.durablePosition());
                }
            }
        }
        final long[] bases = dev.tally.wal.internal.Segments.list(directory);
        assertTrue(bases.length >= 4, "expected several segments, found " + bases.length);
        for (int i = 0; i < bases.length; i++)
        {
            assertEquals(i * (long)SMALL_SEGMENT_LENGTH, bases[i]);
        }
        final List<ScanResult> results = new ArrayList<>();
        final List<WalTestSupport.Read> read = WalTestSupport.scanAll(directory, ScanMode.READ_ONLY, results);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++)
        {
            assertTrue(read.get(i).matches(written.get(i)), "frame " + i);
        }
        assertEquals(ScanResult.Classification.CLEAN_END, results.get(0).classification());
        assertEquals(written.get(written.size() - 1).endPosition(), results.get(0).endPosition());
        assertEquals(results.get(0).endPosition(), results.get(0).durablePosition());
    }

    @Test
    void shouldRollToNextSegmentWhenFrameDoesNotFit()
    {
        final int segmentLength = SMALL_SEGMENT_LENGTH;
        final long next = segmentLength - 100;
        assertEquals(segmentLength + SegmentDescriptor.HEADER_LENGTH, WalWriter.framePosition(next, 100, segmentLength));
        assertEquals(next, WalWriter.framePosition(next, 100 - FrameDescriptor.HEADER_LENGTH - 4, segmentLength));
        assertEquals(SegmentDescriptor.HEADER_LENGTH, WalWriter.framePosition(0, 0, segmentLength));
        assertEquals(segmentLength + SegmentDescriptor.HEADER_LENGTH,
            WalWriter.framePosition(segmentLength, 0, segmentLength));
    }

    @Test
    void shouldRejectRecordTooLargeWhenPayloadExceedsFrameLengthMaxWithNoByteWritten() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(7);
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            WalTestSupport.append(writer, random, 100);
            writer.force();
            final byte[] before = Files.readAllBytes(segmentFile(directory, 0));
            final long nextBefore = writer.nextPosition();
            final int tooLong = FrameDescriptor.payloadLengthMax(SMALL_SEGMENT_LENGTH) + 1;
            final InvalidArgumentException thrown = assertThrows(InvalidArgumentException.class,
                () -> WalTestSupport.append(writer, random, tooLong));
            assertEquals(ErrorCode.RECORD_TOO_LARGE, thrown.code());
            assertThrows(InvalidArgumentException.class,
                () -> WalWriter.framePosition(0, tooLong, SMALL_SEGMENT_LENGTH));
            assertEquals(nextBefore, writer.nextPosition());
            assertArrayEquals(before, Files.readAllBytes(segmentFile(directory, 0)));
            assertEquals(1, dev.tally.wal.internal.Segments.list(directory).length);
            assertFalse(writer.isFailed());
            final long fits = WalTestSupport.append(writer, random, tooLong - 1).position();
            assertEquals(SMALL_SEGMENT_LENGTH + SegmentDescriptor.HEADER_LENGTH, fits);
        }
    }

    @Test
    void shouldDeleteExactlyTheWhollyEarlierSegmentsWhenReleasing()
    {
        final SplittableRandom random = new SplittableRandom(3);
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            while (writer.nextPosition() < 4L * SMALL_SEGMENT_LENGTH + 100)
            {
                WalTestSupport.append(writer, random, 1000);
            }
            writer.force();
            assertEquals(5, dev.tally.wal.internal.Segments.list(directory).length);
            assertEquals(0, writer.releaseBefore(SMALL_SEGMENT_LENGTH - 1));
            assertEquals(2, writer.releaseBefore(2L * SMALL_SEGMENT_LENGTH + 500));
            assertEquals(List.of(2L * SMALL_SEGMENT_LENGTH, 3L * SMALL_SEGMENT_LENGTH, 4L * SMALL_SEGMENT_LENGTH),
                longs(dev.tally.wal.internal.Segments.list(directory)));
            assertEquals(2, writer.releaseBefore(Long.MAX_VALUE - SMALL_SEGMENT_LENGTH));
            assertEquals(List.of(4L * SMALL_SEGMENT_LENGTH), longs(dev.tally.wal.internal.Segments.list(directory)));
            WalTestSupport.append(writer, random, 10);
            writer.force();
        }
        final List<WalTestSupport.Read> read = new ArrayList<>();
        try (WalScanner scanner = new WalScanner(directory, DATABASE_ID, WalScanner.builtInTypes()))
        {
            final ScanResult result = scanner.scan(4L * SMALL_SEGMENT_LENGTH, ScanMode.READ_ONLY,
                frame -> read.add(null));
            assertEquals(ScanResult.Classification.CLEAN_END, result.classification());
            assertThrows(CorruptLogException.class, () -> scanner.scan(0, ScanMode.READ_ONLY, frame -> { }));
        }
        assertTrue(read.size() >= 2);
    }

    @Test
    void shouldReopenAtScanEndAndKeepAppendingWhenLogWasClosed()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final List<WalTestSupport.Written> written =
            new ArrayList<>(WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH, random, 30, 600));
        final List<ScanResult> results = new ArrayList<>();
        WalTestSupport.scanAll(directory, ScanMode.REPAIR, results);
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), results.get(0).endPosition()))
        {
            assertEquals(results.get(0).endPosition(), writer.durablePosition());
            for (int i = 0; i < 10; i++)
            {
                written.add(WalTestSupport.append(writer, random, random.nextInt(600)));
            }
        }
        final List<WalTestSupport.Read> read = WalTestSupport.scanAll(directory, ScanMode.READ_ONLY, results);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++)
        {
            assertTrue(read.get(i).matches(written.get(i)), "frame " + i);
        }
    }

    @Test
    void shouldRefuseToOpenWhenNextPositionIsNotTheEndOfTheLog()
    {
        final List<WalTestSupport.Written> written =
            WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH, new SplittableRandom(5), 5, 100);
        final InvalidArgumentException thrown = assertThrows(InvalidArgumentException.class,
            () -> WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), written.get(2).position()));
        assertTrue(thrown.getMessage().contains("not the end of the log"), thrown.getMessage());
        assertThrows(InvalidArgumentException.class, () -> WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 12));
    }

    @Test
    void shouldReportStorageFullWhenSegmentCreationRunsOutOfSpace()
    {
        final SegmentStorage full = new SegmentStorage()
        {
            @Override
            public void create(final Path file, final ByteBuffer header, final int segmentLength) throws IOException
            {
                throw new IOException("No space left on device");
            }

            @Override
            public MappedByteBuffer map(final Path file, final int segmentLength) throws IOException
            {
                return SegmentStorage.files().map(file, segmentLength);
            }

            @Override
            public void delete(final Path file) throws IOException
            {
                SegmentStorage.files().delete(file);
            }
        };
        final StorageFullException thrown = assertThrows(StorageFullException.class,
            () -> WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentStorage(full), 0));
        assertEquals(ErrorCode.STORAGE_FULL, thrown.code());
        assertInstanceOf(IOException.class, thrown.getCause());
    }

    @Test
    void shouldFailStopWhenMappedStoreFaultsDuringForce()
    {
        final AtomicReference<Boolean> armed = new AtomicReference<>(false);
        final SegmentForcer forcer = (buffer, offset, length) ->
        {
            if (armed.get())
            {
                throw new InternalError("a fault occurred in an unsafe memory access operation");
            }
            buffer.force(offset, length);
        };
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentForcer(forcer), 0))
        {
            WalTestSupport.append(writer, new SplittableRandom(1), 10);
            armed.set(true);
            final StorageException thrown = assertThrows(StorageException.class, writer::force);
            assertEquals(ErrorCode.STORAGE_IO, thrown.code());
            assertInstanceOf(InternalError.class, thrown.getCause());
            assertTrue(writer.isFailed());
            final StorageException later = assertThrows(StorageException.class,
                () -> WalTestSupport.append(writer, new SplittableRandom(2), 10));
            assertEquals(ErrorCode.LOG_FAILED, later.code());
        }
    }

    @Test
    void shouldRejectBadOptionsWhenConcluding()
    {
        assertEquals(ErrorCode.INVALID_CONFIGURATION, assertThrows(ConfigurationException.class,
            () -> options(directory, 12288).conclude()).code());
        assertThrows(ConfigurationException.class, () -> options(directory, 2048).conclude());
        assertThrows(ConfigurationException.class, () -> options(directory, 1 << 31 >>> 0).conclude());
        assertThrows(ConfigurationException.class, () -> new WalOptions().databaseId(DATABASE_ID).conclude());
        assertThrows(ConfigurationException.class, () -> new WalOptions().directory(directory).conclude());
        final WalOptions concluded = options(directory, SMALL_SEGMENT_LENGTH).conclude();
        assertThrows(ConfigurationException.class, () -> concluded.segmentLength(4096));
        assertEquals(WalOptions.SEGMENT_LENGTH_DEFAULT, new WalOptions().segmentLength());
    }

    @Test
    void shouldNameSegmentsWithTwentyDigitsWhenDefaultLocaleUsesOtherDigits()
    {
        final Locale saved = Locale.getDefault();
        try
        {
            Locale.setDefault(Locale.forLanguageTag("ar-SA-u-nu-arab"));
            assertEquals("00000000000067108864.wal", SegmentDescriptor.fileName(67_108_864L));
            assertEquals("00000000000000000000.wal", SegmentDescriptor.fileName(0));
            assertEquals(67_108_864L, SegmentDescriptor.parseFileName("00000000000067108864.wal"));
            assertEquals(-1, SegmentDescriptor.parseFileName("0000000000006710886x.wal"));
            assertEquals(-1, SegmentDescriptor.parseFileName("00000000000067108864.wal.tmp"));
        }
        finally
        {
            Locale.setDefault(saved);
        }
    }

    @Test
    void shouldAssertSingleOwnerThreadWhenAppendingFromSecondThread() throws InterruptedException
    {
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            writer.append(WalEntryType.KV_PUT.code(), TxId.random(), RunId.random(), new byte[4], 0, 4);
            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final Thread other = new Thread(() ->
            {
                try
                {
                    writer.append(WalEntryType.KV_PUT.code(), TxId.random(), RunId.random(), new byte[4], 0, 4);
                }
                catch (final Throwable ex)
                {
                    thrown.set(ex);
                }
            });
            other.start();
            other.join();
            assertInstanceOf(AssertionError.class, thrown.get());
        }
    }

    private static List<Long> longs(final long[] values)
    {
        return Stream.of(values).flatMapToLong(java.util.Arrays::stream).boxed().toList();
    }
}
