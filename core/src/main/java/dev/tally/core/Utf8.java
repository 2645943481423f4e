/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * Strict UTF-8 helpers used by the codec and by {@link Key}. Stateless; any thread.
 */
final class Utf8
{
    private Utf8()
    {
    }

    static boolean isWellFormed(final java.lang.String text)
    {
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c))
            {
                if (i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1)))
                {
                    return false;
                }
                i++;
            }
            else if (Character.isLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}
