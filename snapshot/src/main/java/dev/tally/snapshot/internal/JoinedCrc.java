/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot.internal;

import java.util.zip.CRC32;

/**
 * The CRC32 of a file read in order, where some ranges are checksummed apart (on another thread, say) and joined in
 * by their CRC and length. One thread.
 */
final class JoinedCrc
{
    private final CRC32 current = new CRC32();
    private long currentLength;
    /** The CRC32 of every byte before those in {@link #current}; zero, the CRC32 of nothing, at first. */
    private int joined;

    /**
     * Adds bytes after those seen so far.
     *
     * @param bytes  the array.
     * @param from   the first byte.
     * @param length the number of bytes.
     */
    void update(final byte[] bytes, final int from, final int length)
    {
        current.update(bytes, from, length);
        currentLength += length;
    }

    /**
     * Adds a range checksummed apart, after the bytes seen so far.
     *
     * @param crc    the range's CRC32.
     * @param length the range's length.
     */
    void join(final int crc, final long length)
    {
        joined = Crc32Combine.combine(Crc32Combine.combine(joined, (int)current.getValue(), currentLength), crc,
            length);
        current.reset();
        currentLength = 0;
    }

    /**
     * The CRC32 of everything added, in order.
     *
     * @return the CRC32.
     */
    int value()
    {
        return Crc32Combine.combine(joined, (int)current.getValue(), currentLength);
    }
}
