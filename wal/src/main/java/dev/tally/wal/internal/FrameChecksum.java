/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal.internal;

import dev.tally.wal.FrameDescriptor;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Computes frame CRCs as {@link FrameDescriptor} defines them, without allocating. Not thread-safe: one instance per
 * owner thread (the writer, or one scanner).
 */
public final class FrameChecksum
{
    private final CRC32 crc = new CRC32();
    private final byte[] prefix = new byte[20]; // the 16-byte salt, then the frame length (little-endian)

    /**
     * Creates a checksum salted with a database id; any thread.
     *
     * @param databaseId the database id.
     */
    public FrameChecksum(final UUID databaseId)
    {
        putLongLittleEndian(prefix, 0, databaseId.getMostSignificantBits());
        putLongLittleEndian(prefix, 8, databaseId.getLeastSignificantBits());
    }

    /**
     * The CRC of a frame; the caller owns {@code view} and this instance.
     *
     * @param view        a buffer over the segment, owned by the caller; its position and limit are changed.
     * @param frameOffset the offset of the frame.
     * @param frameLength the frame length to cover (header plus payload); the stored length field is not read.
     * @return the CRC32 as stored at {@link FrameDescriptor#CRC_OFFSET}.
     */
    public int compute(final ByteBuffer view, final int frameOffset, final int frameLength)
    {
        crc.reset();
        prefix[16] = (byte)frameLength;
        prefix[17] = (byte)(frameLength >>> 8);
        prefix[18] = (byte)(frameLength >>> 16);
        prefix[19] = (byte)(frameLength >>> 24);
        crc.update(prefix, 0, prefix.length);
        view.clear();
        view.position(frameOffset + FrameDescriptor.POSITION_OFFSET).limit(frameOffset + frameLength);
        crc.update(view);
        return (int)crc.getValue();
    }

    private static void putLongLittleEndian(final byte[] target, final int index, final long value)
    {
        for (int i = 0; i < Long.BYTES; i++)
        {
            target[index + i] = (byte)(value >>> (8 * i));
        }
    }
}
