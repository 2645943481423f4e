/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.testing.TempDirs;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.wal.SegmentDescriptor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Group D, corruption. Goal: recovery never accepts a damaged frame or a partly valid snapshot: a damaged log either
 * fails as corruption (damage before the durable position) or scans to a prefix that stops before the damaged frame;
 * a damaged snapshot is rejected whole and recovery falls back to the log, with the same state. Method: every single
 * bit flip of a 4 KiB log (exact durable slot and slot at the segment base); seeded random corruptions of a 64 KiB log
 * (bit flips, overwritten runs, zeroed runs, copied runs); a database with a snapshot and its full log, the snapshot
 * truncated at every byte and with bit flips, reopened through the engine; a log of four segments with one damaged at
 * segment level (every header bit, another database's segment, cut short, missing), with and without a snapshot,
 * reopened under every policy and checked against the decision table; a snapshot ahead of the log's last frame
 * (seeded sizes, Strict and Buffered, every policy), which must be refused or opened on read-only. Replay one case: {@code mvn -pl tests -am
 * verify -Dtest=CorruptionCrashTest#<method> -Dtests.seed=<case or seed>}.
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class CorruptionCrashTest
{
    @TempDir
    Path temp;

    @Test
    void shouldNeverAcceptAFlippedBitOfA4KiBLog() throws IOException
    {
        for (final boolean exactSlot : new boolean[] {true, false})
        {
            final LogFixture log = LogFixture.write(Files.createTempDirectory(temp, "fixture"), 4096, 7, exactSlot);
            final ThreadLocal<Path> dirs = directories("d");
            Figures.indexed("D every bit flip of a 4 KiB log, " + (exactSlot ? "exact slot" : "slot at base"),
                4096 * 8, 2, index ->
                {
                    final byte[] damaged = log.bytes();
                    damaged[(int)(index / 8)] ^= (byte)(1 << (index % 8));
                    return log.checkDamaged(dirs.get(), damaged, exactSlot);
                });
        }
    }

    @Test
    void shouldNeverAcceptRandomCorruptionOfA64KiBLog() throws IOException
    {
        final LogFixture exact = LogFixture.write(Files.createTempDirectory(temp, "exact"), 64 << 10, 11, true);
        final LogFixture base = LogFixture.write(Files.createTempDirectory(temp, "base"), 64 << 10, 11, false);
        final ThreadLocal<Path> dirs = directories("r");
        Figures.seeded("D random corruptions of a 64 KiB log", Figures.count(5_000, 100_000), 2, seed ->
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final boolean exactSlot = random.nextBoolean();
            final LogFixture log = exactSlot ? exact : base;
            return log.checkDamaged(dirs.get(), corrupt(log.bytes(), random), exactSlot);
        });
    }

    @Test
    void shouldFallBackToTheLogWhenTheSnapshotIsTruncatedOrFlipped() throws IOException
    {
        final Path source = temp.resolve("source");
        final RunId run = RunId.of(1, 1);
        final String hash;
        try (Database db = CrashHarness.builder(source, null, DurabilityMode.STRICT).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 12; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
            }
            db.events().append(run, "e", Value.of("payload"));
            db.snapshot();
            db.kv().put(run, "after", Value.of(true));
            hash = db.stateHash();
        }
        final List<SnapshotFile> snapshots = SnapshotDirectory.list(source);
        final Path snapshot = snapshots.get(0).path();
        final byte[] original = Files.readAllBytes(snapshot);
        final int length = original.length;
        // Every truncation, then (full tier) every bit flip, or (short tier) every 8th bit flip.
        final int flipStride = Figures.FULL ? 1 : 8;
        final int flips = length * 8 / flipStride;
        final ThreadLocal<Path> dirs = directories("s");
        Figures.indexed("D snapshot truncated at every byte and bit-flipped (" + length + " bytes)", length + flips,
            2, index ->
            {
                final byte[] damaged;
                if (index < length)
                {
                    damaged = Arrays.copyOf(original, (int)index);
                }
                else
                {
                    final long bit = (index - length) * flipStride;
                    damaged = original.clone();
                    damaged[(int)(bit / 8)] ^= (byte)(1 << (bit % 8));
                }
                final Path dir = dirs.get();
                TempDirs.deleteTree(dir);
                copyTree(source, dir);
                Files.write(dir.resolve(snapshot.getFileName()), damaged);
                try (Database db = CrashHarness.reopen(dir))
                {
                    if (!hash.equals(db.stateHash()))
                    {
                        return "state differs after a damaged snapshot: " + db.lastRecoveryResult();
                    }
                    final String used = db.lastRecoveryResult().orElseThrow().snapshotFileName();
                    if (used != null && !Arrays.equals(damaged, original))
                    {
                        return "damaged snapshot used: " + used;
                    }
                }
                return null;
            });
    }

    @Test
    void shouldKeepTheCommittedPrefixWhenASegmentIsDamagedAtSegmentLevel() throws IOException
    {
        final SegmentDamage[] fixtures = {SegmentDamage.write(Files.createTempDirectory(temp, "plain"), false),
            SegmentDamage.write(Files.createTempDirectory(temp, "snap"), true)};
        final List<int[]> damages = segmentDamages(Figures.FULL ? 1 : 23);
        final RecoveryPolicy[] policies = RecoveryPolicy.values();
        final int perFixture = damages.size() * policies.length;
        final ThreadLocal<Path> dirs = directories("g");
        Figures.indexed("D segment-level damage of a 4-segment log, every header bit, foreign, cut, missing, "
            + "with and without a snapshot", 2 * perFixture, 2, index ->
            {
                final int[] damage = damages.get((int)(index % perFixture) / policies.length);
                return fixtures[(int)(index / perFixture)].check(dirs.get().resolve("w"), damage[0],
                    SegmentDamage.Kind.values()[damage[1]], damage[2], policies[(int)(index % policies.length)]);
            });
    }

    @Test
    void shouldRefuseASnapshotAheadOfTheLastFrameOfTheLog()
    {
        final ThreadLocal<Path> dirs = directories("a");
        Figures.seeded("D snapshot ahead of the log's last frame, Strict and Buffered, every policy",
            Figures.count(40, 1_000), 2, seed -> SnapshotAhead.check(dirs.get(), seed));
    }

    /** {segment, kind, detail} for every damage of every segment; header bits at a stride. */
    private static List<int[]> segmentDamages(final int bitStride)
    {
        final List<int[]> damages = new ArrayList<>();
        for (int segment = 0; segment < SegmentDamage.SEGMENT_COUNT; segment++)
        {
            for (int bit = segment % bitStride; bit < SegmentDescriptor.HEADER_LENGTH * 8; bit += bitStride)
            {
                damages.add(new int[] {segment, SegmentDamage.Kind.FLIP.ordinal(), bit});
            }
            damages.add(new int[] {segment, SegmentDamage.Kind.FOREIGN.ordinal(), 0});
            for (int cut = 0; cut < SegmentDamage.CUT_LENGTHS.length; cut++)
            {
                damages.add(new int[] {segment, SegmentDamage.Kind.CUT.ordinal(), cut});
            }
            if (segment < SegmentDamage.SEGMENT_COUNT - 1)
            {
                damages.add(new int[] {segment, SegmentDamage.Kind.MISSING.ordinal(), 0});
            }
        }
        return damages;
    }

    static byte[] corrupt(final byte[] bytes, final SplittableRandom random)
    {
        final int kind = random.nextInt(4);
        final int at = random.nextInt(bytes.length);
        final int length = 1 + random.nextInt(random.nextBoolean() ? 8 : 512);
        final int end = Math.min(bytes.length, at + length);
        switch (kind)
        {
            case 0 ->
            {
                final int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++)
                {
                    final int bit = random.nextInt(bytes.length * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                }
            }
            case 1 ->
            {
                for (int i = at; i < end; i++)
                {
                    bytes[i] = (byte)random.nextInt(256);
                }
            }
            case 2 -> Arrays.fill(bytes, at, end, (byte)0);
            default ->
            {
                final int from = random.nextInt(bytes.length - (end - at));
                System.arraycopy(bytes.clone(), from, bytes, at, end - at);
            }
        }
        return bytes;
    }

    private ThreadLocal<Path> directories(final String prefix)
    {
        return ThreadLocal.withInitial(() ->
        {
            try
            {
                return Files.createTempDirectory(temp, prefix);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
    }

    static void copyTree(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.contains("lock"))
                {
                    Files.copy(file, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The full tier, run by {@code mvn -pl tests -am verify -Pcrash -Dtally.tier=full}. */
    @Test
    @Tag("crash")
    void fullTier() throws Exception
    {
        Assumptions.assumeTrue(Figures.FULL, "the full tier runs with -Dtally.tier=full");
        shouldNeverAcceptAFlippedBitOfA4KiBLog();
        shouldNeverAcceptRandomCorruptionOfA64KiBLog();
        shouldFallBackToTheLogWhenTheSnapshotIsTruncatedOrFlipped();
        shouldKeepTheCommittedPrefixWhenASegmentIsDamagedAtSegmentLevel();
        shouldRefuseASnapshotAheadOfTheLastFrameOfTheLog();
    }

}
