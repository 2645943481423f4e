/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static dev.tally.wal.WalTestSupport.DATABASE_ID;
import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.options;
import static dev.tally.wal.WalTestSupport.segmentFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: every kind of damage a crash or a stray file can leave is classified right. Method: a log is written by the
 * writer, then damaged byte by byte (Aeron CatalogTest style); the durable slot is moved by hand to put the damage
 * before or after the durable position. Deterministic; no seed.
 */
@Timeout(30)
class WalScannerCrashTest
{
    private static final int FRAME_COUNT = 10;

    @TempDir
    Path directory;

    private List<WalTestSupport.Written> writeTenFrames()
    {
        return WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH, new SplittableRandom(99), FRAME_COUNT, 400);
    }

    private Path segment0()
    {
        return segmentFile(directory, 0);
    }

    private static int offsetOf(final WalTestSupport.Written frame)
    {
        return (int)(frame.position() % SMALL_SEGMENT_LENGTH);
    }

    private ScanResult scanRepairAndCheckSecondScanIsClean(final int expectedFrameCount)
    {
        final List<WalTestSupport.Read> read = new ArrayList<>();
        final ScanResult result = WalTestSupport.scan(directory, ScanMode.REPAIR, read);
        assertEquals(expectedFrameCount, read.size());
        assertEquals(expectedFrameCount, result.frameCount());
        final List<WalTestSupport.Read> again = new ArrayList<>();
        final ScanResult second = WalTestSupport.scan(directory, ScanMode.REPAIR, again);
        assertEquals(ScanResult.Classification.CLEAN_END, second.classification());
        assertEquals(0, second.bytesCut());
        assertEquals(result.endPosition(), second.endPosition());
        assertEquals(expectedFrameCount, again.size());
        return result;
    }

    private void assertTornTailCut(
        final List<WalTestSupport.Written> written, final int firstDamagedFrame, final byte[] damagedImage)
    {
        final ScanResult result = scanRepairAndCheckSecondScanIsClean(firstDamagedFrame);
        assertEquals(ScanResult.Classification.TORN_TAIL, result.classification());
        final int cutOffset = offsetOf(written.get(firstDamagedFrame));
        assertEquals(written.get(firstDamagedFrame).position(), result.endPosition());
        final long expectedCut = WalTestSupport.nonZeroEnd(damagedImage, cutOffset) - cutOffset;
        assertTrue(expectedCut > 0);
        assertEquals(expectedCut, result.bytesCut());
        assertEquals(expectedCut, result.tailLength());
        final byte[] after = FileBytes.read(segment0());
        assertEquals(cutOffset, WalTestSupport.nonZeroEnd(after, cutOffset));
    }

    @Test
    void shouldCutTornTailWhenLastFrameHeaderIsTorn()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        final WalTestSupport.Written last = written.get(FRAME_COUNT - 1);
        WalTestSupport.setDurablePosition(segment0(), 0, last.position());
        FileBytes.zeroRange(segment0(), offsetOf(last) + 6, SMALL_SEGMENT_LENGTH);
        assertTornTailCut(written, FRAME_COUNT - 1, FileBytes.read(segment0()));
    }

    @Test
    void shouldCutTornTailWhenLastFramePayloadIsTorn()
    {
        final List<WalTestSupport.Written> written = new ArrayList<>(writeTenFrames());
        final WalTestSupport.Written last = written.get(FRAME_COUNT - 1);
        assertTrue(last.payload().length > 2);
        WalTestSupport.setDurablePosition(segment0(), 0, written.get(FRAME_COUNT - 2).endPosition());
        FileBytes.zeroRange(segment0(),
            offsetOf(last) + FrameDescriptor.HEADER_LENGTH + last.payload().length / 2, SMALL_SEGMENT_LENGTH);
        assertTornTailCut(written, FRAME_COUNT - 1, FileBytes.read(segment0()));
    }

    @Test
    void shouldThrowCorruptLogWhenCrcMismatchesBeforeDurablePositionWithValidFramesAfter()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        final WalTestSupport.Written damaged = written.get(4);
        final int at = offsetOf(damaged) + FrameDescriptor.HEADER_LENGTH;
        final byte[] image = FileBytes.read(segment0());
        FileBytes.writeAt(segment0(), at, new byte[] {(byte)(image[at] ^ 0x10)});
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.CRC_MISMATCH, thrown.reason());
        assertEquals(ErrorCode.CORRUPT_LOG, thrown.code());
        assertEquals(SegmentDescriptor.fileName(0), thrown.segmentFileName());
        assertEquals(offsetOf(damaged), thrown.offset());
        assertEquals(damaged.position(), thrown.position());
        assertNotEquals(thrown.expectedCrc(), thrown.actualCrc());
        assertTrue(thrown.getMessage().contains(SegmentDescriptor.fileName(0)), thrown.getMessage());
        assertTrue(Arrays.equals(FileBytes.read(segment0()), flipped(image, at)), "corruption is not cut");
    }

    @Test
    void shouldCutEverythingFromDamageWhenCrcMismatchesAfterDurablePosition()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        final WalTestSupport.Written damaged = written.get(4);
        WalTestSupport.setDurablePosition(segment0(), 0, damaged.position());
        final int at = offsetOf(damaged) + FrameDescriptor.HEADER_LENGTH;
        final byte[] image = flipped(FileBytes.read(segment0()), at);
        FileBytes.write(segment0(), image);
        assertTornTailCut(written, 4, image);
    }

    @Test
    void shouldThrowTruncatedWhenDurableFramesAreZeroed()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        FileBytes.zeroRange(segment0(), offsetOf(written.get(7)), SMALL_SEGMENT_LENGTH);
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.TRUNCATED, thrown.reason());
        assertEquals(written.get(7).position(), thrown.position());
    }

    @Test
    void shouldEndCleanlyWhenZeroedTailIsAfterDurablePosition()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        WalTestSupport.setDurablePosition(segment0(), 0, written.get(7).position());
        FileBytes.zeroRange(segment0(), offsetOf(written.get(7)), SMALL_SEGMENT_LENGTH);
        final ScanResult result = scanRepairAndCheckSecondScanIsClean(7);
        assertEquals(ScanResult.Classification.CLEAN_END, result.classification());
        assertEquals(written.get(7).position(), result.endPosition());
        assertEquals(0, result.bytesCut());
    }

    @Test
    void shouldRejectStaleFrameWhenCrcIsRightButPositionIsFromEarlierUse()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        final WalTestSupport.Written first = written.get(0);
        final long end = written.get(FRAME_COUNT - 1).endPosition();
        final byte[] image = FileBytes.read(segment0());
        final byte[] stale = Arrays.copyOfRange(image, offsetOf(first),
            offsetOf(first) + FrameDescriptor.alignedLength(first.frameLength()));
        FileBytes.writeAt(segment0(), end, stale);

        final List<WalTestSupport.Read> read = new ArrayList<>();
        final ScanResult torn = WalTestSupport.scan(directory, ScanMode.READ_ONLY, read);
        assertEquals(ScanResult.Classification.TORN_TAIL, torn.classification());
        assertEquals(end, torn.endPosition());
        assertEquals(FRAME_COUNT, read.size());
        assertEquals(0, torn.bytesCut());

        WalTestSupport.setDurablePosition(segment0(), 0, end + stale.length);
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.STALE_FRAME, thrown.reason());
        assertEquals(thrown.expectedCrc(), thrown.actualCrc());
        assertEquals(end, thrown.position());
    }

    @Test
    void shouldThrowUnknownVersionWhenSegmentHasAnotherFormatVersion()
    {
        writeTenFrames();
        final ByteBuffer header = ByteBuffer.wrap(FileBytes.read(segment0()), 0,
            SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(SegmentDescriptor.FORMAT_VERSION_OFFSET, 2);
        header.putInt(SegmentDescriptor.HEADER_CRC_OFFSET, SegmentDescriptor.headerChecksum(header));
        FileBytes.writeAt(segment0(), 0, Arrays.copyOf(header.array(), SegmentDescriptor.HEADER_LENGTH));
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.UNKNOWN_VERSION, thrown.reason());
        assertEquals(ErrorCode.UNKNOWN_FORMAT_VERSION, thrown.code());
        assertTrue(thrown.getMessage().contains("formatVersion=2"), thrown.getMessage());
    }

    @Test
    void shouldThrowForeignDatabaseWhenSegmentBelongsToAnotherDatabase()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        final UUID other = UUID.fromString("00000000-0000-4000-8000-000000000001");
        try (WalScanner scanner = new WalScanner(directory, other, WalScanner.builtInTypes()))
        {
            final CorruptLogException thrown = assertThrows(CorruptLogException.class,
                () -> scanner.scan(0, ScanMode.REPAIR, frame -> { }));
            assertEquals(CorruptionReason.FOREIGN_DATABASE, thrown.reason());
            assertEquals(ErrorCode.FOREIGN_DATABASE, thrown.code());
        }
        final long end = written.get(FRAME_COUNT - 1).endPosition();
        assertThrows(CorruptLogException.class, () -> WalWriter.open(
            new WalOptions().directory(directory).databaseId(other).segmentLength(SMALL_SEGMENT_LENGTH), end));
    }

    @Test
    void shouldRejectFramesCopiedFromAnotherDatabaseWhenHeaderIsOurs()
    {
        final Path otherDirectory = directory.resolve("other");
        final UUID other = UUID.fromString("00000000-0000-4000-8000-000000000002");
        final List<WalTestSupport.Written> written = writeTenFrames();
        try (WalWriter writer = WalWriter.open(new WalOptions().directory(otherDirectory).databaseId(other)
            .segmentLength(SMALL_SEGMENT_LENGTH), 0))
        {
            final SplittableRandom random = new SplittableRandom(99);
            for (int i = 0; i < FRAME_COUNT; i++)
            {
                WalTestSupport.append(writer, random, random.nextInt(401));
            }
        }
        final byte[] foreign = FileBytes.read(segmentFile(otherDirectory, 0));
        FileBytes.writeAt(segment0(), SegmentDescriptor.HEADER_LENGTH, Arrays.copyOfRange(foreign,
            SegmentDescriptor.HEADER_LENGTH, (int)written.get(FRAME_COUNT - 1).endPosition()));
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.CRC_MISMATCH, thrown.reason());
        assertEquals(SegmentDescriptor.HEADER_LENGTH, thrown.offset());
    }

    @Test
    void shouldClassifyFrameStraddlingSegmentEndByDurablePosition()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        final long end = written.get(FRAME_COUNT - 1).endPosition();
        final int room = SMALL_SEGMENT_LENGTH - (int)end;
        FileBytes.writeIntLittleEndian(segment0(), (int)end, room + FrameDescriptor.FRAME_ALIGNMENT);
        final List<WalTestSupport.Read> read = new ArrayList<>();
        final ScanResult result = WalTestSupport.scan(directory, ScanMode.REPAIR, read);
        assertEquals(ScanResult.Classification.TORN_TAIL, result.classification());
        assertEquals(end, result.endPosition());
        assertEquals(FRAME_COUNT, read.size());
        assertTrue(result.bytesCut() > 0 && result.bytesCut() <= 4);

        FileBytes.writeIntLittleEndian(segment0(), (int)end, room + FrameDescriptor.FRAME_ALIGNMENT);
        WalTestSupport.setDurablePosition(segment0(), 0, SMALL_SEGMENT_LENGTH);
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.BAD_LENGTH, thrown.reason());
        assertTrue(thrown.getMessage().contains("straddles"), thrown.getMessage());
    }

    @Test
    void shouldThrowBadHeaderWhenStaticHeaderCrcMismatches()
    {
        writeTenFrames();
        FileBytes.writeAt(segment0(), 20, new byte[] {1});
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.BAD_HEADER, thrown.reason());
    }

    @Test
    void shouldThrowMissingSegmentWhenMiddleSegmentIsDeleted() throws Exception
    {
        WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH, new SplittableRandom(5), 40, 1000);
        assertTrue(dev.tally.wal.internal.Segments.list(directory).length >= 3);
        Files.delete(segmentFile(directory, SMALL_SEGMENT_LENGTH));
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.MISSING_SEGMENT, thrown.reason());
    }

    @Test
    void shouldThrowUnknownTypeWhenTypeCodeIsNotAccepted()
    {
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            writer.append(0x75, TxId.random(), RunId.random(), new byte[] {1, 2, 3}, 0, 3);
        }
        final CorruptLogException thrown = assertThrows(CorruptLogException.class,
            () -> WalTestSupport.scan(directory, ScanMode.REPAIR, new ArrayList<>()));
        assertEquals(CorruptionReason.UNKNOWN_TYPE, thrown.reason());
        assertEquals(ErrorCode.UNKNOWN_ENTRY_TYPE, thrown.code());
        final List<Integer> types = new ArrayList<>();
        try (WalScanner scanner = new WalScanner(directory, DATABASE_ID, code -> code == 0x75))
        {
            final ScanResult result = scanner.scan(0, ScanMode.REPAIR, frame -> types.add(frame.typeCode()));
            assertEquals(ScanResult.Classification.CLEAN_END, result.classification());
        }
        assertEquals(List.of(0x75), types);
    }

    @Test
    void shouldStartAtGivenPositionWhenScanningFromMiddle()
    {
        final List<WalTestSupport.Written> written = writeTenFrames();
        final List<Long> positions = new ArrayList<>();
        try (WalScanner scanner = new WalScanner(directory, DATABASE_ID, WalScanner.builtInTypes()))
        {
            final ScanResult result = scanner.scan(written.get(6).position(), ScanMode.READ_ONLY,
                frame -> positions.add(frame.position()));
            assertEquals(4, result.frameCount());
        }
        assertEquals(written.subList(6, FRAME_COUNT).stream().map(WalTestSupport.Written::position).toList(),
            positions);
    }

    private static byte[] flipped(final byte[] image, final int at)
    {
        final byte[] copy = image.clone();
        copy[at] ^= 0x10;
        return copy;
    }
}
