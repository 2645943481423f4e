/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.core.testing.DatabaseIds;
import dev.tally.core.testing.FileBytes;
import dev.tally.snapshot.Snapshot;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.wal.CorruptLogException;
import dev.tally.wal.ScanResult;
import dev.tally.wal.WalFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.tally.recovery.RecoveryFilesTest.payloads;
import static dev.tally.recovery.RecoveryFilesTest.writeLog;
import static dev.tally.recovery.RecoveryFilesTest.writeSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The one rebuild of a state at a position: the newest base that loads, then the log up to the bound, which the scan
 * stops at through its handler. Bases are snapshots whose one section lists the payloads before their position.
 */
@Timeout(60)
class StateRebuilderTest
{
    private static final int SEGMENT = 64 << 10;
    private static final int FRAMES = 30;

    @TempDir
    Path dir;

    @Test
    void shouldLoadTheNewestBaseAndApplyTheFramesBelowTheBound()
    {
        final RecoveryFilesTest.Log log = writeLog(dir, SEGMENT, FRAMES, true);
        writeSnapshot(dir, log.positions().get(10), payloads(0, 10));
        writeSnapshot(dir, log.positions().get(20), payloads(0, 20));
        final ListTarget target = new ListTarget();

        final long bound = log.positions().get(25);
        final StateRebuilder.Rebuilt rebuilt = StateRebuilder.rebuild(dir, DatabaseIds.DATABASE_ID,
            SnapshotDirectory.list(dir), bound, target);

        assertEquals(log.positions().get(20), rebuilt.base().position());
        assertEquals(payloads(0, 25), target.state);
        assertEquals(5, target.framesApplied);
        assertEquals(ScanResult.Classification.STOPPED, rebuilt.scan().classification());
        assertEquals(bound, rebuilt.scan().endPosition());
        assertEquals(List.of("begin", "end"), target.logCalls);
    }

    @Test
    void shouldFallBackToAnOlderBaseWhenTheNewestIsDamaged()
    {
        final RecoveryFilesTest.Log log = writeLog(dir, SEGMENT, FRAMES, true);
        writeSnapshot(dir, log.positions().get(10), payloads(0, 10));
        final Path newest = writeSnapshot(dir, log.positions().get(20), payloads(0, 20));
        FileBytes.flipByte(newest, 40);
        final ListTarget target = new ListTarget();

        final StateRebuilder.Rebuilt rebuilt = StateRebuilder.rebuild(dir, DatabaseIds.DATABASE_ID,
            SnapshotDirectory.list(dir), StateRebuilder.UNBOUNDED, target);

        assertEquals(log.positions().get(10), rebuilt.base().position());
        assertEquals(1, rebuilt.base().rejected().size());
        assertEquals(newest.getFileName().toString(), rebuilt.base().rejected().get(0).fileName());
        assertEquals(payloads(0, FRAMES), target.state);
        assertEquals(ScanResult.Classification.CLEAN_END, rebuilt.scan().classification());
        assertEquals(log.end(), rebuilt.scan().endPosition());
    }

    @Test
    void shouldStartFromTheLogAloneWhenNoBaseLoads()
    {
        final RecoveryFilesTest.Log log = writeLog(dir, SEGMENT, FRAMES, true);
        final Path only = writeSnapshot(dir, log.positions().get(10), payloads(0, 10));
        FileBytes.flipByte(only, 40);
        final ListTarget target = new ListTarget();

        final StateRebuilder.Rebuilt rebuilt = StateRebuilder.rebuild(dir, DatabaseIds.DATABASE_ID,
            SnapshotDirectory.list(dir), log.positions().get(15), target);

        assertNull(rebuilt.base().file());
        assertEquals(0, rebuilt.base().position());
        assertEquals(payloads(0, 15), target.state);
    }

    @Test
    void shouldApplyNoFrameWhenTheBaseLiesAtOrBeyondTheBound()
    {
        final RecoveryFilesTest.Log log = writeLog(dir, SEGMENT, FRAMES, true);
        writeSnapshot(dir, log.positions().get(20), payloads(0, 20));
        final ListTarget target = new ListTarget();

        final StateRebuilder.Rebuilt rebuilt = StateRebuilder.rebuild(dir, DatabaseIds.DATABASE_ID,
            SnapshotDirectory.list(dir), log.positions().get(15), target);

        assertEquals(payloads(0, 20), target.state);
        assertEquals(0, target.framesApplied);
        assertEquals(ScanResult.Classification.STOPPED, rebuilt.scan().classification());
        assertEquals(List.of("begin", "end"), target.logCalls);
    }

    @Test
    void shouldNotReadDamageBeyondTheBound() throws IOException
    {
        final RecoveryFilesTest.Log log = writeLog(dir, SEGMENT, FRAMES, true);
        RecoveryFilesTest.flipPayloadByte(dir, log.positions().get(28), SEGMENT);

        final ListTarget bounded = new ListTarget();
        StateRebuilder.rebuild(dir, DatabaseIds.DATABASE_ID, List.of(), log.positions().get(25), bounded);
        assertEquals(payloads(0, 25), bounded.state);

        final ListTarget unbounded = new ListTarget();
        final CorruptLogException ex = assertThrows(CorruptLogException.class, () -> StateRebuilder.rebuild(dir,
            DatabaseIds.DATABASE_ID, List.of(), StateRebuilder.UNBOUNDED, unbounded));
        assertEquals(log.positions().get(28), ex.position());
        assertEquals(List.of("begin", "end"), unbounded.logCalls);
    }

    @Test
    void shouldResetAndRethrowAFailureThatIsNotTheFiles()
    {
        final RecoveryFilesTest.Log log = writeLog(dir, SEGMENT, FRAMES, true);
        writeSnapshot(dir, log.positions().get(10), payloads(0, 10));
        final IllegalStateException bug = new IllegalStateException("the target failed");
        final ListTarget target = new ListTarget()
        {
            @Override
            public void loadBase(final SnapshotFile file)
            {
                super.loadBase(file);
                throw bug;
            }
        };

        final List<SnapshotFile> bases = SnapshotDirectory.list(dir);
        assertSame(bug, assertThrows(IllegalStateException.class,
            () -> StateRebuilder.loadBase(bases, target)));
        assertEquals(List.of(), target.state);
        assertEquals(2, target.resets);
    }

    /** A state that is the list of payloads: a base's section 1 as lines, then each frame's payload. */
    private static class ListTarget implements RebuildTarget
    {
        final List<String> state = new ArrayList<>();
        final List<String> logCalls = new ArrayList<>();
        int framesApplied;
        int resets;

        @Override
        public void reset()
        {
            resets++;
            state.clear();
        }

        @Override
        public void loadBase(final SnapshotFile file)
        {
            final Snapshot snapshot = SnapshotReader.read(file.path(), DatabaseIds.DATABASE_ID);
            final String text = new String(snapshot.section(1), StandardCharsets.UTF_8);
            if (!text.isEmpty())
            {
                state.addAll(Arrays.asList(text.split("\n", -1)));
            }
        }

        @Override
        public boolean isKnownFrameType(final int typeCode)
        {
            return true;
        }

        @Override
        public void beginLog()
        {
            logCalls.add("begin");
        }

        @Override
        public void endLog()
        {
            logCalls.add("end");
        }

        @Override
        public void applyFrame(final WalFrame frame)
        {
            framesApplied++;
            state.add(new String(frame.payloadBytes(), StandardCharsets.UTF_8));
        }
    }
}
