/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

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

/**
 * Group G, crash while taking a snapshot and reclaiming the WAL. Goal: a power loss at any step of a snapshot (the
 * flush, creating and writing the temporary file, its force, the rename, the directory force, snapshot retention,
 * deleting each reclaimed segment and the directory force after it) always recovers, with every acknowledged write.
 * Method: a deterministic Strict workload with a snapshot every 30 steps over a {@link SimulatedDisk} is run once to
 * list every disk event inside a snapshot call; then it is rerun crashing at each of those events, and several
 * {@link CrashImage}s of each crash are opened and checked with {@link History#check}. The case number is the event
 * index in the list. Replay one case: {@code mvn -pl tests -am verify -Dtest=SnapshotCrashTest -Dtests.seed=<case>}.
 */
@Timeout(value = 2, unit = TimeUnit.HOURS)
class SnapshotCrashTest
{
    private static final long WORKLOAD_SEED = 0x5eed;
    private static final int STEPS = 330;
    private static final int SNAPSHOT_EVERY = 30;

    @TempDir
    Path temp;

    @Test
    void shouldRecoverAfterACrashAtEveryStepOfASnapshotAndReclaim() throws Exception
    {
        final List<Long> events = snapshotEvents();
        final int images = Figures.count(6, 40);
        Figures.indexed("G crash at every step of a snapshot and WAL reclaim (" + events.size() + " events x " +
            images + " images)", events.size(), 2, index -> crashCase(events.get((int)index), images, index));
    }

    private List<Long> snapshotEvents() throws Exception
    {
        final Path live = Files.createTempDirectory(temp, "dry");
        final SimulatedDisk disk = new SimulatedDisk(live);
        final History history = new History(new SplittableRandom(WORKLOAD_SEED));
        final List<Long> events = new ArrayList<>();
        int reclaims;
        try (Database db = CrashHarness.builder(live, disk, DurabilityMode.STRICT).open())
        {
            history.begin(db);
            for (int step = 0; step < STEPS; step++)
            {
                if (step % SNAPSHOT_EVERY == SNAPSHOT_EVERY - 1)
                {
                    final long before = disk.events();
                    db.snapshot();
                    for (long e = before + 1; e <= disk.events(); e++)
                    {
                        events.add(e);
                    }
                }
                history.transaction(db);
                history.cell(db);
            }
            reclaims = disk.hits(CrashPoint.SEGMENT_RECLAIM);
        }
        if (reclaims == 0)
        {
            throw new IllegalStateException("the workload reclaimed no segment");
        }
        return events;
    }

    private String crashCase(final long event, final int images, final long index) throws Exception
    {
        final Path root = Files.createTempDirectory(temp, "g");
        try
        {
            final Path live = root.resolve("live");
            final SimulatedDisk disk = new SimulatedDisk(live).crashAtEvent(event);
            final History history = new History(new SplittableRandom(WORKLOAD_SEED));
            final List<Throwable> failures = new ArrayList<>();
            Database db = null;
            try
            {
                db = CrashHarness.builder(live, disk, DurabilityMode.STRICT).open();
                CrashHarness.workload(db, history, STEPS, SNAPSHOT_EVERY, failures);
            }
            catch (final SimulatedCrash crash)
            {
                // the power went off inside the snapshot
            }
            finally
            {
                disk.crashNow();
                CrashHarness.closeQuietly(db);
            }
            if (!disk.crashState().where().contains("#"))
            {
                return "crash event not reached: event=" + event;
            }
            final SplittableRandom random = new SplittableRandom(Figures.mix(index));
            for (int image = 0; image < images; image++)
            {
                final Path target = root.resolve("image" + image);
                new CrashImage().build(disk.crashState(), random, target);
                final String result = PowerLossCrashTest.checkImage(target, history);
                if (result != null)
                {
                    return "image " + image + " after crash at " + disk.crashState().where() + ": " + result;
                }
            }
            return null;
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
        shouldRecoverAfterACrashAtEveryStepOfASnapshotAndReclaim();
    }

}
