/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * File names made of a log position as 20 zero-padded decimal digits and a suffix ({@code 00000000000067108864.wal}),
 * so that a directory listing sorts them in log order; used for log segments, snapshots and history files. Independent
 * of the default locale. Stateless; any thread.
 */
public final class PositionFileNames
{
    /** The number of digits of the position. */
    public static final int DIGIT_COUNT = 20;

    private static final String ZEROS = "0".repeat(DIGIT_COUNT);

    private PositionFileNames()
    {
    }

    /**
     * The name of a position with a suffix; any thread.
     *
     * @param position the position, not negative.
     * @param suffix   the suffix, with its dot.
     * @return the name.
     * @throws IllegalArgumentException when the position is negative.
     */
    public static String format(final long position, final String suffix)
    {
        if (position < 0)
        {
            throw new IllegalArgumentException("negative position=" + position);
        }
        final String digits = Long.toString(position);
        return ZEROS.substring(digits.length()) + digits + suffix;
    }

    /**
     * Parses a name made by {@link #format}; any thread.
     *
     * @param fileName a file name without directory.
     * @param suffix   the suffix the name must end with.
     * @return the position, or -1 when the name is not 20 digits and the suffix.
     */
    public static long parse(final String fileName, final String suffix)
    {
        if (fileName.length() != DIGIT_COUNT + suffix.length() || !fileName.endsWith(suffix))
        {
            return -1;
        }
        for (int i = 0; i < DIGIT_COUNT; i++)
        {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
        }
        try
        {
            return Long.parseLong(fileName.substring(0, DIGIT_COUNT));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
