/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.testing.DatabaseIds;
import dev.tally.core.testing.FileBytes;
import dev.tally.recovery.RecoveryFilesTest.RecordingTarget;
import dev.tally.wal.CorruptLogException;
import dev.tally.wal.CorruptionReason;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.WalWriter;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.tally.recovery.RecoveryFilesTest.bytes;
import static dev.tally.recovery.RecoveryFilesTest.options;
import static dev.tally.recovery.RecoveryFilesTest.payloads;
import static dev.tally.recovery.RecoveryFilesTest.writeLog;
import static dev.tally.recovery.RecoveryFilesTest.writeSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery when the damage is at segment level rather than inside a frame: a segment header with a bad magic, a bad
 * CRC or an unknown version, a segment of another database, a segment cut short, a missing segment. Each is made in a
 * middle segment and in the last one of a log of several segments, with and without a snapshot before it, and
 * recovered under every policy; the outcome is checked against the decision table: the committed prefix before the
 * damaged segment is what point-in-time recovery opens on and what the tolerant policy keeps, and a failed or
 * read-only recovery changes no byte.
 */
@Timeout(60)
class RecoverySegmentDamageTest
{
    private static final UUID DATABASE_ID = DatabaseIds.DATABASE_ID;
    private static final UUID OTHER_ID = UUID.fromString("5d1e0c44-93b1-4c1f-a0a2-7f2e9d3c1b00");
    private static final int SEGMENT = 4096;
    private static final int FRAMES = 200;
    private static final int TYPE_CODE = 0x10;
    private static final RunId RUN = RunId.of(1, 2);

    @TempDir
    Path dir;

    @TempDir
    Path other;

    /** A kind of segment-level damage, and the reason the scan must give for it. */
    enum Damage
    {
        BAD_MAGIC(CorruptionReason.BAD_HEADER),
        BAD_HEADER_CRC(CorruptionReason.BAD_HEADER),
        UNKNOWN_VERSION(CorruptionReason.UNKNOWN_VERSION),
        FOREIGN_DATABASE(CorruptionReason.FOREIGN_DATABASE),
        CUT_SHORT(CorruptionReason.BAD_HEADER),
        MISSING_SEGMENT(CorruptionReason.MISSING_SEGMENT);

        final CorruptionReason reason;

        Damage(final CorruptionReason reason)
        {
            this.reason = reason;
        }
    }

    static Stream<Arguments> cases()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final Damage damage : Damage.values())
        {
            for (final boolean last : new boolean[] {false, true})
            {
                // Without a manifest, a deleted last segment is a shorter log, not damage anyone can see.
                if (damage == Damage.MISSING_SEGMENT && last)
                {
                    continue;
                }
                for (final boolean snapshot : new boolean[] {false, true})
                {
                    cases.add(Arguments.of(damage, last, snapshot));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, last={1}, snapshot={2}")
    @MethodSource("cases")
    void shouldFailUnderStrictWithTheSegmentsReasonWhenASegmentIsDamaged(final Damage damage, final boolean last,
        final boolean snapshot) throws IOException
    {
        final Fixture fixture = damagedLog(damage, last, snapshot);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final CorruptLogException ex = assertThrows(CorruptLogException.class,
            () -> Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, new RecordingTarget()));
        assertEquals(damage.reason, ex.reason(), ex.getMessage());
        assertEquals(fixture.damagedBase, ex.position());
        assertEquals(before, FileBytes.digests(dir), "a failed recovery must not touch the log");
    }

    @ParameterizedTest(name = "{0}, last={1}, snapshot={2}")
    @MethodSource("cases")
    void shouldOpenReadOnlyOnEveryFrameBeforeTheDamagedSegmentWhenPointInTime(final Damage damage,
        final boolean last, final boolean snapshot) throws IOException
    {
        final Fixture fixture = damagedLog(damage, last, snapshot);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, target);
        assertEquals(RecoveryCase.D_CORRUPT_POINT_IN_TIME, result.recoveryCase());
        assertTrue(result.readOnly());
        assertEquals(payloads(0, fixture.prefixCount), target.state, "the committed prefix before the damage");
        assertEquals(fixture.prefixCount - fixture.coveredCount, result.framesApplied());
        assertEquals(fixture.prefixCount - fixture.coveredCount, result.transactionsApplied());
        assertEquals(fixture.damagedBase, result.endPosition());
        assertEquals(fixture.damagedBase, result.firstBadPosition());
        assertEquals(-1, result.cutPosition());
        assertTrue(result.damage().contains(damage.reason.name()), result.damage());
        assertEquals(before, FileBytes.digests(dir), "point-in-time recovery must not change a byte of the log");
    }

    @ParameterizedTest(name = "{0}, last={1}, snapshot={2}")
    @MethodSource("cases")
    void shouldCutOnlyWhatNoValidFrameFollowsWhenTheTolerantPolicyMeetsADamagedSegment(final Damage damage,
        final boolean last, final boolean snapshot) throws IOException
    {
        final Fixture fixture = damagedLog(damage, last, snapshot);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final RecordingTarget target = new RecordingTarget();
        if (!last || damage != Damage.FOREIGN_DATABASE)
        {
            // Valid frames of this database follow the damage: it is not a tail.
            assertThrows(CorruptLogException.class,
                () -> Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.TOLERATE_CORRUPTED_TAIL, target));
            assertEquals(before, FileBytes.digests(dir), "a failed recovery must not touch the log");
            return;
        }
        final RecoveryResult result =
            Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.TOLERATE_CORRUPTED_TAIL, target);
        assertEquals(RecoveryCase.F_CORRUPT_TAIL_TOLERANT, result.recoveryCase());
        assertFalse(result.readOnly());
        assertEquals(payloads(0, fixture.prefixCount), target.state);
        assertEquals(fixture.damagedBase, result.endPosition());
        assertEquals(fixture.damagedBase, result.cutPosition());
        assertFalse(Files.exists(dir.resolve(SegmentDescriptor.fileName(fixture.damagedBase))));
        final RecordingTarget again = new RecordingTarget();
        final RecoveryResult second = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, again);
        assertEquals(RecoveryCase.A_CLEAN_END, second.recoveryCase());
        assertEquals(target.state, again.state);
        try (WalWriter writer = WalWriter.open(options(dir, SEGMENT), second.endPosition()))
        {
            final long position = writer.append(TYPE_CODE, TxId.of(9, 9), RUN, bytes("after"), 0,
                5);
            assertEquals(fixture.damagedBase + SegmentDescriptor.HEADER_LENGTH, position);
        }
    }

    @Test
    void shouldTreatTheLogAsNotReachingTheSnapshotWhenTheSegmentHoldingItsPositionHasABadHeader() throws IOException
    {
        final Fixture fixture = layout(writeLog(dir, SEGMENT, FRAMES, true).positions(), false);
        final long base = fixture.bases.get(2);
        final int inside = firstFrameAtOrAfter(fixture.positions, base) + 2;
        writeSnapshot(dir, fixture.positions.get(inside), payloads(0, inside));
        final Path file = dir.resolve(SegmentDescriptor.fileName(base));
        final byte[] original = Files.readAllBytes(file);
        for (final Damage damage : new Damage[] {Damage.BAD_HEADER_CRC, Damage.FOREIGN_DATABASE, Damage.CUT_SHORT})
        {
            corrupt(damage, base);
            final TreeMap<String, String> before = FileBytes.digests(dir);
            final RecordingTarget target = new RecordingTarget();
            final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, target);
            assertEquals(RecoveryCase.I_MISSING_PREFIX_POINT_IN_TIME, result.recoveryCase(), damage.name());
            assertTrue(result.readOnly());
            assertEquals(payloads(0, inside), target.state);
            assertEquals(0, result.framesApplied());
            assertEquals(fixture.positions.get(inside).longValue(), result.endPosition());
            assertEquals(base, result.firstBadPosition());
            for (final RecoveryPolicy policy : new RecoveryPolicy[] {RecoveryPolicy.STRICT_CONSISTENCY,
                RecoveryPolicy.TOLERATE_CORRUPTED_TAIL})
            {
                // Never cut: the damage lies before the snapshot, where the tolerant policy has nothing to drop.
                assertThrows(CorruptLogException.class,
                    () -> Recovery.recover(dir, DATABASE_ID, policy, new RecordingTarget()));
            }
            assertEquals(before, FileBytes.digests(dir));
            Files.write(file, original);
        }
    }

    @Test
    void shouldOpenReadOnlyOnTheSnapshotAloneWhenTheSegmentHoldingItsPositionIsMissing() throws IOException
    {
        final Fixture fixture = layout(writeLog(dir, SEGMENT, FRAMES, true).positions(), false);
        final long base = fixture.bases.get(2);
        final int inside = firstFrameAtOrAfter(fixture.positions, base) + 2;
        writeSnapshot(dir, fixture.positions.get(inside), payloads(0, inside));
        corrupt(Damage.MISSING_SEGMENT, base);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, target);
        assertEquals(RecoveryCase.I_MISSING_PREFIX_POINT_IN_TIME, result.recoveryCase());
        assertEquals(payloads(0, inside), target.state);
        assertEquals(0, result.framesApplied());
    }

    /** A written log, a snapshot before the damage when asked, and the damage. */
    private Fixture damagedLog(final Damage damage, final boolean last, final boolean snapshot) throws IOException
    {
        final Fixture fixture = layout(writeLog(dir, SEGMENT, FRAMES, true).positions(), last);
        if (!snapshot)
        {
            corrupt(damage, fixture.damagedBase);
            return fixture;
        }
        // The snapshot covers the frames before the middle of segment 1, so frames after it are applied from the log.
        final int covered = firstFrameAtOrAfter(fixture.positions, fixture.bases.get(1)) + 3;
        assertTrue(covered < fixture.prefixCount);
        writeSnapshot(dir, fixture.positions.get(covered), payloads(0, covered));
        corrupt(damage, fixture.damagedBase);
        return new Fixture(fixture.positions, fixture.bases, fixture.damagedBase, fixture.prefixCount, covered);
    }

    private Fixture layout(final List<Long> positions, final boolean last) throws IOException
    {
        final List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            files.mapToLong(f -> SegmentDescriptor.parseFileName(f.getFileName().toString())).filter(b -> b >= 0)
                .sorted().forEach(bases::add);
        }
        assertTrue(bases.size() >= 5, "the log spans several segments: " + bases);
        final long damagedBase = last ? bases.get(bases.size() - 1) : bases.get(bases.size() / 2);
        return new Fixture(positions, bases, damagedBase, firstFrameAtOrAfter(positions, damagedBase), 0);
    }

    private void corrupt(final Damage damage, final long base) throws IOException
    {
        final Path file = dir.resolve(SegmentDescriptor.fileName(base));
        final byte[] bytes = Files.readAllBytes(file);
        switch (damage)
        {
            case BAD_MAGIC -> bytes[SegmentDescriptor.MAGIC_OFFSET + 2] ^= 0x01;
            case BAD_HEADER_CRC -> bytes[SegmentDescriptor.DATABASE_ID_OFFSET + 5] ^= 0x40;
            case UNKNOWN_VERSION -> bytes[SegmentDescriptor.FORMAT_VERSION_OFFSET] = 9;
            case FOREIGN_DATABASE ->
            {
                final Path foreign = other.resolve(SegmentDescriptor.fileName(base));
                if (!Files.exists(foreign))
                {
                    writeForeignLog(base);
                }
                Files.copy(foreign, file, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            case CUT_SHORT ->
            {
                Files.write(file, Arrays.copyOf(bytes, SEGMENT / 2));
                return;
            }
            default ->
            {
                Files.delete(file);
                return;
            }
        }
        Files.write(file, bytes);
    }

    private void writeForeignLog(final long base)
    {
        try (WalWriter writer = WalWriter.open(options(other, SEGMENT).databaseId(OTHER_ID), 0))
        {
            // Bounded: the writer reaches the base within a few hundred frames of this size.
            for (int i = 0; writer.nextPosition() < base + SEGMENT / 2; i++)
            {
                final byte[] body = bytes("foreign-" + i + "-" + "y".repeat(50));
                writer.append(TYPE_CODE, TxId.of(3, i), RUN, body, 0, body.length);
            }
            writer.force();
        }
    }

    private static int firstFrameAtOrAfter(final List<Long> positions, final long position)
    {
        int index = 0;
        while (index < positions.size() && positions.get(index) < position)
        {
            index++;
        }
        return index;
    }

    /**
     * The log's layout: frame positions, segment bases, the damaged segment's base, how many frames lie before it and
     * how many a snapshot covers (0 without one).
     */
    private record Fixture(List<Long> positions, List<Long> bases, long damagedBase, int prefixCount,
        int coveredCount)
    {
    }
}
