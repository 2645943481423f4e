/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot.internal;

/**
 * Joins the CRC32 (the {@link java.util.zip.CRC32} variant: reflected polynomial {@code 0xEDB88320}, initial and final
 * value {@code 0xFFFFFFFF}) of two adjacent byte ranges into the CRC32 of both, so that the ranges can be checksummed
 * on different threads. Stateless; any thread.
 *
 * <p>Design note: a CRC is the remainder of the message polynomial modulo P. Appending {@code n} bytes multiplies
 * the first range's polynomial by {@code x^(8n)}; the pre- and post-conditioning cancel out between the two
 * remainders, so {@code crc(A || B) = crc(A) * x^(8 |B|) mod P xor crc(B)}. The power is built from the 32 squares
 * {@code x^(2^k) mod P}, one multiplication per set bit of the length, so a join costs at most 64 multiplications of
 * 32 steps each, whatever the length.
 */
public final class Crc32Combine
{
    /** The CRC32 polynomial without its {@code x^32} term, least significant coefficient in bit 31 (reflected). */
    private static final int POLYNOMIAL = 0xEDB88320;
    /** {@code x^0} in the reflected representation. */
    private static final int ONE = 0x80000000;
    /** {@code X_POW_2K[k] = x^(2^k) mod P}, for every bit a shifted {@code long} length can set. */
    private static final int[] X_POW_2K = new int[Long.SIZE + 3];

    static
    {
        X_POW_2K[0] = ONE >>> 1; // x^1
        for (int k = 1; k < X_POW_2K.length; k++)
        {
            X_POW_2K[k] = multiply(X_POW_2K[k - 1], X_POW_2K[k - 1]);
        }
    }

    private Crc32Combine()
    {
    }

    /**
     * The CRC32 of two adjacent ranges from the CRC32 of each.
     *
     * @param crcFirst     the CRC32 of the first range.
     * @param crcSecond    the CRC32 of the range that follows it.
     * @param secondLength the length of the second range in bytes, not negative.
     * @return the CRC32 of the first range followed by the second.
     */
    public static int combine(final int crcFirst, final int crcSecond, final long secondLength)
    {
        if (secondLength < 0)
        {
            throw new IllegalArgumentException("negative length: secondLength=" + secondLength);
        }
        return multiply(xPow8n(secondLength), crcFirst) ^ crcSecond;
    }

    /** {@code x^(8n) mod P}: the product of {@code x^(2^k)} over the set bits k of {@code 8n}. */
    private static int xPow8n(final long n)
    {
        int power = ONE;
        long bits = n;
        int k = 3; // 8n = n << 3
        // Bounded: one pass per bit of a non-negative long, and k stays below 3 + 63, within the table.
        while (bits != 0)
        {
            if ((bits & 1) != 0)
            {
                power = multiply(power, X_POW_2K[k]);
            }
            bits >>>= 1;
            k++;
        }
        return power;
    }

    /** The product of two reflected polynomials modulo P. */
    private static int multiply(final int a, final int b)
    {
        int product = 0;
        int shifted = b; // b * x^i, as i walks a's coefficients from x^0 (bit 31) upwards
        for (int bit = ONE; bit != 0; bit >>>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= shifted;
            }
            shifted = (shifted & 1) != 0 ? (shifted >>> 1) ^ POLYNOMIAL : shifted >>> 1;
        }
        return product;
    }
}
