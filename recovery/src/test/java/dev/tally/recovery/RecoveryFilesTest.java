/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.testing.DatabaseIds;
import dev.tally.core.testing.FileBytes;
import dev.tally.snapshot.SnapshotContents;
import dev.tally.snapshot.SnapshotDescriptor;
import dev.tally.snapshot.SnapshotSection;
import dev.tally.snapshot.SnapshotWriter;
import dev.tally.wal.CorruptLogException;
import dev.tally.wal.CorruptionReason;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.WalFrame;
import dev.tally.wal.WalOptions;
import dev.tally.wal.WalWriter;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery over real files: a log written with {@link WalWriter}, snapshots written with {@link SnapshotWriter}, and
 * damage made by hand, so that every case of the decision table that can be observed on disk is produced and its
 * result checked against a {@link RecordingTarget} whose state is the list of frame payloads applied.
 */
@Timeout(60)
class RecoveryFilesTest
{
    private static final UUID DATABASE_ID = DatabaseIds.DATABASE_ID;
    private static final int TYPE_CODE = 0x10;
    private static final int SECTION = 1;
    private static final int BIG_SEGMENT = 64 << 10;
    private static final int SMALL_SEGMENT = 4096;
    private static final RunId RUN = RunId.of(1, 2);

    @TempDir
    Path dir;

    // ---- A: clean end ------------------------------------------------------------------------------------------

    @Test
    void shouldApplyEveryFrameAndOpenReadWriteWhenTheLogEndsCleanly()
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 50, true);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(RecoveryCase.A_CLEAN_END, result.recoveryCase());
        assertFalse(result.readOnly());
        assertEquals(payloads(0, 50), target.state);
        assertEquals(50, result.framesApplied());
        assertEquals(50, result.transactionsApplied());
        assertEquals(log.end, result.endPosition());
        assertEquals(0, result.bytesCut());
        assertEquals(-1, result.cutPosition());
        assertEquals(-1, result.firstBadPosition());
        assertNull(result.snapshotFileName());
        assertTrue(result.rejectedSnapshots().isEmpty());
    }

    @Test
    void shouldRecoverAnEmptyStateWhenTheDirectoryHoldsNothing()
    {
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(RecoveryCase.A_CLEAN_END, result.recoveryCase());
        assertEquals(0, result.endPosition());
        assertTrue(target.state.isEmpty());
        assertEquals(0, target.framesSeen);
    }

    // ---- B: torn tail ------------------------------------------------------------------------------------------

    @Test
    void shouldCutTheTornFrameAndReportItWhenACrashInterruptedTheLastWrite() throws IOException
    {
        final Log log = writeLogWithUnforcedTail(dir, 40, 10);
        final long torn = log.positions.get(49);
        tear(dir, torn, BIG_SEGMENT);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(RecoveryCase.B_TORN_TAIL, result.recoveryCase());
        assertFalse(result.readOnly());
        assertEquals(payloads(0, 49), target.state);
        assertEquals(torn, result.endPosition());
        assertEquals(torn, result.cutPosition());
        assertEquals(torn, result.firstBadPosition());
        assertTrue(result.bytesCut() >= FrameDescriptor.HEADER_LENGTH, "bytesCut=" + result.bytesCut());
        assertTrue(result.damage().contains("torn tail"), result.damage());
        assertZeroFrom(dir.resolve(SegmentDescriptor.fileName(0)), torn);

        final RecordingTarget again = new RecordingTarget();
        final RecoveryResult second = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, again);
        assertEquals(RecoveryCase.A_CLEAN_END, second.recoveryCase());
        assertEquals(target.state, again.state);
        try (WalWriter writer = WalWriter.open(options(dir, BIG_SEGMENT), second.endPosition()))
        {
            assertEquals(torn, writer.append(TYPE_CODE, TxId.of(9, 9), RUN, bytes("after"), 0, 5));
        }
    }

    @Test
    void shouldDropEveryLaterFrameWhenTheTornFrameIsNotTheLast() throws IOException
    {
        final Log log = writeLogWithUnforcedTail(dir, 40, 10);
        final long torn = log.positions.get(44);
        tear(dir, torn, BIG_SEGMENT);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(RecoveryCase.B_TORN_TAIL, result.recoveryCase());
        assertEquals(payloads(0, 44), target.state, "the recovered log is a prefix: nothing after the tear");
        assertEquals(torn, result.cutPosition());
        assertTrue(result.bytesCut() >= log.end - torn - FrameDescriptor.FRAME_ALIGNMENT,
            "bytesCut=" + result.bytesCut() + ", tail=" + (log.end - torn));
    }

    // ---- C, D, E, F: damage before the durable position ------------------------------------------------------

    @Test
    void shouldFailWithFileOffsetAndChecksumsWhenCorruptionPrecedesTheDurablePositionUnderStrict() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 50, true);
        final long bad = log.positions.get(20);
        flipPayloadByte(dir, bad, BIG_SEGMENT);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final CorruptLogException ex = assertThrows(CorruptLogException.class,
            () -> Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, new RecordingTarget()));
        assertEquals(CorruptionReason.CRC_MISMATCH, ex.reason());
        assertEquals(SegmentDescriptor.fileName(0), ex.segmentFileName());
        assertEquals((int)bad, ex.offset());
        assertEquals(bad, ex.position());
        assertNotEquals(ex.expectedCrc(), ex.actualCrc());
        assertEquals(ErrorCode.CORRUPT_LOG, ex.code());
        assertEquals(before, FileBytes.digests(dir), "a failed recovery must not touch the log");
    }

    @Test
    void shouldFailUnderStrictWhenTheDamagedFrameIsTheLastDurableOne() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 50, true);
        flipPayloadByte(dir, log.positions.get(49), BIG_SEGMENT);
        final CorruptLogException ex = assertThrows(CorruptLogException.class,
            () -> Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, new RecordingTarget()));
        assertEquals(log.positions.get(49).longValue(), ex.position());
    }

    @Test
    void shouldOpenReadOnlyOnThePrefixAndLeaveTheLogUntouchedWhenPointInTime() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 50, true);
        final long bad = log.positions.get(20);
        flipPayloadByte(dir, bad, BIG_SEGMENT);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, target);
        assertEquals(RecoveryCase.D_CORRUPT_POINT_IN_TIME, result.recoveryCase());
        assertTrue(result.readOnly());
        assertEquals(payloads(0, 20), target.state);
        assertEquals(bad, result.firstBadPosition());
        assertEquals(bad, result.endPosition());
        assertEquals(0, result.bytesCut());
        assertEquals(-1, result.cutPosition());
        assertFalse(result.damage().isEmpty());
        assertEquals(before, FileBytes.digests(dir), "point-in-time recovery must not change a byte of the log");
    }

    @Test
    void shouldFailUnderTheTolerantPolicyWhenValidFramesFollowTheDamage() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 50, true);
        final long bad = log.positions.get(20);
        flipPayloadByte(dir, bad, BIG_SEGMENT);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        final CorruptLogException ex = assertThrows(CorruptLogException.class,
            () -> Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.TOLERATE_CORRUPTED_TAIL, new RecordingTarget()));
        assertEquals(bad, ex.position());
        assertEquals(before, FileBytes.digests(dir), "damage in the middle must not be cut");
    }

    @Test
    void shouldCutAndOpenReadWriteUnderTheTolerantPolicyWhenNothingValidFollowsTheDamage() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 50, true);
        final long bad = log.positions.get(49);
        flipPayloadByte(dir, bad, BIG_SEGMENT);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result =
            Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.TOLERATE_CORRUPTED_TAIL, target);
        assertEquals(RecoveryCase.F_CORRUPT_TAIL_TOLERANT, result.recoveryCase());
        assertEquals(RecoveryAction.CUT_AND_OPEN, result.recoveryCase().action());
        assertFalse(result.readOnly());
        assertEquals(payloads(0, 49), target.state);
        assertEquals(bad, result.cutPosition());
        assertEquals(bad, result.endPosition());
        assertEquals(bad, result.firstBadPosition());
        assertEquals(BIG_SEGMENT - bad, result.bytesCut());
        assertZeroFrom(dir.resolve(SegmentDescriptor.fileName(0)), bad);

        final RecordingTarget again = new RecordingTarget();
        assertEquals(RecoveryCase.A_CLEAN_END,
            Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, again).recoveryCase(),
            "after the cut the log ends cleanly, even under the strict policy");
        assertEquals(target.state, again.state);
        try (WalWriter writer = WalWriter.open(options(dir, BIG_SEGMENT), result.endPosition()))
        {
            assertEquals(bad, writer.append(TYPE_CODE, TxId.of(9, 9), RUN, bytes("after"), 0, 5));
        }
    }

    // ---- G, H, I: missing prefix -------------------------------------------------------------------------------

    @Test
    void shouldFailUnderEveryPolicyWhenTheFirstSegmentIsMissingAndThereIsNoSnapshot() throws IOException
    {
        writeLog(dir, SMALL_SEGMENT, 100, true);
        Files.delete(dir.resolve(SegmentDescriptor.fileName(0)));
        for (final RecoveryPolicy policy : RecoveryPolicy.values())
        {
            final CorruptDataException ex = assertThrows(CorruptDataException.class,
                () -> Recovery.recover(dir, DATABASE_ID, policy, new RecordingTarget()));
            assertTrue(ex.getMessage().contains(RecoveryCase.G_MISSING_PREFIX_NO_SNAPSHOT.name()), ex.getMessage());
            assertEquals(ErrorCode.CORRUPT_LOG, ex.code());
        }
    }

    @Test
    void shouldStartFromTheSnapshotWhenSegmentsBeforeItWereReclaimed() throws IOException
    {
        final Log log = writeLog(dir, SMALL_SEGMENT, 100, true);
        final int k = 60;
        final long snapshotPosition = log.positions.get(k);
        writeSnapshot(dir, snapshotPosition, payloads(0, k));
        deleteSegmentsBefore(dir, snapshotPosition, SMALL_SEGMENT);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(RecoveryCase.A_CLEAN_END, result.recoveryCase());
        assertEquals(payloads(0, 100), target.state);
        assertEquals(SnapshotDescriptor.fileName(snapshotPosition), result.snapshotFileName());
        assertEquals(snapshotPosition, result.snapshotPosition());
        assertEquals(snapshotPosition, result.walStartPosition());
        assertEquals(100 - k, result.framesApplied());
    }

    @Test
    void shouldFailUnlessPointInTimeWhenTheLogDoesNotReachBackToTheSnapshot() throws IOException
    {
        final Log log = writeLog(dir, SMALL_SEGMENT, 100, true);
        final int k = 10;
        final long snapshotPosition = log.positions.get(k);
        writeSnapshot(dir, snapshotPosition, payloads(0, k));
        deleteSegmentsBefore(dir, snapshotPosition + 2L * SMALL_SEGMENT, SMALL_SEGMENT);
        assertTrue(firstSegmentBase(dir) > snapshotPosition);
        final TreeMap<String, String> before = FileBytes.digests(dir);
        for (final RecoveryPolicy policy : Set.of(RecoveryPolicy.STRICT_CONSISTENCY,
            RecoveryPolicy.TOLERATE_CORRUPTED_TAIL))
        {
            final CorruptDataException ex = assertThrows(CorruptDataException.class,
                () -> Recovery.recover(dir, DATABASE_ID, policy, new RecordingTarget()));
            assertTrue(ex.getMessage().contains(RecoveryCase.H_MISSING_PREFIX_STRICT.name()), ex.getMessage());
        }
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, target);
        assertEquals(RecoveryCase.I_MISSING_PREFIX_POINT_IN_TIME, result.recoveryCase());
        assertTrue(result.readOnly());
        assertEquals(payloads(0, k), target.state, "the snapshot alone, nothing from the log");
        assertEquals(0, result.framesApplied());
        assertEquals(before, FileBytes.digests(dir));
    }

    // ---- K, L: snapshot ahead of the log --------------------------------------------------------------------

    @Test
    void shouldFailUnlessPointInTimeWhenTheSnapshotIsAheadOfTheLog() throws IOException
    {
        writeLog(dir, SMALL_SEGMENT, 30, true);
        final long lastEnd = lastSegmentEnd(dir);
        final long snapshotPosition = lastEnd + 3L * SMALL_SEGMENT + SegmentDescriptor.HEADER_LENGTH;
        final List<String> snapState = List.of("from", "the", "future");
        writeSnapshot(dir, snapshotPosition, snapState);
        for (final RecoveryPolicy policy : Set.of(RecoveryPolicy.STRICT_CONSISTENCY,
            RecoveryPolicy.TOLERATE_CORRUPTED_TAIL))
        {
            final CorruptDataException ex = assertThrows(CorruptDataException.class,
                () -> Recovery.recover(dir, DATABASE_ID, policy, new RecordingTarget()));
            assertTrue(ex.getMessage().contains(RecoveryCase.K_SNAPSHOT_AHEAD_STRICT.name()), ex.getMessage());
        }
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, target);
        assertEquals(RecoveryCase.L_SNAPSHOT_AHEAD_POINT_IN_TIME, result.recoveryCase());
        assertTrue(result.readOnly());
        assertEquals(snapState, target.state);
    }

    @Test
    void shouldTreatASnapshotWithNoLogAtAllAsAheadOfTheLog() throws IOException
    {
        writeSnapshot(dir, 4096 + 64, List.of("only"));
        assertThrows(CorruptDataException.class,
            () -> Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, new RecordingTarget()));
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, target);
        assertEquals(RecoveryCase.L_SNAPSHOT_AHEAD_POINT_IN_TIME, result.recoveryCase());
        assertEquals(List.of("only"), target.state);
    }

    // ---- snapshot fallback -----------------------------------------------------------------------------------

    @Test
    void shouldFallBackToOlderSnapshotsThenToTheLogAloneWhenNewerSnapshotsAreCorrupt() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 90, true);
        final int[] cuts = {30, 50, 70};
        final Path[] files = new Path[cuts.length];
        for (int i = 0; i < cuts.length; i++)
        {
            files[i] = writeSnapshot(dir, log.positions.get(cuts[i]), payloads(0, cuts[i]));
        }
        final List<String> expected = payloads(0, 90);

        RecordingTarget target = new RecordingTarget();
        RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(files[2].getFileName().toString(), result.snapshotFileName());
        assertEquals(20, result.framesApplied());
        assertEquals(expected, target.state);

        final List<String> rejectedNames = new ArrayList<>();
        for (int i = cuts.length - 1; i >= 0; i--)
        {
            FileBytes.flipByte(files[i], (int)Files.size(files[i]) / 2);
            rejectedNames.add(files[i].getFileName().toString());
            target = new RecordingTarget();
            result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
            assertEquals(expected, target.state, "fallback must rebuild the same state");
            assertEquals(RecoveryCase.A_CLEAN_END, result.recoveryCase());
            assertEquals(rejectedNames,
                result.rejectedSnapshots().stream().map(RejectedSnapshot::fileName).toList());
            for (final RejectedSnapshot rejected : result.rejectedSnapshots())
            {
                assertFalse(rejected.reason().isBlank(), rejected.toString());
                assertEquals(SnapshotDescriptor.parseFileName(rejected.fileName()), rejected.walPosition());
            }
            if (i > 0)
            {
                assertEquals(files[i - 1].getFileName().toString(), result.snapshotFileName());
                assertEquals(90 - cuts[i - 1], result.framesApplied());
            }
            else
            {
                assertNull(result.snapshotFileName(), "every snapshot is corrupt: the log alone");
                assertEquals(0, result.snapshotPosition());
                assertEquals(90, result.framesApplied());
            }
        }
    }

    @Test
    void shouldRejectASnapshotWhoseNameDisagreesWithItsHeader() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 40, true);
        final Path real = writeSnapshot(dir, log.positions.get(10), payloads(0, 10));
        final Path renamed = dir.resolve(SnapshotDescriptor.fileName(log.positions.get(30)));
        Files.copy(real, renamed);
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(1, result.rejectedSnapshots().size());
        assertEquals(renamed.getFileName().toString(), result.rejectedSnapshots().get(0).fileName());
        final String reason = result.rejectedSnapshots().get(0).reason();
        assertTrue(reason.contains(String.valueOf(log.positions.get(10))) &&
            reason.contains(String.valueOf(log.positions.get(30))), reason);
        assertEquals(real.getFileName().toString(), result.snapshotFileName());
        assertEquals(payloads(0, 40), target.state);
    }

    @Test
    void shouldRejectASnapshotWithASectionNoPrimitiveTakes() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 40, true);
        final long position = log.positions.get(20);
        new SnapshotWriter().write(dir, new SnapshotContents(DATABASE_ID, 1, position,
            List.of(new SnapshotSection(SECTION, encode(payloads(0, 20))), new SnapshotSection(99, new byte[3]))));
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(1, result.rejectedSnapshots().size());
        assertTrue(result.rejectedSnapshots().get(0).reason().contains("typeId=99"),
            result.rejectedSnapshots().get(0).reason());
        assertNull(result.snapshotFileName());
        assertEquals(payloads(0, 40), target.state);
        assertEquals(0, target.sectionsLoaded, "nothing of a rejected snapshot is loaded");
    }

    @Test
    void shouldLeaveNothingOfASnapshotWhoseSecondSectionFailsToDecode() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 40, true);
        final long position = log.positions.get(20);
        new SnapshotWriter().write(dir, new SnapshotContents(DATABASE_ID, 1, position,
            List.of(new SnapshotSection(SECTION, encode(List.of("half", "loaded"))),
                new SnapshotSection(RecordingTarget.STRICT_SECTION, bytes("not-ok")))));
        final RecordingTarget target = new RecordingTarget();
        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);
        assertEquals(1, result.rejectedSnapshots().size());
        assertNull(result.snapshotFileName());
        assertEquals(1, target.sectionsLoaded, "the first section was loaded before the second failed");
        assertEquals(payloads(0, 40), target.state, "the half-loaded snapshot was reset, then the log applied");
    }

    @Test
    void shouldResetTheTargetAndRethrowWhenASectionFailsWithAnErrorThatIsNotTheFiles() throws IOException
    {
        writeLogAndSnapshotWhoseSecondSectionFailsTheTarget();
        final RecordingTarget target = new RecordingTarget();

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target));

        assertEquals("the target failed", ex.getMessage());
        assertEquals(1, target.sectionsLoaded);
        assertTrue(target.state.isEmpty(), "nothing of the snapshot is left behind the failure");
    }

    @Test
    void shouldRejectTheSnapshotAsDamagedWhenASectionFailsAndTheFileFailsItsCrc() throws IOException
    {
        final Path snapshot = writeLogAndSnapshotWhoseSecondSectionFailsTheTarget();
        final long length = Files.size(snapshot);
        FileBytes.flipByte(snapshot, (int)length - 5); // the section's last byte: still "boom"-sized, no longer "boom"
        final RecordingTarget target = new RecordingTarget();

        final RecoveryResult result = Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.STRICT_CONSISTENCY, target);

        assertEquals(1, result.rejectedSnapshots().size());
        assertTrue(result.rejectedSnapshots().get(0).reason().contains("CRC mismatch"),
            result.rejectedSnapshots().get(0).reason());
        assertEquals(payloads(0, 40), target.state, "the damaged snapshot was dropped, then the log applied");
    }

    /** A log of 40 frames and a snapshot at the 20th whose second section makes the target throw its own error. */
    private Path writeLogAndSnapshotWhoseSecondSectionFailsTheTarget() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 40, true);
        return new SnapshotWriter().write(dir, new SnapshotContents(DATABASE_ID, 1, log.positions.get(20),
            List.of(new SnapshotSection(SECTION, encode(List.of("half", "loaded"))),
                new SnapshotSection(RecordingTarget.STRICT_SECTION, bytes("boom"))))).path();
    }

    // ---- toJson ------------------------------------------------------------------------------------------------

    @Test
    void shouldWriteParsableJsonWithEveryFieldWhenSnapshotsWereRejected() throws IOException
    {
        final Log log = writeLog(dir, BIG_SEGMENT, 40, true);
        final Path older = writeSnapshot(dir, log.positions.get(10), payloads(0, 10));
        final Path newer = writeSnapshot(dir, log.positions.get(30), payloads(0, 30));
        FileBytes.flipByte(newer, 20);
        final RecoveryResult result =
            Recovery.recover(dir, DATABASE_ID, RecoveryPolicy.POINT_IN_TIME, new RecordingTarget());
        final JsonObject json = parse(result.toJson());
        assertEquals(Set.of("case", "action", "policy", "readOnly", "snapshot", "snapshotPosition",
            "rejectedSnapshots", "walStartPosition", "endPosition", "framesApplied", "transactionsApplied",
            "transactionsDiscarded", "bytesCut", "cutPosition", "firstBadPosition", "damage", "durationNs"),
            json.keySet());
        assertEquals("A_CLEAN_END", json.getString("case"));
        assertEquals("OPEN", json.getString("action"));
        assertEquals("POINT_IN_TIME", json.getString("policy"));
        assertFalse(json.getBoolean("readOnly"));
        assertEquals(older.getFileName().toString(), json.getString("snapshot"));
        assertEquals(log.positions.get(10).longValue(), json.getJsonNumber("snapshotPosition").longValueExact());
        final JsonArray rejected = json.getJsonArray("rejectedSnapshots");
        assertEquals(1, rejected.size());
        final JsonObject first = rejected.getJsonObject(0);
        assertEquals(Set.of("file", "walPosition", "reason"), first.keySet());
        assertEquals(newer.getFileName().toString(), first.getString("file"));
        assertEquals(log.positions.get(30).longValue(), first.getJsonNumber("walPosition").longValueExact());
        assertEquals(result.rejectedSnapshots().get(0).reason(), first.getString("reason"));
        assertEquals(result.walStartPosition(), json.getJsonNumber("walStartPosition").longValueExact());
        assertEquals(log.end, json.getJsonNumber("endPosition").longValueExact());
        assertEquals(30, json.getInt("framesApplied"));
        assertEquals(30, json.getInt("transactionsApplied"));
        assertEquals(0, json.getInt("transactionsDiscarded"));
        assertEquals(0, json.getInt("bytesCut"));
        assertEquals(-1, json.getInt("cutPosition"));
        assertEquals(-1, json.getInt("firstBadPosition"));
        assertEquals("", json.getString("damage"));
        assertEquals(result.durationNs(), json.getJsonNumber("durationNs").longValueExact());
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharactersWhenWritingJson()
    {
        final String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 unicode \u00e9\u4e2d";
        final RecoveryResult result = new RecoveryResult(RecoveryCase.D_CORRUPT_POINT_IN_TIME,
            RecoveryPolicy.POINT_IN_TIME, true, null, 0, List.of(new RejectedSnapshot(nasty, 8, nasty)), 0, 64, 0, 0,
            0, 0, -1, 64, nasty, 1);
        final JsonObject json = parse(result.toJson());
        assertTrue(json.isNull("snapshot"));
        assertEquals(nasty, json.getString("damage"));
        assertEquals(nasty, json.getJsonArray("rejectedSnapshots").getJsonObject(0).getString("reason"));
        assertEquals(nasty, json.getJsonArray("rejectedSnapshots").getJsonObject(0).getString("file"));
        assertTrue(json.getBoolean("readOnly"));
        assertEquals("OPEN_READ_ONLY", json.getString("action"));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static JsonObject parse(final String text)
    {
        try (JsonReader reader = Json.createReader(new StringReader(text)))
        {
            return reader.readObject();
        }
    }

    /** A written log: the position of every frame and the end. */
    record Log(List<Long> positions, long end)
    {
    }

    static WalOptions options(final Path directory, final int segmentLength)
    {
        return new WalOptions().directory(directory).databaseId(DATABASE_ID).segmentLength(segmentLength);
    }

    static String payload(final int i)
    {
        return "frame-" + i + "-" + "x".repeat(40 + i % 17);
    }

    static List<String> payloads(final int from, final int to)
    {
        final List<String> list = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            list.add(payload(i));
        }
        return list;
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Frames 0..count-1, forced in batches of 25; closed (the exact durable position persisted) or left open. */
    static Log writeLog(final Path directory, final int segmentLength, final int count, final boolean close)
    {
        final WalWriter writer = WalWriter.open(options(directory, segmentLength), 0);
        final List<Long> positions = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final byte[] body = bytes(payload(i));
            positions.add(writer.append(TYPE_CODE, TxId.of(7, i), RUN, body, 0, body.length));
            if (i % 25 == 24)
            {
                writer.force();
            }
        }
        writer.force();
        final long end = writer.nextPosition();
        if (close)
        {
            writer.close();
        }
        return new Log(positions, end);
    }

    /**
     * A clean log of {@code durable} frames, then {@code tail} frames appended by a reopened writer and never forced;
     * the writer is abandoned, not closed, as a crash would leave it, so the header's durable slot (exact when the
     * writer opened) stops before the tail.
     */
    static Log writeLogWithUnforcedTail(final Path directory, final int durable, final int tail)
    {
        final Log first = writeLog(directory, BIG_SEGMENT, durable, true);
        final WalWriter writer = WalWriter.open(options(directory, BIG_SEGMENT), first.end);
        final List<Long> positions = new ArrayList<>(first.positions);
        for (int i = durable; i < durable + tail; i++)
        {
            final byte[] body = bytes(payload(i));
            positions.add(writer.append(TYPE_CODE, TxId.of(7, i), RUN, body, 0, body.length));
        }
        return new Log(positions, writer.nextPosition());
    }

    static Path writeSnapshot(final Path directory, final long position, final List<String> state)
    {
        return new SnapshotWriter().write(directory, new SnapshotContents(DATABASE_ID, 1_000_000, position,
            List.of(new SnapshotSection(SECTION, encode(state))))).path();
    }

    static byte[] encode(final List<String> state)
    {
        return bytes(String.join("\n", state));
    }

    /** Zeroes the second half of a frame (header kept), as a write torn mid-frame leaves it. */
    static void tear(final Path directory, final long position, final int segmentLength) throws IOException
    {
        final long base = position & ~(long)(segmentLength - 1);
        final Path file = directory.resolve(SegmentDescriptor.fileName(base));
        final byte[] all = Files.readAllBytes(file);
        final int offset = (int)(position - base);
        final int length = readIntLe(all, offset);
        final int aligned = FrameDescriptor.alignedLength(length);
        Arrays.fill(all, offset + length / 2, offset + aligned, (byte)0);
        Files.write(file, all);
    }

    static void flipPayloadByte(final Path directory, final long position, final int segmentLength)
        throws IOException
    {
        final long base = position & ~(long)(segmentLength - 1);
        FileBytes.flipByte(directory.resolve(SegmentDescriptor.fileName(base)),
            (int)(position - base) + FrameDescriptor.PAYLOAD_OFFSET + 3);
    }

    static int readIntLe(final byte[] bytes, final int offset)
    {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16 |
            (bytes[offset + 3] & 0xFF) << 24;
    }

    static void assertZeroFrom(final Path segment, final long position) throws IOException
    {
        final byte[] all = Files.readAllBytes(segment);
        for (int i = (int)position; i < all.length; i++)
        {
            if (all[i] != 0)
            {
                throw new AssertionError("byte " + i + " is not zero after the cut at " + position);
            }
        }
    }

    static void deleteSegmentsBefore(final Path directory, final long position, final int segmentLength)
        throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.toList())
            {
                final long base = SegmentDescriptor.parseFileName(file.getFileName().toString());
                if (base >= 0 && base + segmentLength <= position)
                {
                    Files.delete(file);
                }
            }
        }
    }

    static long firstSegmentBase(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.mapToLong(f -> SegmentDescriptor.parseFileName(f.getFileName().toString()))
                .filter(b -> b >= 0).min().orElse(-1);
        }
    }

    static long lastSegmentEnd(final Path directory) throws IOException
    {
        long end = -1;
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.toList())
            {
                final long base = SegmentDescriptor.parseFileName(file.getFileName().toString());
                if (base >= 0)
                {
                    end = Math.max(end, base + Files.size(file));
                }
            }
        }
        return end;
    }

    /**
     * A recovery target whose state is the list of applied frame payloads, loaded from section 1 as lines. Section
     * {@link #STRICT_SECTION} decodes only the text "ok", so a snapshot can fail half-way through loading.
     */
    static final class RecordingTarget implements RecoveryTarget
    {
        static final int STRICT_SECTION = 2;

        final List<String> state = new ArrayList<>();
        int framesSeen;
        int sectionsLoaded;
        int resets;

        @Override
        public void reset()
        {
            resets++;
            state.clear();
        }

        @Override
        public boolean hasPrimitive(final int typeId)
        {
            return typeId == SECTION || typeId == STRICT_SECTION;
        }

        @Override
        public void loadSection(final int typeId, final byte[] data)
        {
            if (typeId == STRICT_SECTION)
            {
                if (data.length == 4 && data[0] == 'b' && data[1] == 'o' && data[2] == 'o')
                {
                    throw new IllegalStateException("the target failed");
                }
                if (!Arrays.equals(bytes("ok"), data))
                {
                    throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "section 2 does not decode");
                }
                return;
            }
            sectionsLoaded++;
            state.clear();
            final String text = new String(data, StandardCharsets.UTF_8);
            if (!text.isEmpty())
            {
                state.addAll(Arrays.asList(text.split("\n", -1)));
            }
        }

        @Override
        public boolean isKnownFrameType(final int typeCode)
        {
            return typeCode == TYPE_CODE;
        }

        @Override
        public int applyFrame(final WalFrame frame)
        {
            framesSeen++;
            state.add(new String(frame.payloadBytes(), StandardCharsets.UTF_8));
            return 1;
        }
    }
}
