/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot.internal;

import dev.tally.core.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(30)
class Crc32CombineTest
{
    @Test
    void shouldEqualTheCrcOfTheWholeWhenEveryCutOfAShortMessageIsJoined()
    {
        final byte[] message = "123456789 the quick brown fox".getBytes(StandardCharsets.US_ASCII);
        final int whole = crc(message, 0, message.length);
        for (int cut = 0; cut <= message.length; cut++)
        {
            final int joined = Crc32Combine.combine(crc(message, 0, cut), crc(message, cut, message.length - cut),
                message.length - cut);
            assertEquals(whole, joined, "cut=" + cut);
        }
    }

    @Test
    void shouldEqualTheCrcOfTheWholeWhenRandomMessagesAreCutAtRandom()
    {
        for (final long seed : Seeds.seeds(5L, 6L, 7L))
        {
            final SplittableRandom random = new SplittableRandom(seed);
            for (int round = 0; round < 200; round++)
            {
                final byte[] message = new byte[random.nextInt(1 << random.nextInt(1, 21))];
                random.nextBytes(message);
                final int cut = random.nextInt(message.length + 1);
                final int joined = Crc32Combine.combine(crc(message, 0, cut),
                    crc(message, cut, message.length - cut), message.length - cut);
                assertEquals(crc(message, 0, message.length), joined,
                    Seeds.describe(seed) + ", length=" + message.length + ", cut=" + cut);
            }
        }
    }

    @Test
    void shouldMatchACrcOverGigabytesWhenTheSecondRangeIsLong()
    {
        // Lengths past 2^29 bytes use the high squares of x; a run of zeros is cheap to checksum in pieces.
        final byte[] zeros = new byte[1 << 20];
        final CRC32 whole = new CRC32();
        whole.update(new byte[] {1, 2, 3});
        final CRC32 second = new CRC32();
        final long secondLength = 3L << 30;
        for (long done = 0; done < secondLength; done += zeros.length)
        {
            whole.update(zeros);
            second.update(zeros);
        }
        final int joined = Crc32Combine.combine(crc(new byte[] {1, 2, 3}, 0, 3), (int)second.getValue(),
            secondLength);
        assertEquals((int)whole.getValue(), joined);
    }

    @Test
    void shouldRejectANegativeLength()
    {
        assertThrows(IllegalArgumentException.class, () -> Crc32Combine.combine(0, 0, -1));
    }

    private static int crc(final byte[] bytes, final int from, final int length)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes, from, length);
        return (int)crc.getValue();
    }
}
