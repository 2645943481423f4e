/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh;

import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories and databases for the benchmarks: created under the platform temp dir, deleted in
 * tear-down. Not a benchmark; any thread.
 */
public final class TempDirectories
{
    private TempDirectories()
    {
    }

    /**
     * Creates a fresh temporary directory.
     *
     * @param prefix the name prefix.
     * @return the directory.
     */
    public static Path create(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Deletes a directory tree; a missing directory is ignored.
     *
     * @param directory the root, may be {@code null}.
     */
    public static void delete(final Path directory)
    {
        if (directory == null || !Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Opens a database in a mode; the directory is ignored for {@link DurabilityMode#IN_MEMORY}.
     *
     * @param mode      the durability mode.
     * @param directory a fresh directory for the file modes.
     * @return the open database.
     */
    public static Database open(final DurabilityMode mode, final Path directory)
    {
        if (mode == DurabilityMode.IN_MEMORY)
        {
            return Database.openInMemory();
        }
        return Database.builder().directory(directory).durability(mode).open();
    }

    /**
     * Opens a database in a mode with no automatic snapshot, for benchmarks of the log path alone (a snapshot trigger
     * would rebuild the state on a background thread during the measurement).
     *
     * @param mode      the durability mode.
     * @param directory a fresh directory for the file modes.
     * @return the open database.
     */
    public static Database openWithoutSnapshots(final DurabilityMode mode, final Path directory)
    {
        if (mode == DurabilityMode.IN_MEMORY)
        {
            return Database.openInMemory();
        }
        return Database.builder().directory(directory).durability(mode).snapshots(SnapshotConfig.MANUAL).open();
    }
}
