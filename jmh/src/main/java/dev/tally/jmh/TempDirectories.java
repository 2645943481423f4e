/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh;

import dev.tally.engine.Database;
import dev.tally.engine.DatabaseBuilder;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.wal.SegmentStorage;

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
    /** System property: zero-filled segments instead of reserved ones, for before-and-after runs. */
    public static final String ZERO_FILLED_PROP_NAME = "tally.bench.zeroFilledSegments";

    /** System property: the segment length of the databases opened here, in bytes (the engine's default if unset). */
    public static final String SEGMENT_LENGTH_PROP_NAME = "tally.bench.segmentLength";

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
        return builder(mode, directory).open();
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
        return builder(mode, directory).snapshots(SnapshotConfig.MANUAL).open();
    }

    /**
     * A builder for a file-backed database in a mode; with {@code -D}{@value #ZERO_FILLED_PROP_NAME}{@code =true} its
     * segments are zero-filled instead of reserved, so one run can set the two side by side.
     *
     * @param mode      the durability mode, a file mode.
     * @param directory a fresh directory.
     * @return the builder.
     */
    public static DatabaseBuilder builder(final DurabilityMode mode, final Path directory)
    {
        final DatabaseBuilder builder = Database.builder().directory(directory).durability(mode);
        final Integer segmentLength = Integer.getInteger(SEGMENT_LENGTH_PROP_NAME);
        if (segmentLength != null)
        {
            builder.segmentLength(segmentLength);
        }
        return Boolean.getBoolean(ZERO_FILLED_PROP_NAME) ? builder.segmentStorage(SegmentStorage.zeroFilledFiles()) :
            builder;
    }
}
