/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.util.UUID;

/**
 * Helpers shared by the id types: strict UUID parsing and unsigned ordering. Stateless; any thread.
 */
final class Ids
{
    private static final int UUID_TEXT_LENGTH = 36;

    private Ids()
    {
    }

    static UUID parseCanonicalUuid(final String text, final String what)
    {
        if (text == null || text.length() != UUID_TEXT_LENGTH)
        {
            throw invalid(text, what);
        }
        long msb = 0;
        long lsb = 0;
        int nibbles = 0;
        for (int i = 0; i < UUID_TEXT_LENGTH; i++)
        {
            final char c = text.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23)
            {
                if (c != '-')
                {
                    throw invalid(text, what);
                }
                continue;
            }
            final int digit = Character.digit(c, 16);
            if (digit < 0 || c > 'f')
            {
                throw invalid(text, what);
            }
            if (nibbles < 16)
            {
                msb = (msb << 4) | digit;
            }
            else
            {
                lsb = (lsb << 4) | digit;
            }
            nibbles++;
        }
        return new UUID(msb, lsb);
    }

    static int compareUnsigned(final UUID a, final UUID b)
    {
        final int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static InvalidArgumentException invalid(final String text, final String what)
    {
        return new InvalidArgumentException(
            ErrorCode.INVALID_ID, "not a canonical UUID for " + what + ": text=" + text);
    }
}
