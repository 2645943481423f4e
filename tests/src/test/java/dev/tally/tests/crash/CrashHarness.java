/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.engine.Database;
import dev.tally.engine.DatabaseBuilder;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;

import java.nio.file.Path;

/** Shared plumbing of the crash groups: databases over a {@link SimulatedDisk}, quiet close, tree deletion. */
public final class CrashHarness
{
    /** The segment length every group uses: the smallest the engine accepts, so rolls happen often. */
    public static final int SEGMENT_LENGTH = 64 << 10;

    private CrashHarness()
    {
    }

    /**
     * A builder for a database over a simulated disk (or the real file system when {@code disk} is null).
     *
     * @param directory the directory.
     * @param disk      the disk, or {@code null}.
     * @param mode      the durability mode.
     * @return the builder, snapshots manual.
     */
    public static DatabaseBuilder builder(final Path directory, final SimulatedDisk disk, final DurabilityMode mode)
    {
        final DatabaseBuilder builder = Database.builder().directory(directory).durability(mode)
            .segmentLength(SEGMENT_LENGTH).snapshots(SnapshotConfig.MANUAL);
        if (disk != null)
        {
            builder.segmentStorage(disk).segmentForcer(disk).snapshotStorage(disk)
                .logWriterWrapper(disk.logWriterWrapper());
        }
        return builder;
    }

    /**
     * Opens a recovered database on the real file system, Strict, default recovery policy.
     *
     * @param directory the directory.
     * @return the database.
     */
    public static Database reopen(final Path directory)
    {
        return builder(directory, null, DurabilityMode.STRICT).open();
    }

    /**
     * Runs the standard workload until it ends or a write fails: the run, then per step a transaction and a cell, a
     * snapshot every {@code snapshotEvery} steps (a failed snapshot does not stop the workload).
     *
     * @param db            the database.
     * @param history       the history to extend.
     * @param steps         the steps.
     * @param snapshotEvery the snapshot period, or 0.
     * @param failures      receives every exception thrown by the database.
     */
    public static void workload(final Database db, final History history, final int steps, final int snapshotEvery,
        final java.util.List<Throwable> failures)
    {
        try
        {
            history.begin(db);
            for (int step = 0; step < steps; step++)
            {
                if (snapshotEvery > 0 && step % snapshotEvery == snapshotEvery - 1)
                {
                    try
                    {
                        db.snapshot();
                    }
                    catch (final RuntimeException ex)
                    {
                        failures.add(ex);
                    }
                }
                history.transaction(db);
                history.cell(db);
            }
        }
        catch (final RuntimeException ex)
        {
            failures.add(ex);
        }
    }

    /**
     * Whether every failure is a storage failure of an expected code (I/O, full disk, failed log).
     *
     * @param failures the failures.
     * @return {@code null} when all are expected, else the first unexpected one.
     */
    public static String unexpected(final java.util.List<Throwable> failures)
    {
        for (final Throwable failure : failures)
        {
            if (!(failure instanceof dev.tally.core.StorageException) && !(failure instanceof
                dev.tally.core.StorageFullException))
            {
                return "unexpected exception type: " + failure;
            }
            final dev.tally.core.ErrorCode code = ((dev.tally.core.TallyException)failure).code();
            if (code != dev.tally.core.ErrorCode.STORAGE_IO && code != dev.tally.core.ErrorCode.STORAGE_FULL &&
                code != dev.tally.core.ErrorCode.LOG_FAILED)
            {
                return "unexpected error code: " + failure;
            }
        }
        return null;
    }

    /**
     * Closes a database, ignoring what a crashed or failed one throws.
     *
     * @param db the database, or {@code null}.
     */
    public static void closeQuietly(final Database db)
    {
        if (db == null)
        {
            return;
        }
        try
        {
            db.close();
        }
        catch (final RuntimeException | SimulatedCrash ex)
        {
            // expected after a crash or a failed force
        }
    }
}
