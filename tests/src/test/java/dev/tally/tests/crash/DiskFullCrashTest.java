/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageFullException;
import dev.tally.core.TallyException;
import dev.tally.core.testing.TempDirs;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Group F, disk full. Goal: a full disk while creating a segment (open and roll) or writing a snapshot fails cleanly
 * with {@link StorageFullException} ({@link ErrorCode#STORAGE_FULL}), leaves nothing partial (no temporary file, every
 * acknowledged write durable) and the database reopens with its acknowledged data once space is back. Method: a
 * Strict workload over a {@link SimulatedDisk} with a seeded byte budget (segment creations and snapshot writes
 * allocate); then a durable-only {@link CrashImage} and a plain reopen, both checked with {@link History#check}.
 * Replay one case: {@code mvn -pl tests -am verify -Dtest=DiskFullCrashTest -Dtests.seed=<seed>}.
 */
@Timeout(value = 2, unit = TimeUnit.HOURS)
class DiskFullCrashTest
{
    @TempDir
    Path temp;

    @Test
    void shouldFailCleanlyWhenTheDiskFillsWhileWritingRollingOrSnapshotting()
    {
        Figures.seeded("F disk full while writing, rolling and snapshotting", Figures.count(300, 5_000), 2,
            this::diskFullCase);
    }

    private String diskFullCase(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Path root = Files.createTempDirectory(temp, "f");
        try
        {
            final Path live = root.resolve("live");
            final long budget = random.nextInt(4) * (long)CrashHarness.SEGMENT_LENGTH + random.nextInt(20_000);
            final SimulatedDisk disk = new SimulatedDisk(live).freeBytes(budget);
            final History history = new History(random);
            final List<Throwable> failures = new ArrayList<>();
            Database db = null;
            try
            {
                db = CrashHarness.builder(live, disk, DurabilityMode.STRICT).open();
            }
            catch (final RuntimeException ex)
            {
                failures.add(ex);
            }
            if (db != null)
            {
                CrashHarness.workload(db, history, 400, 15 + random.nextInt(30), failures);
            }
            final String unexpected = CrashHarness.unexpected(failures);
            if (unexpected != null)
            {
                CrashHarness.closeQuietly(db);
                return unexpected;
            }
            if (failures.isEmpty())
            {
                CrashHarness.closeQuietly(db);
                return "the disk never filled: budget=" + budget;
            }
            final TallyException first = (TallyException)failures.get(0);
            if (first.code() != ErrorCode.STORAGE_FULL || !(first instanceof StorageFullException))
            {
                CrashHarness.closeQuietly(db);
                return "first failure is not STORAGE_FULL: " + first;
            }
            try (Stream<Path> files = Files.list(live))
            {
                final List<Path> temporaries = files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                    .toList();
                if (!temporaries.isEmpty())
                {
                    CrashHarness.closeQuietly(db);
                    return "partial files left after a full disk: " + temporaries;
                }
            }
            final SimulatedDisk.CrashState state = disk.crashNow();
            CrashHarness.closeQuietly(db);
            final Path image = root.resolve("image");
            new CrashImage().durableOnly().build(state, random, image);
            final String afterPowerLoss = PowerLossCrashTest.checkImage(image, history);
            if (afterPowerLoss != null)
            {
                return "after power loss: " + afterPowerLoss;
            }
            final String afterReopen = PowerLossCrashTest.checkImage(live, history);
            return afterReopen == null ? null : "after reopen: " + afterReopen;
        }
        finally
        {
            TempDirs.deleteTree(root);
        }
    }

    /** The full tier, run by {@code mvn -pl tests -am verify -Pcrash -Dtally.tier=full}. */
    @Test
    @Tag("crash")
    void fullTier() throws Exception
    {
        Assumptions.assumeTrue(Figures.FULL, "the full tier runs with -Dtally.tier=full");
        shouldFailCleanlyWhenTheDiskFillsWhileWritingRollingOrSnapshotting();
    }

}
