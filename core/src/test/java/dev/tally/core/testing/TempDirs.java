/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories inside a test's {@code @TempDir}, for tests that need a fresh directory per case or cycle and
 * want the space back before the next one. Any test thread.
 */
public final class TempDirs
{
    private TempDirs()
    {
    }

    /**
     * Creates a new, empty directory under a parent.
     *
     * @param parent the parent, usually the test's {@code @TempDir}.
     * @param prefix the start of the new directory's name.
     * @return the new directory.
     */
    public static Path create(final Path parent, final String prefix)
    {
        try
        {
            return Files.createTempDirectory(parent, prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Deletes a directory and everything under it; nothing when it does not exist.
     *
     * @param root the directory.
     */
    public static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(root))
        {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        try
        {
            for (final Path path : paths)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
