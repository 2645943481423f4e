/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.PositionFileNames;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Layout of the header at offset 0 of every segment file, and the segment file names. Stored on disk; changing it
 * needs a new {@link #FORMAT_VERSION}. All integers are little-endian. Stateless; any thread.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  magic "TALLYWAL" (8 ASCII bytes)             |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        formatVersion (1)                      |  8
 *  +---------------------------------------------------------------+
 *  |                        headerLength (64)                      | 12
 *  +---------------------------------------------------------------+
 *  |                          segmentLength                        | 16
 *  +---------------------------------------------------------------+
 *  |                           reserved (0)                        | 20
 *  +---------------------------------------------------------------+
 *  |            databaseId (most, then least significant)          | 24
 *  |                            16 bytes                           |
 *  +---------------------------------------------------------------+
 *  |                       segmentBasePosition                     | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 headerCrc: CRC32 of bytes 0 to 47             | 48
 *  +---------------------------------------------------------------+
 *  |   durableCrc: CRC32 of segmentBasePosition, durablePosition   | 52
 *  +---------------------------------------------------------------+
 *  |                 durablePosition (the durable slot)            | 56
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Bytes 0 to 55 less the durable CRC are static: written once, through the file channel, before the file gets its
 * final name. The durable slot (bytes 52 to 63) is rewritten by the writer before each force; a slot whose {@code
 * durableCrc} does not match, or whose value lies outside the segment, is ignored and the segment base counts as
 * durable instead (a segment is created only after the previous one was fully forced). A segment file is named
 * {@code <segmentBasePosition, 20 digits, zero-padded>.wal}, so that a directory listing sorts in log order; a file
 * being created carries an extra {@code .tmp} suffix until it is complete.
 */
public final class SegmentDescriptor
{
    /** The first eight bytes of every segment. */
    public static final String MAGIC = "TALLYWAL";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the format version. */
    public static final int FORMAT_VERSION_OFFSET = 8;
    /** Offset of the header length. */
    public static final int HEADER_LENGTH_OFFSET = 12;
    /** Offset of the segment length. */
    public static final int SEGMENT_LENGTH_OFFSET = 16;
    /** Offset of the database id. */
    public static final int DATABASE_ID_OFFSET = 24;
    /** Offset of the segment base position. */
    public static final int SEGMENT_BASE_POSITION_OFFSET = 40;
    /** Offset of the CRC32 over the static fields (bytes 0 to 47). */
    public static final int HEADER_CRC_OFFSET = 48;
    /** Offset of the CRC32 guarding the durable slot. */
    public static final int DURABLE_CRC_OFFSET = 52;
    /** Offset of the durable position slot. */
    public static final int DURABLE_POSITION_OFFSET = 56;
    /** Length of the segment header; the first frame of a segment starts here. */
    public static final int HEADER_LENGTH = 64;
    /** File name suffix of a segment. */
    public static final String SEGMENT_SUFFIX = ".wal";
    /** Extra suffix of a segment file that is still being created. */
    public static final String TEMPORARY_SUFFIX = ".tmp";
    /** Start of the name of a spare segment; see {@link #spareFileName(long)}. */
    public static final String SPARE_FILE_PREFIX = "spare-";

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

    private SegmentDescriptor()
    {
    }

    /**
     * The file name of the segment starting at a base position; any thread. Independent of the default locale.
     *
     * @param segmentBasePosition the base position, not negative.
     * @return for example {@code 00000000000067108864.wal}.
     */
    public static String fileName(final long segmentBasePosition)
    {
        return PositionFileNames.format(segmentBasePosition, SEGMENT_SUFFIX);
    }

    /**
     * The name of a spare segment: a zero-filled, forced file of the segment length, prepared ahead of a roll and
     * renamed into the next segment. Each spare gets its own number, so preparing one never touches a file that a
     * roll is still renaming. The name ends with the temporary suffix, so an open deletes a spare left by a crash and
     * no reader takes it for a segment; any thread.
     *
     * @param number the spare's number, unique within one writer.
     * @return for example {@code spare-3.wal.tmp}.
     */
    public static String spareFileName(final long number)
    {
        return SPARE_FILE_PREFIX + number + SEGMENT_SUFFIX + TEMPORARY_SUFFIX;
    }

    /**
     * Parses a segment file name back to its base position; any thread.
     *
     * @param fileName a file name without directory.
     * @return the base position, or -1 when the name is not a segment name.
     */
    public static long parseFileName(final String fileName)
    {
        return PositionFileNames.parse(fileName, SEGMENT_SUFFIX);
    }

    /**
     * Writes a complete header, with the durable slot set, into a little-endian buffer at index 0; any thread.
     *
     * @param buffer              a buffer of at least {@link #HEADER_LENGTH} bytes, little-endian.
     * @param segmentLength       the segment length.
     * @param databaseId          the database id.
     * @param segmentBasePosition the base position.
     * @param durablePosition     the initial durable slot value.
     */
    public static void writeHeader(
        final ByteBuffer buffer,
        final int segmentLength,
        final UUID databaseId,
        final long segmentBasePosition,
        final long durablePosition)
    {
        checkLittleEndian(buffer);
        buffer.put(MAGIC_OFFSET, MAGIC_BYTES);
        buffer.putInt(FORMAT_VERSION_OFFSET, FORMAT_VERSION);
        buffer.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        buffer.putInt(SEGMENT_LENGTH_OFFSET, segmentLength);
        buffer.putInt(SEGMENT_LENGTH_OFFSET + 4, 0);
        buffer.putLong(DATABASE_ID_OFFSET, databaseId.getMostSignificantBits());
        buffer.putLong(DATABASE_ID_OFFSET + 8, databaseId.getLeastSignificantBits());
        buffer.putLong(SEGMENT_BASE_POSITION_OFFSET, segmentBasePosition);
        buffer.putInt(HEADER_CRC_OFFSET, headerChecksum(buffer));
        writeDurablePosition(buffer, segmentBasePosition, durablePosition);
    }

    /**
     * Writes the durable slot (value, then its CRC) into a little-endian header buffer; the caller owns the buffer.
     *
     * @param buffer              the header buffer, little-endian.
     * @param segmentBasePosition the segment's base position, bound into the slot's CRC.
     * @param durablePosition     the value.
     */
    public static void writeDurablePosition(
        final ByteBuffer buffer, final long segmentBasePosition, final long durablePosition)
    {
        buffer.putLong(DURABLE_POSITION_OFFSET, durablePosition);
        buffer.putInt(DURABLE_CRC_OFFSET, durableChecksum(segmentBasePosition, durablePosition));
    }

    /**
     * The CRC32 of the static header fields, bytes 0 to 47 of a little-endian buffer; any thread.
     *
     * @param buffer the header buffer.
     * @return the checksum as stored at {@link #HEADER_CRC_OFFSET}.
     */
    public static int headerChecksum(final ByteBuffer buffer)
    {
        final CRC32 crc = new CRC32();
        final ByteBuffer view = buffer.duplicate();
        view.clear();
        view.position(0).limit(HEADER_CRC_OFFSET);
        crc.update(view);
        return (int)crc.getValue();
    }

    /**
     * The CRC32 guarding a durable slot: over the base position then the durable position, 8 little-endian bytes
     * each; any thread, no allocation.
     *
     * @param segmentBasePosition the segment's base position.
     * @param durablePosition     the slot value.
     * @return the checksum as stored at {@link #DURABLE_CRC_OFFSET}.
     */
    public static int durableChecksum(final long segmentBasePosition, final long durablePosition)
    {
        final CRC32 crc = new CRC32();
        for (int i = 0; i < Long.BYTES; i++)
        {
            crc.update((int)(segmentBasePosition >>> (8 * i)));
        }
        for (int i = 0; i < Long.BYTES; i++)
        {
            crc.update((int)(durablePosition >>> (8 * i)));
        }
        return (int)crc.getValue();
    }

    /**
     * Whether the first eight bytes of a buffer are the magic; any thread.
     *
     * @param buffer the header buffer.
     * @return {@code true} when they are {@link #MAGIC}.
     */
    public static boolean hasMagic(final ByteBuffer buffer)
    {
        for (int i = 0; i < MAGIC_BYTES.length; i++)
        {
            if (buffer.get(MAGIC_OFFSET + i) != MAGIC_BYTES[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the durable slot of a header, falling back to the base position when the slot fails its CRC or lies
     * outside the segment; any thread.
     *
     * @param buffer the header buffer, little-endian, already validated.
     * @return the durable position this segment vouches for.
     */
    public static long durablePosition(final ByteBuffer buffer)
    {
        final long base = buffer.getLong(SEGMENT_BASE_POSITION_OFFSET);
        final long segmentLength = buffer.getInt(SEGMENT_LENGTH_OFFSET);
        final long value = buffer.getLong(DURABLE_POSITION_OFFSET);
        final int crc = buffer.getInt(DURABLE_CRC_OFFSET);
        if (crc == durableChecksum(base, value) && value >= base && value <= base + segmentLength)
        {
            return value;
        }
        return base;
    }

    private static void checkLittleEndian(final ByteBuffer buffer)
    {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new IllegalArgumentException("segment header buffers must be little-endian");
        }
    }
}
