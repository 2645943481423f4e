/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.Value;
import dev.tally.core.testing.FileBytes;
import dev.tally.recovery.RecoveryCase;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.recovery.RecoveryResult;
import dev.tally.wal.CorruptLogException;
import dev.tally.wal.SegmentDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.tally.engine.EngineTesting.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening a damaged directory through the engine, as a user would: a Strict database of three 64 KiB segments whose
 * later segments are deleted, bit-flipped in the header, replaced by another database's segment or cut short, with and
 * without a snapshot before the damage, must open under point-in-time recovery read-only on every value committed
 * before the damaged segment; a snapshot ahead of the log's last frame is refused (or opened read-only on under
 * point-in-time recovery) in every file mode and policy; and an open that is refused or read-only changes no byte.
 */
@Timeout(120)
class PointInTimeRecoveryTest
{
    private static final int SEGMENT = 64 << 10;
    private static final int VALUES = 150;
    private static final int SNAPSHOT_AFTER = 40;
    private static final RunId RUN = RunId.of(7, 7);

    @TempDir
    Path dir;

    @TempDir
    Path other;

    /** Segment-level damage a user can make by hand. */
    enum Damage
    {
        DELETE_MIDDLE,
        FLIP_LATER_HEADER,
        FOREIGN_LATER,
        CUT_LAST_SHORT
    }

    static Stream<Arguments> damages()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final Damage damage : Damage.values())
        {
            cases.add(Arguments.of(damage, false));
            cases.add(Arguments.of(damage, true));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, snapshot={1}")
    @MethodSource("damages")
    void shouldOpenReadOnlyOnEveryValueBeforeTheDamagedSegmentWhenPointInTime(final Damage damage,
        final boolean snapshot) throws IOException
    {
        final long[] ends = writeValues(dir, snapshot);
        final long damagedBase = damage(damage);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        int kept = 0;
        while (kept < VALUES && ends[kept] <= damagedBase)
        {
            kept++;
        }
        assertTrue(kept > SNAPSHOT_AFTER && kept < VALUES, "kept=" + kept);
        final String hash;
        try (Database db = builder(dir, DurabilityMode.STRICT).recoveryPolicy(RecoveryPolicy.POINT_IN_TIME).open())
        {
            final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
            assertEquals(RecoveryCase.D_CORRUPT_POINT_IN_TIME, result.recoveryCase());
            assertTrue(result.readOnly());
            assertEquals(damagedBase, result.endPosition());
            assertEquals(damagedBase, result.firstBadPosition());
            final int fromLog = kept - (snapshot ? SNAPSHOT_AFTER : 0) + (snapshot ? 0 : 1); // the run's begin frame
            assertEquals(fromLog, result.framesApplied(), result.toJson());
            assertEquals(RunStatus.State.ACTIVE, db.runStatus(RUN).state());
            for (int i = 0; i < VALUES; i++)
            {
                assertEquals(i < kept ? Optional.of(value(i)) : Optional.empty(), db.kv().get(RUN, key(i)), key(i));
            }
            assertCode(StorageException.class, ErrorCode.READ_ONLY, () -> db.kv().put(RUN, "more", Value.of(1L)));
            hash = db.stateHash();
            assertNotEquals(emptyHash(), hash);
        }
        assertEquals(before, FileBytes.digests(dir), "a read-only open changes no byte");
        assertEquals(hash, openHash(dir, RecoveryPolicy.POINT_IN_TIME), "the same files give the same state");
    }

    @ParameterizedTest(name = "{0}, snapshot={1}")
    @MethodSource("damages")
    void shouldFailAndChangeNoByteWhenASegmentIsDamagedUnderStrict(final Damage damage, final boolean snapshot)
        throws IOException
    {
        writeValues(dir, snapshot);
        final long damagedBase = damage(damage);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final CorruptLogException ex =
            assertThrows(CorruptLogException.class, () -> builder(dir, DurabilityMode.STRICT).open());
        assertEquals(damagedBase, ex.position(), ex.getMessage());
        assertEquals(before, FileBytes.digests(dir));
    }

    static Stream<Arguments> modesAndPolicies()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final DurabilityMode mode : new DurabilityMode[] {DurabilityMode.STRICT, DurabilityMode.BUFFERED})
        {
            for (final RecoveryPolicy policy : RecoveryPolicy.values())
            {
                cases.add(Arguments.of(mode, policy));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("modesAndPolicies")
    void shouldRefuseASnapshotAheadOfTheLastFrameInEveryModeAndPolicy(final DurabilityMode mode,
        final RecoveryPolicy policy) throws IOException
    {
        final Path old = other.resolve("old");
        try (Database db = builder(dir, mode).open())
        {
            db.beginRun(RUN);
            db.kv().put(RUN, "first", Value.of(1L));
        }
        copyFiles(dir, old);
        final String snapshotHash;
        try (Database db = builder(dir, mode).open())
        {
            for (int i = 0; i < 10; i++)
            {
                db.kv().put(RUN, key(i), value(i));
            }
            db.snapshot();
            snapshotHash = db.stateHash();
        }
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".snap") || f.toString().endsWith(".hist"))
                .toList())
            {
                Files.copy(file, old.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        final TreeMap<String, String> before = FileBytes.digests(old);
        if (policy != RecoveryPolicy.POINT_IN_TIME)
        {
            final CorruptDataException ex = assertThrows(CorruptDataException.class,
                () -> builder(old, mode).recoveryPolicy(policy).open());
            assertTrue(ex.getMessage().contains(RecoveryCase.K_SNAPSHOT_AHEAD_STRICT.name()), ex.getMessage());
        }
        else
        {
            try (Database db = builder(old, mode).recoveryPolicy(policy).open())
            {
                assertEquals(RecoveryCase.L_SNAPSHOT_AHEAD_POINT_IN_TIME,
                    db.lastRecoveryResult().orElseThrow().recoveryCase());
                assertEquals(snapshotHash, db.stateHash());
                assertCode(StorageException.class, ErrorCode.READ_ONLY, () -> db.kv().put(RUN, "x", Value.of(1L)));
            }
        }
        assertEquals(before, FileBytes.digests(old), "a refused or read-only open changes no byte");
    }

    @Test
    void shouldRefuseWithoutWritingAByteWhenTheIdentityFileIsMissing() throws IOException
    {
        writeValues(dir, true);
        Files.delete(dir.resolve("tally.db"));
        Files.write(dir.resolve("00000000000000009999.snap.tmp"), new byte[] {1, 2, 3});
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final CorruptDataException ex = assertThrows(CorruptDataException.class,
            () -> builder(dir, DurabilityMode.STRICT).open());
        assertEquals(ErrorCode.FOREIGN_DATABASE, ex.code());
        assertTrue(ex.getMessage().contains("tally.db"), ex.getMessage());
        assertEquals(before, FileBytes.digests(dir), "a refused open changes no byte");
        assertFalse(Files.exists(dir.resolve("tally.db")));
    }

    @Test
    void shouldKeepLeftoverFilesWhenTheOpenIsReadOnlyAndDeleteThemWhenItIsReadWrite() throws IOException
    {
        writeValues(dir, true);
        final long damagedBase = damage(Damage.FLIP_LATER_HEADER);
        final Path leftover = dir.resolve("00000000000000009999.snap.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});
        final TreeMap<String, String> before = FileBytes.digests(dir);
        builder(dir, DurabilityMode.STRICT).recoveryPolicy(RecoveryPolicy.POINT_IN_TIME).open().close();
        assertEquals(before, FileBytes.digests(dir));
        Files.delete(dir.resolve(SegmentDescriptor.fileName(damagedBase)));
        builder(dir, DurabilityMode.STRICT).open().close();
        assertFalse(Files.exists(leftover));
    }

    @Test
    void shouldCreateTheIdentityFileWhenTheDirectoryHoldsNoDatabaseFiles() throws IOException
    {
        Files.write(dir.resolve("notes.txt"), new byte[] {1});
        try (Database db = builder(dir, DurabilityMode.STRICT).open())
        {
            db.beginRun(RUN);
        }
        assertTrue(Files.exists(dir.resolve("tally.db")));
    }

    /** 150 values of 1 KiB in one run, a snapshot after the 40th when asked; returns each value's frame end. */
    private static long[] writeValues(final Path directory, final boolean snapshot)
    {
        final long[] ends = new long[VALUES];
        try (Database db = builder(directory, DurabilityMode.STRICT).open())
        {
            db.beginRun(RUN);
            for (int i = 0; i < VALUES; i++)
            {
                db.kv().put(RUN, key(i), value(i));
                ends[i] = db.visiblePosition();
                if (snapshot && i == SNAPSHOT_AFTER - 1)
                {
                    db.snapshot();
                }
            }
        }
        return ends;
    }

    /** Damages the log; returns the base of the first damaged (or missing) segment. */
    private long damage(final Damage damage) throws IOException
    {
        final Path middle = dir.resolve(SegmentDescriptor.fileName(SEGMENT));
        final Path later = dir.resolve(SegmentDescriptor.fileName(2L * SEGMENT));
        assertTrue(Files.exists(later), "the log spans three segments");
        assertFalse(Files.exists(dir.resolve(SegmentDescriptor.fileName(3L * SEGMENT))));
        switch (damage)
        {
            case DELETE_MIDDLE ->
            {
                Files.delete(middle);
                return SEGMENT;
            }
            case FLIP_LATER_HEADER ->
            {
                final byte[] bytes = Files.readAllBytes(later);
                bytes[SegmentDescriptor.SEGMENT_LENGTH_OFFSET + 1] ^= 0x10;
                Files.write(later, bytes);
            }
            case FOREIGN_LATER ->
            {
                final Path foreign = other.resolve("foreign");
                writeValues(foreign, false);
                Files.copy(foreign.resolve(later.getFileName()), later, StandardCopyOption.REPLACE_EXISTING);
            }
            default ->
            {
                final byte[] bytes = Files.readAllBytes(later);
                Files.write(later, Arrays.copyOf(bytes, SegmentDescriptor.HEADER_LENGTH / 2));
            }
        }
        return 2L * SEGMENT;
    }

    private static String openHash(final Path directory, final RecoveryPolicy policy)
    {
        try (Database db = builder(directory, DurabilityMode.STRICT).recoveryPolicy(policy).open())
        {
            return db.stateHash();
        }
    }

    private static String emptyHash()
    {
        try (Database db = Database.openInMemory())
        {
            return db.stateHash();
        }
    }

    private static DatabaseBuilder builder(final Path directory, final DurabilityMode mode)
    {
        return Database.builder().directory(directory).durability(mode).segmentLength(SEGMENT);
    }

    private static void copyFiles(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList())
            {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String key(final int i)
    {
        return "value/" + i;
    }

    private static Value value(final int i)
    {
        final byte[] bytes = new byte[1024];
        Arrays.fill(bytes, (byte)('a' + i % 26));
        return Value.of(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
