/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.integration;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.testing.Seeds;
import dev.tally.core.testing.TempDirs;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.engine.SnapshotInfo;
import dev.tally.engine.TxResult;
import dev.tally.recovery.RecoveryCase;
import dev.tally.recovery.RecoveryResult;
import dev.tally.tests.crash.CrashCycles;
import dev.tally.wal.DirectoryLock;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.SegmentDescriptor;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The six recovery invariants of the durability contract, one test (or two) each, named after the invariant, through
 * the engine on databases with 64 KiB segments so that segments roll. R5 and R6 kill a child JVM with SIGKILL; the
 * long randomized version of those is {@code ProcessKillCrashTest}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RecoveryInvariantsTest
{
    private static final int SEGMENT = 64 << 10;
    private static final RunId RUN = RunId.of(0x1234, 0x5678);

    @TempDir
    Path dir;

    // ---- R1: deterministic ---------------------------------------------------------------------------------------

    @Test
    void R1_shouldRecoverTheSameStateHashWhenTheSameFilesAreRecoveredTwiceAndInAnotherJvm() throws Exception
    {
        final Path original = dir.resolve("db");
        final String written;
        try (Database db = open(original))
        {
            db.beginRun(RUN);
            populate(db, 0, 1500, 11);
            db.snapshot();
            populate(db, 1500, 2500, 12);
            written = db.stateHash();
        }
        assertTrue(segmentCount(original) > 1, "the workload must roll segments");
        final Path a = copy(original, dir.resolve("a"));
        final Path b = copy(original, dir.resolve("b"));
        final Path c = copy(original, dir.resolve("c"));
        final String hashA = reopenHash(a);
        final String hashB = reopenHash(b);
        assertEquals(written, hashA);
        assertEquals(hashA, hashB);

        final Process child = CrashCycles.startJvm(StateHashMain.class, List.of("-Duser.timezone=Pacific/Kiritimati",
            "-Dfile.encoding=ISO-8859-1", "-Duser.language=tr", "-Duser.country=TR"), List.of(c.toString()),
            dir.resolve("child.err"));
        final List<String> lines = readAll(child);
        assertEquals(0, child.waitFor(), () -> "child failed: " + lines + " " + readQuietly(dir.resolve("child.err")));
        assertEquals("env tr-TR Pacific/Kiritimati ISO-8859-1", lines.get(0), "the child must run in another locale");
        assertEquals("hash " + hashA, lines.get(1));
    }

    @Test
    void R1_shouldRecoverTheSameStateHashWhenTwoCopiesOfACrashImageAreRecovered() throws Exception
    {
        final Path original = dir.resolve("db");
        final Path image;
        final long last;
        try (Database db = openStrict(original))
        {
            db.beginRun(RUN);
            populate(db, 0, 300, 21);
            final TxResult<Void> result = db.transaction(RUN, tx ->
            {
                tx.put("torn", Value.of("torn"));
                return null;
            });
            last = ((TxResult.Committed<Void>)result).position();
            image = copy(original, dir.resolve("image"));
        }
        tear(image, last, 20);
        final Path a = copy(image, dir.resolve("a"));
        final Path b = copy(image, dir.resolve("b"));
        final String hashA;
        try (Database db = open(a))
        {
            assertEquals(RecoveryCase.B_TORN_TAIL, db.lastRecoveryResult().orElseThrow().recoveryCase());
            hashA = db.stateHash();
        }
        assertEquals(hashA, reopenHash(b));
    }

    // ---- R2: idempotent ------------------------------------------------------------------------------------------

    @Test
    void R2_shouldRecoverTheSameStateFromASnapshotTakenAfterRecovery()
    {
        final Path path = dir.resolve("db");
        try (Database db = open(path))
        {
            db.beginRun(RUN);
            populate(db, 0, 2000, 31);
        }
        final String recovered;
        final SnapshotInfo info;
        try (Database db = open(path))
        {
            final RecoveryResult first = db.lastRecoveryResult().orElseThrow();
            assertNull(first.snapshotFileName());
            assertTrue(first.framesApplied() > 1000, "frames=" + first.framesApplied());
            recovered = db.stateHash();
            info = db.snapshot();
        }
        try (Database db = open(path))
        {
            final RecoveryResult second = db.lastRecoveryResult().orElseThrow();
            assertEquals(info.fileName(), second.snapshotFileName(), "the second recovery must use the snapshot");
            assertEquals(info.walPosition(), second.walStartPosition());
            assertEquals(0, second.framesApplied(), "nothing was written after the snapshot");
            assertEquals(recovered, db.stateHash());
        }
        try (Database db = open(path))
        {
            assertEquals(recovered, db.stateHash(), "recover(recover(state)) = recover(state)");
        }
    }

    // ---- R3: prefix-consistent -------------------------------------------------------------------------------------

    @Test
    void R3_shouldShowEachTransactionWhollyOrNotAtAllWhenTheLastFrameIsTorn() throws Exception
    {
        final Path original = dir.resolve("db");
        final int count = 40;
        final Path image;
        final long lastPosition;
        final String hashBeforeLast;
        try (Database db = openStrict(original))
        {
            db.beginRun(RUN);
            populate(db, 0, 300, 41);
            long position = -1;
            String before = null;
            for (int i = 0; i < count; i++)
            {
                if (i == count - 1)
                {
                    before = db.stateHash();
                }
                final int n = i;
                final TxResult<Void> result = db.transaction(RUN, tx ->
                {
                    tx.put("tx/a/" + n, Value.of((long)n));
                    tx.append("r3", Value.of((long)n));
                    tx.setCell("tx/cell/" + n, Value.of((long)n));
                    tx.createJson("tx/doc/" + n, Json.createObjectBuilder().add("n", n).build());
                    tx.put("tx/b/" + n, Value.of("b" + n));
                    return null;
                });
                position = ((TxResult.Committed<Void>)result).position();
            }
            lastPosition = position;
            hashBeforeLast = before;
            image = copy(original, dir.resolve("image"));
        }
        final int frameLength = FrameDescriptor.alignedLength(frameLengthAt(image, lastPosition));
        int opened = 0;
        for (int keep = 0; keep < frameLength; keep += 8)
        {
            final Path attempt = copy(image, dir.resolve("tear-" + keep));
            tear(attempt, lastPosition, keep);
            try (Database db = open(attempt))
            {
                final RecoveryCase taken = db.lastRecoveryResult().orElseThrow().recoveryCase();
                assertTrue(taken == RecoveryCase.B_TORN_TAIL || taken == RecoveryCase.A_CLEAN_END,
                    "keep=" + keep + ": " + taken);
                final long eventsOfTx = db.events().range(RUN, 1, Long.MAX_VALUE).stream()
                    .filter(e -> e.type().equals("r3")).count();
                for (int n = 0; n < count; n++)
                {
                    final boolean expected = n < count - 1;
                    final String why = "keep=" + keep + ", transaction " + n;
                    assertEquals(expected, db.kv().get(RUN, "tx/a/" + n).isPresent(), why);
                    assertEquals(expected, db.kv().get(RUN, "tx/b/" + n).isPresent(), why);
                    assertEquals(expected, db.state().get(RUN, "tx/cell/" + n).isPresent(), why);
                    assertEquals(expected, db.json().get(RUN, "tx/doc/" + n).isPresent(), why);
                }
                assertEquals(count - 1, eventsOfTx, "keep=" + keep);
                assertEquals(hashBeforeLast, db.stateHash(), "keep=" + keep + ": the state before the torn one");
                opened++;
            }
            TempDirs.deleteTree(attempt);
        }
        assertTrue(opened >= 10, "the frame was torn at " + opened + " offsets");
    }

    // ---- R4: never invents data ------------------------------------------------------------------------------------

    @Test
    void R4_shouldRecoverTheEmptyStateWhenTheLogIsEmpty()
    {
        final Path path = dir.resolve("db");
        try (Database db = open(path))
        {
            assertEquals(0, db.lastRecoveryResult().orElseThrow().framesApplied());
        }
        final String empty;
        try (Database memory = Database.openInMemory())
        {
            empty = memory.stateHash();
        }
        try (Database db = open(path))
        {
            final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
            assertEquals(0, result.framesApplied());
            assertEquals(empty, db.stateHash());
            assertTrue(db.orphanedRuns().isEmpty());
        }
    }

    @Test
    void R4_shouldRecoverExactlyTheWrittenKeysWhenReopened()
    {
        final Path path = dir.resolve("db");
        final int n = 3000;
        final TreeMap<String, Value> expected = new TreeMap<>();
        try (Database db = open(path))
        {
            db.beginRun(RUN);
            for (int i = 0; i < n + 100; i++)
            {
                final String key = "key/" + i;
                final Value value = Value.of("value-" + i + "-" + "z".repeat(i % 50));
                db.kv().put(RUN, key, value);
                expected.put(key, value);
            }
            for (int i = 0; i < 100; i++)
            {
                final String key = "key/" + (i * 7);
                db.kv().delete(RUN, key);
                expected.remove(key);
            }
        }
        assertTrue(segmentCount(path) > 1);
        try (Database db = open(path))
        {
            final List<String> keys = db.kv().list(RUN, "");
            assertEquals(n, keys.size());
            assertEquals(new ArrayList<>(expected.keySet()), keys.stream().sorted().toList());
            for (final String key : keys)
            {
                assertEquals(Optional.of(expected.get(key)), db.kv().get(RUN, key), key);
            }
            assertEquals(0, db.events().count(RUN));
            assertEquals(List.of(RUN), db.orphanedRuns());
        }
    }

    // ---- R5: never drops committed data ----------------------------------------------------------------------------

    @Test
    void R5_shouldKeepEveryStrictAcknowledgedWriteWhenTheProcessIsKilledSeveralTimesInARow()
    {
        final CrashCycles crashes = new CrashCycles(dir.resolve("db"), dir.resolve("child.err"));
        final SplittableRandom random = new SplittableRandom(seed());
        int acknowledged = 0;
        for (int i = 0; i < 4; i++)
        {
            final CrashCycles.Outcome outcome = crashes.runCycle(DurabilityMode.STRICT, random.nextLong(), 400, 1, 0,
                false);
            acknowledged += outcome.lastAck() + 1;
            assertTrue(crashes.recovered().get(i) > outcome.lastAck(), "cycle " + i + " lost acknowledged writes");
        }
        assertTrue(acknowledged > 0, "no child acknowledged a write before it was killed: " + crashes.history());
    }

    // ---- R6: may drop uncommitted data -----------------------------------------------------------------------------

    @Test
    void R6_shouldKeepAFlushedPrefixWhenABufferedProcessIsKilledBeforeItsNextFlush()
    {
        final CrashCycles crashes = new CrashCycles(dir.resolve("db"), dir.resolve("child.err"));
        final SplittableRandom random = new SplittableRandom(seed());
        int flushed = 0;
        for (int i = 0; i < 4; i++)
        {
            final CrashCycles.Outcome outcome = crashes.runCycle(DurabilityMode.BUFFERED, random.nextLong(), 400, 25,
                0, false);
            flushed += outcome.lastFlushed() + 1;
            // The verification checks that the kept transactions are a prefix 0..M-1 with no gap, all values match;
            // here: M covers the last flush. Transactions after it may or may not have survived.
            assertTrue(crashes.recovered().get(i) > outcome.lastFlushed(), "cycle " + i + " lost flushed writes");
        }
        assertTrue(flushed > 0, "no child completed a flush before it was killed: " + crashes.history());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static long seed()
    {
        final long seed = Seeds.givenOr(System.nanoTime());
        System.out.println("RecoveryInvariantsTest seed=" + seed);
        return seed;
    }

    /** Buffered (close makes everything durable), for tests that only reopen after a clean close. */
    static Database open(final Path path)
    {
        return Database.builder().directory(path).durability(DurabilityMode.BUFFERED).segmentLength(SEGMENT)
            .snapshots(SnapshotConfig.MANUAL).open();
    }

    /** Strict: every write is on disk when it returns, so a copy of the open directory is a crash image. */
    static Database openStrict(final Path path)
    {
        return Database.builder().directory(path).durability(DurabilityMode.STRICT).segmentLength(SEGMENT)
            .snapshots(SnapshotConfig.MANUAL).open();
    }

    static String reopenHash(final Path path)
    {
        try (Database db = open(path))
        {
            return db.stateHash();
        }
    }

    /** A seeded mix of writes over every primitive, with transactions; operations {@code from..to-1}. */
    static void populate(final Database db, final int from, final int to, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = from; i < to; i++)
        {
            final int n = i;
            switch (random.nextInt(6))
            {
                case 0 -> db.kv().put(RUN, "k" + random.nextInt(400), Value.of("v" + n + "x".repeat(n % 40)));
                case 1 -> db.kv().delete(RUN, "k" + random.nextInt(400));
                case 2 -> db.events().append(RUN, "ev", Value.of((long)n));
                case 3 -> db.state().set(RUN, "cell" + random.nextInt(20), Value.of((long)n));
                case 4 -> db.json().create(RUN, "doc" + n, Json.createObjectBuilder().add("n", n).build());
                default -> db.transaction(RUN, tx ->
                {
                    tx.put("t" + n, Value.of((long)n));
                    tx.append("tx", Value.of("t" + n));
                    tx.setCell("tcell", Value.of((long)n));
                    return null;
                });
            }
        }
    }

    static Path copy(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                if (!file.getFileName().toString().equals(DirectoryLock.LOCK_FILE_NAME))
                {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
        return to;
    }

    static long segmentCount(final Path path)
    {
        try (Stream<Path> files = Files.list(path))
        {
            return files.filter(f -> SegmentDescriptor.parseFileName(f.getFileName().toString()) >= 0).count();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    static int frameLengthAt(final Path path, final long position) throws IOException
    {
        final long base = position & ~(long)(SEGMENT - 1);
        final byte[] all = Files.readAllBytes(path.resolve(SegmentDescriptor.fileName(base)));
        final int offset = (int)(position - base);
        return (all[offset] & 0xFF) | (all[offset + 1] & 0xFF) << 8 | (all[offset + 2] & 0xFF) << 16 |
            (all[offset + 3] & 0xFF) << 24;
    }

    /**
     * Zeroes a frame from {@code keep} bytes after its start to its aligned end, as a torn write leaves it, with the
     * durable slot no further than the frame.
     */
    static void tear(final Path path, final long position, final int keep) throws IOException
    {
        final long base = position & ~(long)(SEGMENT - 1);
        final Path file = path.resolve(SegmentDescriptor.fileName(base));
        final byte[] all = Files.readAllBytes(file);
        final int offset = (int)(position - base);
        final int aligned = FrameDescriptor.alignedLength(frameLengthAt(path, position));
        assertNotEquals(0, aligned);
        Arrays.fill(all, offset + keep, offset + aligned, (byte)0);
        // A crash tears only a frame whose force had not returned: nothing on the device vouches for it yet.
        final ByteBuffer header = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (SegmentDescriptor.durablePosition(header) > position)
        {
            SegmentDescriptor.writeDurablePosition(header, base, position);
        }
        Files.write(file, all);
    }

    static List<String> readAll(final Process process) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.add(line);
            }
        }
        return lines;
    }

    static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
