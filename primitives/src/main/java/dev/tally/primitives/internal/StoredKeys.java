/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks and compares stored key text in place, eight bytes at a time. Stateless; any thread.
 *
 * <p>Design note: keys are ordered by their UTF-8 bytes as unsigned values, so two keys compare as their first
 * differing big-endian long; recovery and snapshot loading compare every key with its neighbour, and the JDK's
 * general array comparison costs a call and a setup per comparison that dominates for keys of a few dozen bytes.
 */
final class StoredKeys
{
    /** Big-endian longs over a byte array: comparing two of them compares eight bytes as unsigned. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private StoredKeys()
    {
    }

    /**
     * Compares two byte ranges as unsigned bytes, a shorter prefix first.
     *
     * @param a     the first array.
     * @param aFrom its first byte.
     * @param aTo   its end, exclusive.
     * @param b     the second array.
     * @param bFrom its first byte.
     * @param bTo   its end, exclusive.
     * @return negative, zero or positive as the first sorts before, with or after the second.
     */
    static int compare(final byte[] a, final int aFrom, final int aTo, final byte[] b, final int bFrom, final int bTo)
    {
        final int common = Math.min(aTo - aFrom, bTo - bFrom);
        int i = 0;
        for (; i <= common - Long.BYTES; i += Long.BYTES)
        {
            final long x = (long)LONGS.get(a, aFrom + i);
            final long y = (long)LONGS.get(b, bFrom + i);
            if (x != y)
            {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < common; i++)
        {
            final int cmp = Byte.compareUnsigned(a[aFrom + i], b[bFrom + i]);
            if (cmp != 0)
            {
                return cmp;
            }
        }
        return Integer.compare(aTo - aFrom, bTo - bFrom);
    }

    /**
     * Compares two byte ranges of big-endian buffers as unsigned bytes, a shorter prefix first, with absolute reads.
     *
     * @param a     the first buffer.
     * @param aFrom its first byte.
     * @param aTo   its end, exclusive.
     * @param b     the second buffer (may be the first).
     * @param bFrom its first byte.
     * @param bTo   its end, exclusive.
     * @return negative, zero or positive as the first sorts before, with or after the second.
     */
    static int compare(final ByteBuffer a, final int aFrom, final int aTo, final ByteBuffer b, final int bFrom,
        final int bTo)
    {
        final int common = Math.min(aTo - aFrom, bTo - bFrom);
        int i = 0;
        for (; i <= common - Long.BYTES; i += Long.BYTES)
        {
            final long x = a.getLong(aFrom + i);
            final long y = b.getLong(bFrom + i);
            if (x != y)
            {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < common; i++)
        {
            final int cmp = Byte.compareUnsigned(a.get(aFrom + i), b.get(bFrom + i));
            if (cmp != 0)
            {
                return cmp;
            }
        }
        return Integer.compare(aTo - aFrom, bTo - bFrom);
    }

    /**
     * Whether a range of a big-endian buffer holds only bytes 1 to 127, which makes it a valid key without decoding
     * when it is not empty and not too long; absolute reads.
     *
     * @param data the buffer.
     * @param from the first byte.
     * @param to   the end, exclusive.
     * @return whether every byte is plain ASCII other than NUL.
     */
    static boolean isAsciiWithoutNul(final ByteBuffer data, final int from, final int to)
    {
        int at = from;
        for (; at <= to - Long.BYTES; at += Long.BYTES)
        {
            if (!isAsciiWithoutNul(data.getLong(at)))
            {
                return false;
            }
        }
        for (; at < to; at++)
        {
            if (data.get(at) <= 0)
            {
                return false;
            }
        }
        return true;
    }

    /** Whether no byte of a word has its high bit set or is zero (the classic has-zero-byte test). */
    private static boolean isAsciiWithoutNul(final long word)
    {
        return ((word | ((word - ONES) & ~word)) & HIGH_BITS) == 0;
    }

    /**
     * Whether the bytes of a big-endian word that a mask keeps are all plain ASCII other than NUL. The bytes the mask
     * drops may be anything: a zero among them can only make the test refuse a byte of 0x01 above it (the borrow of
     * the has-zero-byte test), never accept a NUL or a byte with its high bit set.
     *
     * @param word the eight bytes, the first in the high byte.
     * @param mask {@link #keyMask} of how many leading bytes count.
     * @return whether every kept byte is 1 to 127.
     */
    static boolean isAsciiWithoutNul(final long word, final long mask)
    {
        return ((word | ((word - ONES) & ~word)) & HIGH_BITS & mask) == 0;
    }

    /**
     * A mask keeping the first {@code length} bytes of a big-endian word.
     *
     * @param length how many leading bytes to keep; 0 or less keeps none, 8 or more keeps all.
     * @return the mask.
     */
    static long keyMask(final int length)
    {
        return length <= 0 ? 0 : length >= Long.BYTES ? -1L : -1L << ((Long.BYTES - length) << 3);
    }
}
