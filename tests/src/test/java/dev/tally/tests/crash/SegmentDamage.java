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
import dev.tally.engine.RunStatus;
import dev.tally.recovery.RecoveryCase;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.recovery.RecoveryResult;
import dev.tally.wal.SegmentDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A database of four 64 KiB segments written through the engine (one run, 1 KiB values), with or without a snapshot
 * in the first segment, and a check that a copy with one segment damaged at segment level opens as the recovery
 * decision table says: a bit flipped anywhere in a segment header, the segment replaced by another database's, cut
 * short, or deleted. Under strict consistency the open fails; under point-in-time recovery it opens read-only on
 * exactly the values committed before the damaged segment (or on the snapshot, when the damage is in the segment
 * holding its position); under the tolerant policy it fails while valid frames follow the damage and otherwise cuts
 * and opens read-write on that prefix. A refused or read-only open changes no byte. Used by group D.
 */
final class SegmentDamage
{
    /** The segments of the log. */
    static final int SEGMENT_COUNT = 4;
    /** The cut lengths tried for a segment cut short. */
    static final int[] CUT_LENGTHS = {0, 32, SegmentDescriptor.HEADER_LENGTH - 1, SegmentDescriptor.HEADER_LENGTH + 1,
        CrashHarness.SEGMENT_LENGTH / 2, CrashHarness.SEGMENT_LENGTH - 64};

    private static final RunId RUN = RunId.of(0xd, 0xd);
    private static final int SNAPSHOT_AFTER = 20;

    private final Path source;
    private final Path foreign;
    private final long[] ends;
    private final boolean snapshot;
    private final long snapshotPosition;
    private final int valueCount;

    /** The damage applied to one segment. */
    enum Kind
    {
        /** A bit of the header flipped (the detail is the bit index). */
        FLIP,
        /** The segment replaced by the same-named segment of another database. */
        FOREIGN,
        /** The file cut to a length (the detail indexes {@link #CUT_LENGTHS}). */
        CUT,
        /** The file deleted (not for the last segment: that is a shorter log no one can tell from a whole one). */
        MISSING
    }

    private SegmentDamage(final Path source, final Path foreign, final long[] ends, final boolean snapshot,
        final long snapshotPosition)
    {
        this.source = source;
        this.foreign = foreign;
        this.ends = ends;
        this.snapshot = snapshot;
        this.snapshotPosition = snapshotPosition;
        this.valueCount = ends.length;
    }

    /**
     * Writes the database and another one to take foreign segments from.
     *
     * @param directory an empty directory.
     * @param snapshot  whether a snapshot is taken after the first values.
     * @return the fixture.
     */
    static SegmentDamage write(final Path directory, final boolean snapshot)
    {
        final long[] ends = writeValues(directory.resolve("source"), snapshot);
        writeValues(directory.resolve("foreign"), false);
        return new SegmentDamage(directory.resolve("source"), directory.resolve("foreign"), ends, snapshot,
            snapshot ? ends[SNAPSHOT_AFTER - 1] : 0);
    }

    private static long[] writeValues(final Path directory, final boolean snapshot)
    {
        final long[] ends = new long[CrashHarness.SEGMENT_LENGTH / 1024 * (SEGMENT_COUNT - 1) + 10];
        try (Database db = CrashHarness.builder(directory, null, DurabilityMode.STRICT).open())
        {
            db.beginRun(RUN);
            for (int i = 0; i < ends.length; i++)
            {
                db.kv().put(RUN, "v" + i, value(i));
                ends[i] = db.visiblePosition();
                if (snapshot && i == SNAPSHOT_AFTER - 1)
                {
                    db.snapshot();
                }
            }
        }
        if (!Files.exists(directory.resolve(SegmentDescriptor.fileName(
            (long)(SEGMENT_COUNT - 1) * CrashHarness.SEGMENT_LENGTH))))
        {
            throw new IllegalStateException("the fixture must span " + SEGMENT_COUNT + " segments");
        }
        return ends;
    }

    /**
     * Damages a copy of the database and checks how it opens.
     *
     * @param work    a directory for the copy (emptied first).
     * @param segment the index of the segment to damage.
     * @param kind    the damage.
     * @param detail  the bit index for {@link Kind#FLIP}, the cut length index for {@link Kind#CUT}.
     * @param policy  the recovery policy.
     * @return {@code null} when the outcome is the one the table gives, else what is wrong.
     * @throws IOException when the copy cannot be made.
     */
    String check(final Path work, final int segment, final Kind kind, final int detail, final RecoveryPolicy policy)
        throws IOException
    {
        TempDirs.deleteTree(work);
        CorruptionCrashTest.copyTree(source, work);
        final long base = (long)segment * CrashHarness.SEGMENT_LENGTH;
        final boolean slotOnly = damage(work, base, kind, detail);
        final TreeMap<String, String> before = digests(work);
        final Expected expected = expected(segment, kind, detail, slotOnly, policy);
        final Database db;
        try
        {
            db = CrashHarness.builder(work, null, DurabilityMode.STRICT).recoveryPolicy(policy).open();
        }
        catch (final TallyException ex)
        {
            if (expected.opens)
            {
                return "the open failed where the table opens: " + ex;
            }
            return before.equals(digests(work)) ? null : "a refused open changed the directory";
        }
        try (db)
        {
            if (!expected.opens)
            {
                return "opened where the table refuses: " + db.lastRecoveryResult().orElseThrow().toJson();
            }
            final String wrong = checkOpened(db, expected);
            if (wrong != null)
            {
                return wrong;
            }
        }
        if (expected.readOnly && !before.equals(digests(work)))
        {
            return "a read-only open changed the directory";
        }
        return null;
    }

    private String checkOpened(final Database db, final Expected expected)
    {
        final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
        if (result.recoveryCase() != expected.recoveryCase || result.readOnly() != expected.readOnly)
        {
            return "expected " + expected.recoveryCase + " (readOnly=" + expected.readOnly + "): " + result.toJson();
        }
        if (result.endPosition() != expected.endPosition)
        {
            return "expected endPosition=" + expected.endPosition + ": " + result.toJson();
        }
        if (expected.endPosition == 0)
        {
            // Nothing before the damage, not even the run's begin frame.
            return db.runStatus(RUN).state() == RunStatus.State.NOT_FOUND ? null : "a run survived: " + result.toJson();
        }
        for (int i = 0; i < valueCount; i++)
        {
            final Optional<Value> found = db.kv().get(RUN, "v" + i);
            if (found.isPresent() != (i < expected.kept) || (found.isPresent() && !found.get().equals(value(i))))
            {
                return "value " + i + " " + (found.isPresent() ? "present" : "missing") + ", kept=" + expected.kept
                    + ": " + result.toJson();
            }
        }
        return null;
    }

    /** Applies the damage; returns whether only the durable slot changed (not damage recovery may see). */
    private boolean damage(final Path work, final long base, final Kind kind, final int detail) throws IOException
    {
        final Path file = work.resolve(SegmentDescriptor.fileName(base));
        switch (kind)
        {
            case FLIP ->
            {
                final byte[] bytes = Files.readAllBytes(file);
                bytes[detail / 8] ^= (byte)(1 << (detail % 8));
                Files.write(file, bytes);
                return detail / 8 >= SegmentDescriptor.DURABLE_CRC_OFFSET;
            }
            case FOREIGN -> Files.copy(foreign.resolve(file.getFileName()), file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            case CUT -> Files.write(file, Arrays.copyOf(Files.readAllBytes(file), CUT_LENGTHS[detail]));
            default -> Files.delete(file);
        }
        return false;
    }

    private Expected expected(final int segment, final Kind kind, final int detail, final boolean slotOnly,
        final RecoveryPolicy policy)
    {
        final long base = (long)segment * CrashHarness.SEGMENT_LENGTH;
        if (slotOnly)
        {
            // A failed slot CRC falls back to the segment base; every frame is still valid and complete.
            return new Expected(true, false, RecoveryCase.A_CLEAN_END, ends[valueCount - 1], valueCount);
        }
        final boolean beforeStart = base < snapshotPosition || (kind == Kind.MISSING && base == snapshotPosition);
        if (beforeStart || (segment == 0 && kind == Kind.MISSING))
        {
            // The log does not reach back to the snapshot (or to position 0): G, H, or I on the snapshot alone.
            final boolean opens = snapshot && policy == RecoveryPolicy.POINT_IN_TIME;
            return new Expected(opens, true, RecoveryCase.I_MISSING_PREFIX_POINT_IN_TIME, snapshotPosition,
                SNAPSHOT_AFTER);
        }
        final int kept = keptBefore(base);
        return switch (policy)
        {
            case STRICT_CONSISTENCY -> new Expected(false, false, RecoveryCase.C_CORRUPT_STRICT, base, kept);
            case POINT_IN_TIME -> new Expected(true, true, RecoveryCase.D_CORRUPT_POINT_IN_TIME, base, kept);
            default -> new Expected(!validFrameFollows(segment, kind, detail), false,
                RecoveryCase.F_CORRUPT_TAIL_TOLERANT, base, kept);
        };
    }

    private int keptBefore(final long base)
    {
        int kept = 0;
        while (kept < valueCount && ends[kept] <= base)
        {
            kept++;
        }
        return kept;
    }

    /** Whether a frame of this database survives after the damaged segment's base. */
    private boolean validFrameFollows(final int segment, final Kind kind, final int detail)
    {
        if (segment < SEGMENT_COUNT - 1 || kind == Kind.FLIP)
        {
            return true;
        }
        if (kind != Kind.CUT)
        {
            return false;
        }
        final long base = (long)segment * CrashHarness.SEGMENT_LENGTH;
        final int kept = keptBefore(base);
        return kept < valueCount && ends[kept] <= base + CUT_LENGTHS[detail];
    }

    private static TreeMap<String, String> digests(final Path directory) throws IOException
    {
        final TreeMap<String, String> digests = new TreeMap<>();
        try (var files = Files.list(directory))
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

    private static Value value(final int i)
    {
        final char[] chars = new char[1000];
        Arrays.fill(chars, (char)('a' + i % 26));
        return Value.of(i + new String(chars));
    }

    /** What the table gives for one damaged copy. */
    private record Expected(boolean opens, boolean readOnly, RecoveryCase recoveryCase, long endPosition, int kept)
    {
    }
}
