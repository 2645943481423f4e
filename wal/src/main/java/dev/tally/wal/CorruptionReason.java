/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

/**
 * Why the scanner rejected a frame or a segment, as carried by {@link CorruptLogException}. Any thread.
 */
public enum CorruptionReason
{
    /** The frame's CRC32 does not match its bytes. */
    CRC_MISMATCH,
    /** The frame length is shorter than a header, runs past the segment, or is zero with data after it. */
    BAD_LENGTH,
    /** The padding after the payload is not zero. */
    BAD_PADDING,
    /** A frame with a valid CRC carries a position earlier than expected: left over from an earlier use. */
    STALE_FRAME,
    /** A frame with a valid CRC carries a position later than expected. */
    POSITION_MISMATCH,
    /** The segment header has a format version this build does not read. */
    UNKNOWN_VERSION,
    /** The segment header names another database. */
    FOREIGN_DATABASE,
    /** A frame with a valid CRC carries an entry type code nobody registered. */
    UNKNOWN_TYPE,
    /** The segment header is malformed: magic, length, header CRC, or base position against the file name. */
    BAD_HEADER,
    /** The frames end cleanly before the durable position its segment header records: durable data is gone. */
    TRUNCATED,
    /** A segment between the scan start and the last segment is missing. */
    MISSING_SEGMENT
}
