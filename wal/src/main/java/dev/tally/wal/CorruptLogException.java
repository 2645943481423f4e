/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;

/**
 * The log is damaged where it cannot be a torn tail: before the durable position, in a segment header, or in a way
 * (a foreign database, an unknown version or type) no crash produces. Raised by {@link WalScanner} and {@link
 * WalWriter#open}; immutable, any thread. Its code is {@link ErrorCode#CORRUPT_LOG}, except {@link
 * ErrorCode#UNKNOWN_FORMAT_VERSION}, {@link ErrorCode#FOREIGN_DATABASE} and {@link ErrorCode#UNKNOWN_ENTRY_TYPE} for
 * the matching reasons.
 */
public final class CorruptLogException extends CorruptDataException
{
    private static final long serialVersionUID = 1L;

    /** The CRC value reported when no CRC was involved. */
    public static final int NO_CRC = 0;

    private final CorruptionReason reason;
    private final String segmentFileName;
    private final int offset;
    private final long position;
    private final int expectedCrc;
    private final int actualCrc;

    /**
     * Creates the exception; any thread.
     *
     * @param reason          why the log was rejected.
     * @param segmentFileName the segment file name, without directory.
     * @param offset          the offset of the damage in the segment.
     * @param position        the log position of the damage.
     * @param expectedCrc     the CRC stored on disk, or {@link #NO_CRC}.
     * @param actualCrc       the CRC computed over the bytes, or {@link #NO_CRC}.
     * @param detail          what was found, in {@code name=value} form.
     */
    public CorruptLogException(
        final CorruptionReason reason,
        final String segmentFileName,
        final int offset,
        final long position,
        final int expectedCrc,
        final int actualCrc,
        final String detail)
    {
        super(codeOf(reason), "corrupt log: reason=" + reason + ", segment=" + segmentFileName + ", offset=" + offset +
            ", position=" + position + ", expectedCrc=0x" + Integer.toHexString(expectedCrc) + ", actualCrc=0x" +
            Integer.toHexString(actualCrc) + ", " + detail);
        this.reason = reason;
        this.segmentFileName = segmentFileName;
        this.offset = offset;
        this.position = position;
        this.expectedCrc = expectedCrc;
        this.actualCrc = actualCrc;
    }

    /**
     * Why the log was rejected.
     *
     * @return the reason.
     */
    public CorruptionReason reason()
    {
        return reason;
    }

    /**
     * The segment file name, without directory.
     *
     * @return the name.
     */
    public String segmentFileName()
    {
        return segmentFileName;
    }

    /**
     * The offset of the damage inside the segment.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * The log position of the damage.
     *
     * @return the position.
     */
    public long position()
    {
        return position;
    }

    /**
     * The CRC stored on disk.
     *
     * @return the stored CRC, or {@link #NO_CRC}.
     */
    public int expectedCrc()
    {
        return expectedCrc;
    }

    /**
     * The CRC computed over the bytes found.
     *
     * @return the computed CRC, or {@link #NO_CRC}.
     */
    public int actualCrc()
    {
        return actualCrc;
    }

    private static ErrorCode codeOf(final CorruptionReason reason)
    {
        switch (reason)
        {
            case UNKNOWN_VERSION:
                return ErrorCode.UNKNOWN_FORMAT_VERSION;
            case FOREIGN_DATABASE:
                return ErrorCode.FOREIGN_DATABASE;
            case UNKNOWN_TYPE:
                return ErrorCode.UNKNOWN_ENTRY_TYPE;
            default:
                return ErrorCode.CORRUPT_LOG;
        }
    }
}
