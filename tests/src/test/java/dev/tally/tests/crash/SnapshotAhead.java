/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.Value;
import dev.tally.core.testing.TempDirs;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.recovery.RecoveryCase;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.recovery.RecoveryResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One case of a snapshot ahead of the log: a database written with a seeded number of values is copied (the old
 * directory), then reopened, written some more and snapshotted, and its new snapshot and history file are put into the
 * old directory, whose log stops where the copy was made. Opened in the seed's mode and policy, the old directory must
 * be refused ({@code K_SNAPSHOT_AHEAD_STRICT}) or opened read-only on the snapshot
 * ({@code L_SNAPSHOT_AHEAD_POINT_IN_TIME}) without a byte changed; with nothing written after the copy, the snapshot
 * lies exactly at the end of the log and the directory opens read-write. Used by group D.
 */
final class SnapshotAhead
{
    private static final RunId RUN = RunId.of(0xa, 0xa);

    private SnapshotAhead()
    {
    }

    /**
     * Runs one seeded case.
     *
     * @param work an empty directory, or one left by an earlier case (emptied first).
     * @param seed the seed.
     * @return {@code null} when the outcome is allowed, else what is wrong.
     * @throws IOException when the files cannot be copied.
     */
    static String check(final Path work, final long seed) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final DurabilityMode mode = random.nextBoolean() ? DurabilityMode.STRICT : DurabilityMode.BUFFERED;
        final RecoveryPolicy policy = RecoveryPolicy.values()[random.nextInt(RecoveryPolicy.values().length)];
        final int before = 1 + random.nextInt(random.nextBoolean() ? 4 : 120);
        final int after = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 3 : 90);
        final int valueLength = 1 + random.nextInt(1500);
        TempDirs.deleteTree(work);
        final Path live = work.resolve("live");
        final Path old = work.resolve("old");
        write(live, mode, 0, before, valueLength, false);
        CorruptionCrashTest.copyTree(live, old);
        final String snapshotHash = write(live, mode, before, after, valueLength, true);
        copySnapshots(live, old);
        final java.util.TreeMap<String, String> digests = digests(old);
        try (Database db = CrashHarness.builder(old, null, mode).recoveryPolicy(policy).open())
        {
            final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
            if (after == 0)
            {
                return result.recoveryCase() == RecoveryCase.A_CLEAN_END && snapshotHash.equals(db.stateHash())
                    ? null : "a snapshot at the end of the log did not open cleanly: " + result.toJson();
            }
            if (result.recoveryCase() != RecoveryCase.L_SNAPSHOT_AHEAD_POINT_IN_TIME || !result.readOnly())
            {
                return "a snapshot ahead of the log was accepted: " + mode + ", after=" + after + ": "
                    + result.toJson();
            }
            if (!snapshotHash.equals(db.stateHash()))
            {
                return "the read-only state is not the snapshot's: " + result.toJson();
            }
        }
        catch (final TallyException ex)
        {
            if (after == 0 || policy == RecoveryPolicy.POINT_IN_TIME ||
                !ex.getMessage().contains(RecoveryCase.K_SNAPSHOT_AHEAD_STRICT.name()))
            {
                return "unexpected refusal: " + mode + ", " + policy + ", after=" + after + ": " + ex;
            }
        }
        return after == 0 || digests.equals(digests(old)) ? null : "a refused or read-only open changed a file";
    }

    /** Writes values {@code from} to {@code from + count - 1}; returns the state hash, after a snapshot if asked. */
    private static String write(final Path directory, final DurabilityMode mode, final int from, final int count,
        final int valueLength, final boolean snapshot)
    {
        try (Database db = CrashHarness.builder(directory, null, mode).open())
        {
            if (from == 0)
            {
                db.beginRun(RUN);
            }
            final char[] chars = new char[valueLength];
            for (int i = from; i < from + count; i++)
            {
                Arrays.fill(chars, (char)('a' + i % 26));
                db.kv().put(RUN, "v" + i, Value.of(new String(chars)));
            }
            if (snapshot)
            {
                db.snapshot();
            }
            return db.stateHash();
        }
    }

    private static void copySnapshots(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(".snap") || name.endsWith(".hist"))
                {
                    Files.copy(file, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static java.util.TreeMap<String, String> digests(final Path directory) throws IOException
    {
        final java.util.TreeMap<String, String> digests = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.toList())
            {
                final String name = file.getFileName().toString();
                if (!name.endsWith(".lock"))
                {
                    digests.put(name, Files.size(file) + ":" + Arrays.hashCode(Files.readAllBytes(file)));
                }
            }
        }
        return digests;
    }
}
