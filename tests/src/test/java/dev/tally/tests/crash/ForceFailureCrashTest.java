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
 * Group E, force failure. Goal: no false success after a failed force, at every force site (log range, segment
 * creation, snapshot file, directory), failing once or for good: whatever the database acknowledged survives the
 * worst power loss right after (only forced pages and names kept) and reads back after a reopen of the real files,
 * and every failure is a clean storage exception. Method: a Strict workload with segment rolls, snapshots and
 * reclaims over a {@link SimulatedDisk} whose n-th force of a site fails; then a durable-only {@link CrashImage}
 * and a plain reopen, both checked with {@link History#check}. Exhaustive over site x occurrence x once/for good; the
 * case number is printed. Replay one case: {@code mvn -pl tests -am verify -Dtest=ForceFailureCrashTest
 * -Dtests.seed=<case>}.
 */
@Timeout(value = 2, unit = TimeUnit.HOURS)
class ForceFailureCrashTest
{
    @TempDir
    Path temp;

    @Test
    void shouldNeverReportSuccessAfterAFailedForceAtAnySite()
    {
        // Every force of the workload that a site reaches: log forces spread over the run, the others all of them.
        final int logCases = Figures.count(16, 64);
        final int[][] cases = new int[logCases + 4 + 11 + 16][];
        int n = 0;
        for (int i = 1; i <= logCases; i++)
        {
            cases[n++] = new int[] {ForceSite.LOG.ordinal(), i <= 8 ? i : 8 + (i - 8) * (Figures.FULL ? 9 : 37)};
        }
        for (int i = 1; i <= 4; i++)
        {
            cases[n++] = new int[] {ForceSite.SEGMENT_CREATE.ordinal(), i};
        }
        for (int i = 1; i <= 11; i++)
        {
            cases[n++] = new int[] {ForceSite.SNAPSHOT.ordinal(), i};
        }
        for (int i = 1; i <= 16; i++)
        {
            cases[n++] = new int[] {ForceSite.DIRECTORY.ordinal(), i};
        }
        Figures.indexed("E force failure at every site, once and for good", cases.length * 2, 2, index ->
        {
            final int[] c = cases[(int)(index / 2)];
            return forceCase(ForceSite.values()[c[0]], c[1], index % 2 == 1, index);
        });
    }

    private String forceCase(final ForceSite site, final int occurrence, final boolean forGood, final long index)
        throws Exception
    {
        final Path root = Files.createTempDirectory(temp, "e");
        try
        {
            final Path live = root.resolve("live");
            final SimulatedDisk disk = new SimulatedDisk(live).failForce(site, occurrence, forGood);
            final History history = new History(new SplittableRandom(index));
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
                CrashHarness.workload(db, history, 240, 20, failures);
            }
            final String unexpected = CrashHarness.unexpected(failures);
            if (unexpected != null)
            {
                CrashHarness.closeQuietly(db);
                return unexpected;
            }
            if (disk.forceFailures() == 0)
            {
                CrashHarness.closeQuietly(db);
                return "force never failed: site=" + site + ", occurrence=" + occurrence + ", forces=" +
                    disk.forces(site);
            }
            final SimulatedDisk.CrashState state = disk.crashNow();
            CrashHarness.closeQuietly(db);
            final Path image = root.resolve("image");
            new CrashImage().durableOnly().build(state, new SplittableRandom(index), image);
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
        shouldNeverReportSuccessAfterAFailedForceAtAnySite();
    }

}
