/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.core.CorruptDataException;
import dev.tally.core.testing.DatabaseIds;
import dev.tally.core.testing.FileBytes;
import dev.tally.recovery.RecoveryFilesTest.Log;
import dev.tally.recovery.RecoveryFilesTest.RecordingTarget;
import dev.tally.wal.FrameDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

import static dev.tally.recovery.RecoveryFilesTest.payloads;
import static dev.tally.recovery.RecoveryFilesTest.writeLog;
import static dev.tally.recovery.RecoveryFilesTest.writeSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot whose position lies past the log's last frame but inside its last, preallocated segment file: the
 * frames it depends on are gone, and a writer opened at its position would leave a gap of zeros that no recovery
 * without the snapshot could cross. Under every policy it must take the snapshot-ahead cases (K fails, L opens
 * read-only), like a snapshot past the last file, and change no byte; a snapshot exactly at the end of the last frame,
 * or at a frame boundary inside the log, still opens read-write.
 */
@Timeout(60)
class RecoverySnapshotAheadTest
{
    private static final UUID DATABASE_ID = DatabaseIds.DATABASE_ID;
    private static final int BIG_SEGMENT = 64 << 10;
    private static final int SMALL_SEGMENT = 4096;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RecoveryPolicy.class)
    void shouldRefuseOrOpenReadOnlyWhenTheSnapshotLiesPastTheLastFrameInsideTheLastFile(final RecoveryPolicy policy)
        throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 10, true);
        final List<String> state = payloads(0, 30);
        writeSnapshot(dir, log.end() + 25L * FrameDescriptor.FRAME_ALIGNMENT, state);
        assertAhead(policy, state);
    }

    @ParameterizedTest
    @EnumSource(RecoveryPolicy.class)
    void shouldRefuseOrOpenReadOnlyWhenTheSnapshotPositionIsInsideAFrameOfTheLog(final RecoveryPolicy policy)
        throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 10, true);
        final long insideFrame = log.positions().get(5) + FrameDescriptor.FRAME_ALIGNMENT;
        assertTrue(insideFrame < log.positions().get(6), "frames are longer than one alignment unit");
        final List<String> state = payloads(0, 6);
        writeSnapshot(dir, insideFrame, state);
        assertAhead(policy, state);
    }

    @ParameterizedTest
    @EnumSource(RecoveryPolicy.class)
    void shouldRefuseOrOpenReadOnlyWhenTheLastSegmentEndsBeforeTheSnapshot(final RecoveryPolicy policy)
        throws IOException
    {
        final Log log = writeLog(dir, SMALL_SEGMENT, 100, true);
        final long lastBase = log.end() & -SMALL_SEGMENT;
        final List<String> state = payloads(0, 100);
        writeSnapshot(dir, lastBase + SMALL_SEGMENT - FrameDescriptor.FRAME_ALIGNMENT, state);
        assertAhead(policy, state);
    }

    @Test
    void shouldOpenReadWriteWhenTheSnapshotIsExactlyAtTheEndOfTheLastFrame() throws IOException
    {
        final Log log = writeLog(dir, SMALL_SEGMENT, 100, true);
        final List<String> state = payloads(0, 100);
        writeSnapshot(dir, log.end(), state);
        for (final RecoveryPolicy policy : RecoveryPolicy.values())
        {
            final RecordingTarget target = new RecordingTarget();
            final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, policy, target);
            assertEquals(RecoveryCase.A_CLEAN_END, result.recoveryCase(), policy.name());
            assertFalse(result.readOnly());
            assertEquals(state, target.state);
            assertEquals(log.end(), result.endPosition());
        }
    }

    @Test
    void shouldApplyTheFramesAfterTheSnapshotWhenItsPositionIsAFrameBoundaryOfTheLog() throws IOException
    {
        final Log log = writeLog(dir, SMALL_SEGMENT, 100, true);
        for (final int covered : new int[] {0, 1, 31, 32, 33, 64, 99})
        {
            final Path snapshot = writeSnapshot(dir, log.positions().get(covered), payloads(0, covered));
            final RecordingTarget target = new RecordingTarget();
            final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY,
                target);
            assertEquals(RecoveryCase.A_CLEAN_END, result.recoveryCase(), "covered=" + covered);
            assertEquals(payloads(0, 100), target.state, "covered=" + covered);
            assertEquals(100 - covered, result.framesApplied());
            java.nio.file.Files.delete(snapshot);
        }
    }

    private void assertAhead(final RecoveryPolicy policy, final List<String> state) throws IOException
    {
        final TreeMap<String, String> before = FileBytes.digests(dir);
        if (policy != RecoveryPolicy.POINT_IN_TIME)
        {
            final CorruptDataException ex = assertThrows(CorruptDataException.class,
                () -> Recovery.recover(dir, DATABASE_ID, policy, new RecordingTarget()));
            assertTrue(ex.getMessage().contains(RecoveryCase.K_SNAPSHOT_AHEAD_STRICT.name()), ex.getMessage());
        }
        else
        {
            final RecordingTarget target = new RecordingTarget();
            final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, policy, target);
            assertEquals(RecoveryCase.L_SNAPSHOT_AHEAD_POINT_IN_TIME, result.recoveryCase());
            assertTrue(result.readOnly());
            assertEquals(state, target.state);
            assertEquals(0, result.framesApplied());
            assertTrue(result.damage().contains("frames stop at"), result.damage());
        }
        assertEquals(before, FileBytes.digests(dir), "a snapshot ahead of the log must not change a byte");
    }
}
