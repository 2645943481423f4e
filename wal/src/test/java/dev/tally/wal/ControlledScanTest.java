/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.tally.wal.WalTestSupport.DATABASE_ID;
import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.segmentFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A scan whose handler says when to stop: it ends at the first frame not taken, reports that frame's position, and
 * reads nothing after it, so a bounded read never trips over damage or a torn tail beyond its bound.
 */
class ControlledScanTest
{
    private static final int FRAME_COUNT = 40;

    @TempDir
    Path directory;

    @Test
    void shouldEndAtTheFirstFrameNotTakenWhenTheHandlerStops()
    {
        final List<WalTestSupport.Written> written = WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH,
            new SplittableRandom(7), FRAME_COUNT, 300);
        final long bound = written.get(25).position();
        final List<Long> taken = new ArrayList<>();
        final ScanResult result = scanBelow(bound, ScanMode.READ_ONLY, taken);

        assertEquals(ScanResult.Classification.STOPPED, result.classification());
        assertEquals(bound, result.endPosition());
        assertEquals(25, result.frameCount());
        assertEquals(positions(written.subList(0, 25)), taken);
    }

    @Test
    void shouldNotReadCorruptionBeyondTheStop()
    {
        final List<WalTestSupport.Written> written = WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH,
            new SplittableRandom(11), FRAME_COUNT, 300);
        final WalTestSupport.Written damaged = written.get(30);
        final long base = baseOf(damaged.position());
        FileBytes.flipByte(segmentFile(directory, base), damaged.position() - base + FrameDescriptor.CRC_OFFSET);

        final long bound = written.get(20).position();
        final ScanResult result = scanBelow(bound, ScanMode.READ_ONLY, new ArrayList<>());

        assertEquals(ScanResult.Classification.STOPPED, result.classification());
        assertEquals(bound, result.endPosition());
        final CorruptLogException unbounded = assertThrows(CorruptLogException.class,
            () -> scanBelow(Long.MAX_VALUE, ScanMode.READ_ONLY, new ArrayList<>()));
        assertEquals(damaged.position(), unbounded.position());
    }

    @Test
    void shouldLeaveATornTailBeyondTheStopUncutInRepairMode()
    {
        final List<WalTestSupport.Written> written = WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH,
            new SplittableRandom(13), FRAME_COUNT, 300);
        final WalTestSupport.Written last = written.get(FRAME_COUNT - 1);
        final long base = baseOf(last.position());
        final Path file = segmentFile(directory, base);
        final long tailOffset = last.position() - base
            + FrameDescriptor.alignedLength(FrameDescriptor.HEADER_LENGTH + last.payload().length);
        FileBytes.writeAt(file, tailOffset, new byte[] {1, 2, 3, 4});
        final byte[] before = FileBytes.read(file);

        final ScanResult stopped = scanBelow(last.position(), ScanMode.REPAIR, new ArrayList<>());

        assertEquals(ScanResult.Classification.STOPPED, stopped.classification());
        assertArrayEquals(before, FileBytes.read(file));
        final ScanResult full = scanBelow(Long.MAX_VALUE, ScanMode.REPAIR, new ArrayList<>());
        assertEquals(ScanResult.Classification.TORN_TAIL, full.classification());
        assertEquals(4, full.bytesCut());
    }

    private ScanResult scanBelow(final long bound, final ScanMode mode, final List<Long> taken)
    {
        try (WalScanner scanner = new WalScanner(directory, DATABASE_ID, WalScanner.builtInTypes()))
        {
            return scanner.controlledScan(0, mode, frame ->
            {
                if (frame.position() >= bound)
                {
                    return ControlledFrameHandler.Action.STOP;
                }
                taken.add(frame.position());
                return ControlledFrameHandler.Action.CONTINUE;
            });
        }
    }

    private long baseOf(final long position)
    {
        long base = 0;
        for (final long candidate : dev.tally.wal.internal.Segments.list(directory))
        {
            if (candidate <= position)
            {
                base = candidate;
            }
        }
        return base;
    }

    private static List<Long> positions(final List<WalTestSupport.Written> written)
    {
        final List<Long> positions = new ArrayList<>();
        written.forEach(w -> positions.add(w.position()));
        return positions;
    }
}
