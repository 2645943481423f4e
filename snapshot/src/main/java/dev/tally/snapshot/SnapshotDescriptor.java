/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.PositionFileNames;

import java.nio.charset.StandardCharsets;

/**
 * Layout of an INMEM_SNAP snapshot file, and the snapshot file names. Stored on disk; changing it needs a new
 * {@link #FORMAT_VERSION}, and every reader keeps accepting version 1. All integers are big-endian, as in the core
 * codec. Stateless; any thread.
 * <pre>
 *   offset        length  field
 *  +-------------+-------+---------------------------------------------------------+
 *  |           0 |    10 | magic "INMEM_SNAP" (ASCII)                              |
 *  |          10 |     4 | formatVersion (1)                                       |
 *  |          14 |     8 | timestampMicros, since the epoch, not negative          |
 *  |          22 |     8 | walPosition: every frame before it is in the snapshot,  |
 *  |             |       | none at or after it; not negative                       |
 *  +-------------+-------+---------------------------------------------------------+
 *  |          30 |    16 | databaseId (most, then least significant 8 bytes)       |
 *  |          46 |     4 | sectionCount, 0 to 255                                  |
 *  +-------------+-------+---------------------------------------------------------+
 *  |          50 |       | sectionCount sections, in ascending typeId order:       |
 *  |             |     1 |   typeId, unsigned, 1 to 255, each at most once         |
 *  |             |     8 |   sectionLength, 0 to SECTION_LENGTH_MAX (2^31 - 9)     |
 *  |             |     n |   the section bytes (n = sectionLength)                 |
 *  +-------------+-------+---------------------------------------------------------+
 *  | fileLength-4|     4 | crc: CRC32 (java.util.zip) of bytes 0 to fileLength-5   |
 *  +-------------+-------+---------------------------------------------------------+
 * </pre>
 * The magic, version, timestamp and WAL position (bytes 0 to 29) and the CRC32 trailer are the frozen frame of the
 * format; the database id and section count were added after them in version 1. The last section ends exactly at the
 * trailer: nothing may follow it. A snapshot file is named {@code <walPosition, 20 digits, zero-padded>.snap}, so
 * that a directory listing sorts in log order; a file being written carries an extra {@code .tmp} suffix until it is
 * complete, forced and renamed. A history file ({@link HistoryFile}) has the same layout and lives next to the
 * snapshot of the same position.
 * <p>
 * A reader checks, in this order: the file is at least {@link #FILE_LENGTH_MIN} long, the magic, the CRC of the whole
 * file, the format version, the database id, then the other header fields (including that the walPosition equals the
 * one in the file name when the name is a snapshot or history name) and the sections against the file length.
 */
public final class SnapshotDescriptor
{
    /** The first ten bytes of every snapshot, in ASCII. */
    public static final String MAGIC = "INMEM_SNAP";
    /** The format version this build writes; it reads this one and every earlier one. */
    public static final int FORMAT_VERSION = 1;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Length of the magic in bytes. */
    public static final int MAGIC_LENGTH = 10;
    /** Offset of the format version. */
    public static final int FORMAT_VERSION_OFFSET = 10;
    /** Offset of the timestamp in microseconds since the epoch. */
    public static final int TIMESTAMP_OFFSET = 14;
    /** Offset of the WAL position the snapshot covers. */
    public static final int WAL_POSITION_OFFSET = 22;
    /** Offset of the database id. */
    public static final int DATABASE_ID_OFFSET = 30;
    /** Offset of the section count. */
    public static final int SECTION_COUNT_OFFSET = 46;
    /** Length of the fixed header; the first section starts here. */
    public static final int HEADER_LENGTH = 50;

    /** Offset of the type id inside a section header. */
    public static final int SECTION_TYPE_ID_OFFSET = 0;
    /** Offset of the section length inside a section header. */
    public static final int SECTION_LENGTH_OFFSET = 1;
    /** Length of a section header; the section bytes follow it. */
    public static final int SECTION_HEADER_LENGTH = 9;

    /** Length of the CRC32 trailer at the end of the file. */
    public static final int TRAILER_LENGTH = 4;
    /** The shortest valid file: a header, no section, the trailer. */
    public static final int FILE_LENGTH_MIN = HEADER_LENGTH + TRAILER_LENGTH;

    /** The lowest section type id; 0 is reserved. */
    public static final int SECTION_TYPE_ID_MIN = 1;
    /** The highest section type id. */
    public static final int SECTION_TYPE_ID_MAX = 255;
    /** The most sections a snapshot holds: one per type id. */
    public static final int SECTION_COUNT_MAX = SECTION_TYPE_ID_MAX;
    /** The longest section in version 1: the largest byte array every JVM allocates. */
    public static final long SECTION_LENGTH_MAX = Integer.MAX_VALUE - 8;

    /** File name suffix of a snapshot. */
    public static final String SNAPSHOT_SUFFIX = ".snap";
    /** Extra suffix of a snapshot or history file that is still being written. */
    public static final String TEMPORARY_SUFFIX = ".tmp";

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

    private SnapshotDescriptor()
    {
    }

    /**
     * A copy of the magic bytes; any thread.
     *
     * @return a new array of {@link #MAGIC_LENGTH} ASCII bytes.
     */
    public static byte[] magicBytes()
    {
        return MAGIC_BYTES.clone();
    }

    /**
     * The file name of the snapshot covering the log up to a WAL position; any thread. Independent of the default
     * locale.
     *
     * @param walPosition the WAL position, not negative.
     * @return for example {@code 00000000000000004096.snap}.
     * @throws IllegalArgumentException when the position is negative.
     */
    public static String fileName(final long walPosition)
    {
        return positionName(walPosition) + SNAPSHOT_SUFFIX;
    }

    private static String positionName(final long walPosition)
    {
        return PositionFileNames.format(walPosition, "");
    }

    /**
     * The name of the temporary file a snapshot is written to before it is renamed; any thread.
     *
     * @param walPosition the WAL position, not negative.
     * @return for example {@code 00000000000000004096.snap.tmp}.
     * @throws IllegalArgumentException when the position is negative.
     */
    public static String temporaryFileName(final long walPosition)
    {
        return fileName(walPosition) + TEMPORARY_SUFFIX;
    }

    /**
     * Parses a snapshot file name back to its WAL position; any thread.
     *
     * @param fileName a file name without directory.
     * @return the WAL position, or -1 when the name is not a snapshot name (temporary names are not).
     */
    public static long parseFileName(final String fileName)
    {
        return parseName(fileName, SNAPSHOT_SUFFIX);
    }

    private static long parseName(final String fileName, final String suffix)
    {
        return PositionFileNames.parse(fileName, suffix);
    }

    /**
     * Whether a file name is that of a snapshot or history file still being written (or left over by a crash); any
     * thread.
     *
     * @param fileName a file name without directory.
     * @return {@code true} for {@code <20 digits>.snap.tmp} and {@code <20 digits>.hist.tmp}.
     */
    public static boolean isTemporaryFileName(final String fileName)
    {
        if (!fileName.endsWith(TEMPORARY_SUFFIX))
        {
            return false;
        }
        final String finalName = fileName.substring(0, fileName.length() - TEMPORARY_SUFFIX.length());
        return parseFileName(finalName) >= 0 || HistoryFile.parseFileName(finalName) >= 0;
    }
}
