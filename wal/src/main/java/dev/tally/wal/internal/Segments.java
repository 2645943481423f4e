/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal.internal;

import dev.tally.core.StorageFailures;
import dev.tally.wal.SegmentDescriptor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Lists the segment files of a log directory. Stateless; any thread.
 */
public final class Segments
{
    private Segments()
    {
    }

    /**
     * The base positions of the segment files in a directory, ascending; any thread. Other files are ignored.
     *
     * @param directory the log directory.
     * @return the bases; empty when the directory does not exist.
     */
    public static long[] list(final Path directory)
    {
        long[] bases = new long[16];
        int count = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
        {
            for (final Path file : stream)
            {
                final long base = SegmentDescriptor.parseFileName(file.getFileName().toString());
                if (base >= 0)
                {
                    if (count == bases.length)
                    {
                        bases = Arrays.copyOf(bases, count * 2);
                    }
                    bases[count++] = base;
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            return new long[0];
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot list log directory", ex);
        }
        final long[] result = Arrays.copyOf(bases, count);
        Arrays.sort(result);
        return result;
    }

    /**
     * Deletes segment files left half-created by a crash ({@code *.wal.tmp}); owner of the directory only.
     *
     * @param directory the log directory.
     * @throws IOException when listing or deleting fails.
     */
    public static void deleteTemporaryFiles(final Path directory) throws IOException
    {
        final String suffix = SegmentDescriptor.SEGMENT_SUFFIX + SegmentDescriptor.TEMPORARY_SUFFIX;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + suffix))
        {
            for (final Path file : stream)
            {
                Files.deleteIfExists(file);
            }
        }
    }
}
