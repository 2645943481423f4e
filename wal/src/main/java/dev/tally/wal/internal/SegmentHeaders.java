/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal.internal;

import dev.tally.wal.CorruptLogException;
import dev.tally.wal.CorruptionReason;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.WalOptions;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Validates segment headers as {@link SegmentDescriptor} defines them. Stateless; any thread.
 */
public final class SegmentHeaders
{
    private SegmentHeaders()
    {
    }

    /**
     * Checks every static field of a header; any thread. A bad header is corruption wherever it is.
     *
     * @param header       a little-endian buffer holding at least the header, from index 0.
     * @param fileName     the segment file name.
     * @param fileLength   the file's length on disk.
     * @param databaseId   the id the segment must carry.
     * @return the segment length the header records.
     * @throws CorruptLogException when any field is wrong.
     */
    public static int validate(
        final ByteBuffer header, final String fileName, final long fileLength, final UUID databaseId)
    {
        final long expectedBase = SegmentDescriptor.parseFileName(fileName);
        if (fileLength < SegmentDescriptor.HEADER_LENGTH || !SegmentDescriptor.hasMagic(header))
        {
            throw corrupt(CorruptionReason.BAD_HEADER, fileName, expectedBase, 0, 0,
                "segment header magic missing: fileLength=" + fileLength);
        }
        final int version = header.getInt(SegmentDescriptor.FORMAT_VERSION_OFFSET);
        if (version != SegmentDescriptor.FORMAT_VERSION)
        {
            throw corrupt(CorruptionReason.UNKNOWN_VERSION, fileName, expectedBase, 0, 0,
                "unknown segment format version: formatVersion=" + version + ", supported=" +
                SegmentDescriptor.FORMAT_VERSION);
        }
        final int storedCrc = header.getInt(SegmentDescriptor.HEADER_CRC_OFFSET);
        final int actualCrc = SegmentDescriptor.headerChecksum(header);
        if (storedCrc != actualCrc)
        {
            throw corrupt(CorruptionReason.BAD_HEADER, fileName, expectedBase, storedCrc, actualCrc,
                "segment header CRC mismatch");
        }
        final UUID foundId = new UUID(header.getLong(SegmentDescriptor.DATABASE_ID_OFFSET),
            header.getLong(SegmentDescriptor.DATABASE_ID_OFFSET + 8));
        if (!foundId.equals(databaseId))
        {
            throw corrupt(CorruptionReason.FOREIGN_DATABASE, fileName, expectedBase, 0, 0,
                "segment belongs to another database: databaseId=" + foundId + ", expected=" + databaseId);
        }
        return validateGeometry(header, fileName, fileLength, expectedBase);
    }

    private static int validateGeometry(
        final ByteBuffer header, final String fileName, final long fileLength, final long expectedBase)
    {
        final int headerLength = header.getInt(SegmentDescriptor.HEADER_LENGTH_OFFSET);
        final int segmentLength = header.getInt(SegmentDescriptor.SEGMENT_LENGTH_OFFSET);
        final long base = header.getLong(SegmentDescriptor.SEGMENT_BASE_POSITION_OFFSET);
        if (headerLength != SegmentDescriptor.HEADER_LENGTH || segmentLength < WalOptions.SEGMENT_LENGTH_MIN ||
            segmentLength > WalOptions.SEGMENT_LENGTH_MAX || Integer.bitCount(segmentLength) != 1 ||
            segmentLength != fileLength)
        {
            throw corrupt(CorruptionReason.BAD_HEADER, fileName, expectedBase, 0, 0,
                "bad segment geometry: headerLength=" + headerLength + ", segmentLength=" + segmentLength +
                ", fileLength=" + fileLength);
        }
        if (base != expectedBase || (base & (segmentLength - 1)) != 0)
        {
            throw corrupt(CorruptionReason.BAD_HEADER, fileName, expectedBase, 0, 0,
                "segment base position does not match its file name: segmentBasePosition=" + base);
        }
        return segmentLength;
    }

    private static CorruptLogException corrupt(
        final CorruptionReason reason,
        final String fileName,
        final long position,
        final int expectedCrc,
        final int actualCrc,
        final String detail)
    {
        return new CorruptLogException(reason, fileName, 0, Math.max(position, 0), expectedCrc, actualCrc, detail);
    }
}
