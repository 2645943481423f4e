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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Group B, simulated power loss. Goal: after a power loss at any moment, recovery opens and yields a prefix of the
 * committed history that holds every write acknowledged in Strict mode (and, in Buffered mode, every write before the
 * last completed flush). Method: a seeded workload (transactions writing a key and an event, a state cell, manual
 * snapshots, segment rolls and reclaims) runs over a {@link SimulatedDisk}; the disk crashes at a random event or at
 * a named {@link CrashPoint}; {@link CrashImage} builds crash images in which each page dirtied since the last force
 * is kept, lost, torn or garbage; each image is opened with the default recovery policy and checked with {@link
 * History#check}. Replay one case: {@code mvn -pl tests -am verify -Dtest=PowerLossCrashTest#<method>
 * -Dtests.seed=<seed>} (the seed printed with the failure; for named points the printed case number).
 */
@Timeout(value = 4, unit = TimeUnit.HOURS)
class PowerLossCrashTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRecoverPrefixFromRandomCrashStatesInStrictMode()
    {
        // Each case is one workload crashed at a random moment, and one crash image of it.
        final int states = Figures.count(2_000, 100_000);
        Figures.seeded("B power loss, random crash states (Strict)", states, 2,
            seed -> crashCase(seed, DurabilityMode.STRICT, null, 0));
    }

    @Test
    void shouldRecoverPrefixFromRandomCrashStatesInBufferedMode()
    {
        final int states = Figures.count(200, 20_000);
        Figures.seeded("B power loss, random crash states (Buffered, flush)", states, 2,
            seed -> crashCase(seed, DurabilityMode.BUFFERED, null, 0));
    }

    @Test
    void shouldRecoverPrefixAtEveryNamedCrashPoint()
    {
        final CrashPoint[] points = CrashPoint.values();
        final int occurrences = Figures.count(4, 12);
        // Each case: one crash point and occurrence, checked through 8 crash images (32 in the full tier).
        Figures.indexed("B power loss, every named crash point", points.length * occurrences, 2, index ->
        {
            final CrashPoint point = points[(int)(index / occurrences)];
            final int occurrence = 1 + (int)(index % occurrences);
            return crashCase(Figures.mix(index), DurabilityMode.STRICT, point, occurrence);
        });
    }

    private String crashCase(final long seed, final DurabilityMode mode, final CrashPoint point, final int occurrence)
        throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Path root = Files.createTempDirectory(temp, "b");
        try
        {
            final Path live = root.resolve("live");
            final SimulatedDisk disk = new SimulatedDisk(live);
            final boolean named = point != null;
            final int steps = named ? Figures.count(600, 1500) : 1 + random.nextInt(random.nextInt(4) == 0 ? 400 : 40);
            final int snapshotEvery = named ? 30 : 0;
            if (named)
            {
                disk.crashAt(point, occurrence);
            }
            else
            {
                disk.crashAtEvent(1 + random.nextInt(steps * 6 + 10));
            }
            final History history = new History(random);
            final String failure = runWorkload(live, disk, mode, history, random, steps, snapshotEvery);
            if (failure != null)
            {
                return failure;
            }
            if (named && !disk.crashState().where().startsWith(point.name()))
            {
                return "named point not reached: " + point + "#" + occurrence + ", hits=" + disk.hits(point);
            }
            // A named point gives several images of the same crash; a random crash, one.
            final int images = named ? Figures.count(8, 32) : 1;
            for (int image = 0; image < images; image++)
            {
                final Path target = root.resolve("image" + image);
                new CrashImage().build(disk.crashState(), random, target);
                final String result = checkImage(target, history);
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

    static String runWorkload(final Path live, final SimulatedDisk disk, final DurabilityMode mode,
        final History history, final SplittableRandom random, final int steps, final int snapshotEvery)
    {
        Database db = null;
        try
        {
            db = CrashHarness.builder(live, disk, mode).flushIntervalMs(1000).open();
            if (mode == DurabilityMode.BUFFERED)
            {
                history.buffered();
            }
            history.begin(db);
            if (mode == DurabilityMode.BUFFERED)
            {
                db.flush();
                history.flushed();
            }
            for (int step = 0; step < steps; step++)
            {
                if (snapshotEvery > 0 ? step % snapshotEvery == snapshotEvery - 1 : random.nextInt(40) == 0)
                {
                    db.snapshot();
                    // A completed snapshot makes every earlier Buffered write durable, like a flush.
                    history.flushed();
                }
                history.transaction(db);
                history.cell(db);
                if (mode == DurabilityMode.BUFFERED && random.nextInt(8) == 0)
                {
                    db.flush();
                    history.flushed();
                }
            }
        }
        catch (final SimulatedCrash | RuntimeException ex)
        {
            if (!disk.isCrashed())
            {
                CrashHarness.closeQuietly(db);
                return "unexpected exception before any crash: " + ex;
            }
        }
        finally
        {
            disk.crashNow();
            CrashHarness.closeQuietly(db);
        }
        return null;
    }

    static String checkImage(final Path target, final History history)
    {
        try (Database db = CrashHarness.reopen(target))
        {
            return history.check(db);
        }
        catch (final RuntimeException ex)
        {
            return "open failed where recovery should succeed: " + ex;
        }
    }

    /** The full tier, run by {@code mvn -pl tests -am verify -Pcrash -Dtally.tier=full}. */
    @Test
    @Tag("crash")
    void fullTier() throws Exception
    {
        Assumptions.assumeTrue(Figures.FULL, "the full tier runs with -Dtally.tier=full");
        shouldRecoverPrefixFromRandomCrashStatesInStrictMode();
        shouldRecoverPrefixFromRandomCrashStatesInBufferedMode();
        shouldRecoverPrefixAtEveryNamedCrashPoint();
    }

}
