/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The word-at-a-time key checks that snapshot loading relies on. Goal: a masked word passes the ASCII test only when
 * every kept byte is 1 to 127, whatever the dropped bytes hold, and passes whenever the kept bytes are 2 to 127 (a 0x01
 * may be refused, which only sends the entry to the full decoder); masks keep exactly the leading bytes.
 */
class StoredKeysTest
{
    @Test
    void shouldKeepExactlyTheLeadingBytes()
    {
        assertEquals(0L, StoredKeys.keyMask(-3));
        assertEquals(0L, StoredKeys.keyMask(0));
        assertEquals(0xFF00_0000_0000_0000L, StoredKeys.keyMask(1));
        assertEquals(0xFFFF_FFFF_FFFF_FF00L, StoredKeys.keyMask(7));
        assertEquals(-1L, StoredKeys.keyMask(8));
        assertEquals(-1L, StoredKeys.keyMask(127));
    }

    @Test
    void shouldPassAMaskedWordOnlyWhenEveryKeptByteIsPlainAsciiWithoutNul()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final int[] edges = {0x00, 0x01, 0x02, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF};
        for (int round = 0; round < 200_000; round++)
        {
            final byte[] bytes = new byte[Long.BYTES];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = (byte)(random.nextInt(4) == 0 ? edges[random.nextInt(edges.length)] : random.nextInt(256));
            }
            final int kept = random.nextInt(Long.BYTES + 1);
            final long word = ByteBuffer.wrap(bytes).getLong(0);
            boolean isAscii = true;
            boolean isAboveOne = true;
            for (int i = 0; i < kept; i++)
            {
                isAscii &= bytes[i] >= 1;
                isAboveOne &= bytes[i] >= 2;
            }
            final boolean passes = StoredKeys.isAsciiWithoutNul(word, StoredKeys.keyMask(kept));
            if (passes)
            {
                assertTrue(isAscii, "accepted a NUL or a high byte: " + Long.toHexString(word) + ", kept " + kept);
            }
            if (isAboveOne)
            {
                assertTrue(passes, "refused plain ASCII: " + Long.toHexString(word) + ", kept " + kept);
            }
        }
        assertFalse(StoredKeys.isAsciiWithoutNul(0x6162_0063_0000_0000L, StoredKeys.keyMask(4)), "NUL kept");
        assertTrue(StoredKeys.isAsciiWithoutNul(0x6162_6364_0000_0000L, StoredKeys.keyMask(4)), "zeros dropped");
    }

    @Test
    void shouldCompareBuffersAsUnsignedBytesShorterPrefixFirst()
    {
        final ByteBuffer a = ByteBuffer.wrap(new byte[] {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', (byte)0xC3});
        assertEquals(0, StoredKeys.compare(a, 0, 10, a, 0, 10));
        assertTrue(StoredKeys.compare(a, 0, 9, a, 0, 10) < 0, "a prefix sorts first");
        assertTrue(StoredKeys.compare(a, 9, 10, a, 0, 1) > 0, "0xC3 sorts after 'a' as unsigned");
        assertTrue(StoredKeys.compare(a, 1, 10, a, 0, 9) > 0, "first difference in the first word");
    }
}
