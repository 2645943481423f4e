/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.recovery.RecoveryCase;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.replay.AsOf;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.SegmentDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History reads on a database recovery opened read-only at a point in time: replay, replay hash, verification, time
 * travel and diffs serve the recovered prefix and never read the damage past it, and ending a run is refused as
 * read-only before anything is read.
 */
@Timeout(60)
class ReadOnlyReplayTest
{
    private static final RunId RUN_A = ReplayTesting.run(1);
    private static final RunId RUN_B = ReplayTesting.run(2);
    private static final int SEGMENT = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void shouldServeTheRecoveredPrefixWhenTheLastFrameIsDamaged() throws IOException
    {
        final Map<String, String> before;
        final long lastFrame;
        try (Database db = open(RecoveryPolicy.STRICT_CONSISTENCY))
        {
            writeRunA(db);
            db.beginRun(RUN_B);
            db.kv().put(RUN_B, "b", Value.of("first"));
            before = expectations(db);
            lastFrame = db.visiblePosition();
            db.kv().put(RUN_B, "b", Value.of("second"));
        }
        flipByte(dir.resolve(SegmentDescriptor.fileName(0)), (int)lastFrame + FrameDescriptor.PAYLOAD_OFFSET + 2);
        try (Database db = open(RecoveryPolicy.POINT_IN_TIME))
        {
            assertEquals(RecoveryCase.D_CORRUPT_POINT_IN_TIME, db.lastRecoveryResult().orElseThrow().recoveryCase());
            assertEquals(lastFrame, db.lastRecoveryResult().orElseThrow().endPosition());
            assertEquals(before, expectations(db));
            assertTrue(db.verifyReplay(RUN_A).matches(), db.verifyReplay(RUN_A).detail());
            assertRefusedToEnd(db);
        }
    }

    @Test
    void shouldServeTheRecoveredPrefixWhenALaterSegmentHeaderIsDamaged() throws IOException
    {
        final Map<String, String> before;
        try (Database db = open(RecoveryPolicy.STRICT_CONSISTENCY))
        {
            writeRunA(db);
            db.beginRun(RUN_B);
            db.kv().put(RUN_B, "b", Value.of("first"));
            before = expectations(db);
            // Bounded: 1 KiB values fill the first segment within 64 writes.
            for (int i = 0; db.visiblePosition() < SEGMENT; i++)
            {
                db.kv().put(RUN_B, "fill" + i, Value.of("x".repeat(1024)));
            }
            db.kv().put(RUN_B, "b", Value.of("second"));
        }
        final Path later = dir.resolve(SegmentDescriptor.fileName(SEGMENT));
        flipByte(later, SegmentDescriptor.SEGMENT_BASE_POSITION_OFFSET + 3);
        try (Database db = open(RecoveryPolicy.POINT_IN_TIME))
        {
            assertEquals(SEGMENT, db.lastRecoveryResult().orElseThrow().endPosition());
            assertEquals(before.get("A"), db.replayHash(RUN_A));
            assertEquals(before.get("A changes 2"), db.replayRun(RUN_A, AsOf.changes(2)).toJsonText());
            assertTrue(db.verifyReplay(RUN_A).matches(), db.verifyReplay(RUN_A).detail());
            assertEquals(Value.of("first"), db.replayRun(RUN_B).kv().get("b").orElseThrow());
            db.diffRuns(RUN_A, RUN_B);
            assertRefusedToEnd(db);
        }
    }

    private static void writeRunA(final Database db)
    {
        db.beginRun(RUN_A);
        db.kv().put(RUN_A, "a", Value.of(1L));
        db.events().append(RUN_A, "step", Value.of("one"));
        db.state().set(RUN_A, "phase", Value.of("done"));
        db.endRun(RUN_A);
    }

    /** What every history read answers, as text, so that answers before and after the reopen compare. */
    private static Map<String, String> expectations(final Database db)
    {
        return Map.of(
            "A", db.replayHash(RUN_A),
            "A view", db.replayRun(RUN_A).toJsonText(),
            "A changes 2", db.replayRun(RUN_A, AsOf.changes(2)).toJsonText(),
            "B", db.replayHash(RUN_B),
            "A to B", db.diffRuns(RUN_A, RUN_B).toJsonPatch().toString(),
            "A verified", Boolean.toString(db.verifyReplay(RUN_A).matches()));
    }

    private static void assertRefusedToEnd(final Database db)
    {
        for (final RunId run : new RunId[] {RUN_A, RUN_B})
        {
            final StorageException ex = assertThrows(StorageException.class, () -> db.endRun(run));
            assertEquals(ErrorCode.READ_ONLY, ex.code(), ex.getMessage());
            final StorageException aborted = assertThrows(StorageException.class, () -> db.abortRun(run, "no"));
            assertEquals(ErrorCode.READ_ONLY, aborted.code(), aborted.getMessage());
        }
    }

    private Database open(final RecoveryPolicy policy)
    {
        return Database.builder().directory(dir).durability(DurabilityMode.STRICT).segmentLength(SEGMENT)
            .recoveryPolicy(policy).open();
    }

    private static void flipByte(final Path file, final int offset) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= 0x04;
        Files.write(file, bytes);
    }
}
