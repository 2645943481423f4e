/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.wal.CorruptLogException;
import dev.tally.wal.FrameHandler;
import dev.tally.wal.ScanMode;
import dev.tally.wal.ScanResult;
import dev.tally.wal.WalScanner;

import java.util.List;

/**
 * One read-only pass of the wal module's validating scanner over a database's log, from its first segment (or the
 * segment holding a start position) to the end; the scanner maps each segment read-only and never takes the lock.
 * The command's thread.
 *
 * @param result     how the log ends, or {@code null} when the scan met corruption.
 * @param corruption the corruption met, or {@code null}.
 */
record LogScan(ScanResult result, CorruptLogException corruption)
{
    /**
     * Scans the log.
     *
     * @param directory    the database.
     * @param fromPosition the first position wanted; the scan starts at the base of the segment holding it.
     * @param handler      receives every valid frame, in order.
     * @return what the scan found.
     */
    static LogScan run(final DatabaseDirectory directory, final long fromPosition, final FrameHandler handler)
    {
        long start = directory.firstPosition();
        for (final DatabaseDirectory.Segment segment : directory.segments())
        {
            if (segment.basePosition() <= fromPosition)
            {
                start = segment.basePosition();
            }
        }
        try (WalScanner scanner = new WalScanner(directory.path(), directory.databaseId(), WalScanner.builtInTypes()))
        {
            return new LogScan(scanner.scan(start, ScanMode.READ_ONLY, handler), null);
        }
        catch (final CorruptLogException ex)
        {
            return new LogScan(null, ex);
        }
    }

    boolean isClean()
    {
        return corruption == null && result.classification() == ScanResult.Classification.CLEAN_END;
    }

    boolean isTornTail()
    {
        return corruption == null && result.classification() == ScanResult.Classification.TORN_TAIL;
    }

    /**
     * The segment file holding a position, for naming where damage lies.
     *
     * @param segments the log's segments.
     * @param position the position.
     * @return the file name, or {@code "-"} when no segment holds it.
     */
    static DatabaseDirectory.Segment segmentAt(final List<DatabaseDirectory.Segment> segments, final long position)
    {
        DatabaseDirectory.Segment found = null;
        for (final DatabaseDirectory.Segment segment : segments)
        {
            if (segment.basePosition() <= position)
            {
                found = segment;
            }
        }
        return found;
    }

    /**
     * One line saying how the log ends or where it is damaged.
     *
     * @param segments the log's segments.
     * @return the line.
     */
    String describeEnd(final List<DatabaseDirectory.Segment> segments)
    {
        if (corruption != null)
        {
            return String.format(java.util.Locale.ROOT,
                "corrupt at position %d: file %s, offset %d, %s, expected CRC 0x%08x, actual CRC 0x%08x: %s",
                corruption.position(), corruption.segmentFileName(), corruption.offset(), corruption.reason(),
                corruption.expectedCrc(), corruption.actualCrc(), corruption.getMessage());
        }
        if (isTornTail())
        {
            final DatabaseDirectory.Segment segment = segmentAt(segments, result.endPosition());
            return "torn tail of " + result.tailLength() + " bytes at position " + result.endPosition() + ": file "
                + (segment == null ? "-" : segment.fileName() + ", offset " + (result.endPosition()
                - segment.basePosition())) + ", after the durable position " + result.durablePosition()
                + " (a write a crash interrupted; recovery cuts it)";
        }
        return "clean end at position " + result.endPosition() + " (durable position " + result.durablePosition()
            + ")";
    }
}
