/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;

/**
 * Layout of one WAL frame: a fixed header, the record (payload) and zero padding to the next 8-byte boundary. Stored
 * on disk; changing it needs a new format version ({@link SegmentDescriptor#FORMAT_VERSION}). All integers are
 * little-endian. Stateless; any thread.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 frameLength (header + payload)                |  0
 *  +---------------------------------------------------------------+
 *  |                            crc32                              |  4
 *  +---------------------------------------------------------------+
 *  |                   position (the frame's own)                  |  8
 *  |                                                               |
 *  +---------------+---------------+-------------------------------+
 *  |   entryType   |     flags     |          reserved (0)         | 16
 *  +---------------+---------------+-------------------------------+
 *  |                          reserved (0)                         | 20
 *  +---------------------------------------------------------------+
 *  |                 txId (most, then least significant)           | 24
 *  |                            16 bytes                           |
 *  +---------------------------------------------------------------+
 *  |                 runId (most, then least significant)          | 40
 *  |                            16 bytes                           |
 *  +---------------------------------------------------------------+
 *  |                       payload (the record)                  ...  56
 *  ...                                                             |
 *  +---------------------------------------------------------------+
 *  |                 zero padding to 8-byte alignment            ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A frame starts at an 8-byte aligned offset of a segment, never straddles a segment end, and a {@code frameLength}
 * of zero means the slot was never written. The CRC32 covers, in this order: the 16-byte database id (most, then least
 * significant half, little-endian; a salt, so frames copied from another database fail), the 4 bytes of {@code
 * frameLength}, and the frame from {@link #POSITION_OFFSET} to the end of the payload. Padding is not covered by the
 * CRC and must be zero.
 */
public final class FrameDescriptor
{
    /** Offset of {@code frameLength}: header plus payload, excluding padding; 0 means never written. */
    public static final int FRAME_LENGTH_OFFSET = 0;
    /** Offset of the CRC32. */
    public static final int CRC_OFFSET = 4;
    /** Offset of the frame's own log position. */
    public static final int POSITION_OFFSET = 8;
    /** Offset of the entry type code (one unsigned byte). */
    public static final int TYPE_OFFSET = 16;
    /** Offset of the flags byte; no flag is defined yet, so it is 0. */
    public static final int FLAGS_OFFSET = 17;
    /** Offset of the six reserved bytes, which are 0. */
    public static final int RESERVED_OFFSET = 18;
    /** Offset of the transaction id. */
    public static final int TX_ID_OFFSET = 24;
    /** Offset of the run id. */
    public static final int RUN_ID_OFFSET = 40;
    /** Length of the frame header; the payload starts here. */
    public static final int HEADER_LENGTH = 56;
    /** Offset of the payload. */
    public static final int PAYLOAD_OFFSET = HEADER_LENGTH;
    /** Frames start and end (with padding) on multiples of this. */
    public static final int FRAME_ALIGNMENT = 8;

    private FrameDescriptor()
    {
    }

    /**
     * The length a frame occupies with its padding; any thread.
     *
     * @param frameLength header plus payload.
     * @return {@code frameLength} rounded up to {@link #FRAME_ALIGNMENT}.
     */
    public static int alignedLength(final int frameLength)
    {
        return (frameLength + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
    }

    /**
     * The {@code frameLength} of a frame carrying a record of this length; any thread.
     *
     * @param payloadLength the record length.
     * @return header plus payload.
     */
    public static int frameLength(final int payloadLength)
    {
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * The longest frame (header plus payload) that fits in a segment of this length; any thread.
     *
     * @param segmentLength the segment length.
     * @return the segment length less the segment header.
     */
    public static int frameLengthMax(final int segmentLength)
    {
        return segmentLength - SegmentDescriptor.HEADER_LENGTH;
    }

    /**
     * The longest record that fits in one frame of a segment of this length; any thread.
     *
     * @param segmentLength the segment length.
     * @return the longest payload length accepted by {@link WalWriter#append}.
     */
    public static int payloadLengthMax(final int segmentLength)
    {
        return frameLengthMax(segmentLength) - HEADER_LENGTH;
    }

    /**
     * Rejects a record that cannot fit in one frame; any thread. Nothing has been written when it throws.
     *
     * @param payloadLength the record length.
     * @param segmentLength the segment length.
     * @throws InvalidArgumentException with {@link ErrorCode#RECORD_TOO_LARGE} when it does not fit.
     */
    public static void checkPayloadLength(final int payloadLength, final int segmentLength)
    {
        final int payloadLengthMax = payloadLengthMax(segmentLength);
        if (payloadLength > payloadLengthMax)
        {
            throw new InvalidArgumentException(ErrorCode.RECORD_TOO_LARGE, "record too large: payloadLength=" +
                payloadLength + ", payloadLengthMax=" + payloadLengthMax + ", segmentLength=" + segmentLength);
        }
        if (payloadLength < 0)
        {
            throw new InvalidArgumentException(
                ErrorCode.INVALID_ARGUMENT, "negative payload length: payloadLength=" + payloadLength);
        }
    }
}
