/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.RunId;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SnapshotDescriptor;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.snapshot.SnapshotVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run history is written to {@code <position>.hist} next to {@code <position>.snap}, never into the snapshot;
 * retention deletes it with its snapshot and open deletes orphans and temporaries.
 */
@Timeout(120)
class HistoryFileLayoutTest
{
    @TempDir
    Path dir;

    private Database open()
    {
        return Database.builder().directory(dir).durability(DurabilityMode.STRICT)
            .snapshots(new SnapshotConfig(0, 0, false, 1)).open();
    }

    @Test
    void shouldWriteHistoryToItsOwnFileAndKeepItOutOfTheSnapshot() throws IOException
    {
        final RunId run = ReplayTesting.run(1);
        final String hash;
        try (Database db = open())
        {
            db.beginRun(run);
            ReplayTesting.writeMixed(db, run, 6, "x");
            db.snapshot();
            ReplayTesting.writeMixed(db, run, 3, "y");
            db.endRun(run);
            db.snapshot();
            hash = db.verifyReplay(run).recordedHash();
        }
        final List<SnapshotFile> snapshots = SnapshotDirectory.list(dir);
        assertEquals(1, snapshots.size(), "retention keeps one");
        final long position = snapshots.get(0).walPosition();
        assertEquals(List.of(position), HistoryFile.list(dir).stream().map(SnapshotFile::walPosition)
            .toList(), "the older history file goes with its snapshot");
        final SnapshotVerification snapshot = SnapshotReader.verify(snapshots.get(0).path());
        assertTrue(snapshot.isValid(), snapshot::toString);
        assertFalse(snapshot.sectionLengths().containsKey(HistoryFile.SECTION_TYPE_ID), "no history in the snapshot");
        final SnapshotVerification history = SnapshotReader.verify(
            dir.resolve(HistoryFile.fileName(position)));
        assertTrue(history.isValid(), history::toString);
        assertEquals(List.of(HistoryFile.SECTION_TYPE_ID), List.copyOf(history.sectionLengths().keySet()));
        assertEquals(position, history.header().walPosition());

        final Path orphan = dir.resolve(HistoryFile.fileName(position + 1));
        final Path temporary = dir.resolve(HistoryFile.fileName(position + 2) + ".tmp");
        Files.copy(dir.resolve(HistoryFile.fileName(position)), orphan);
        Files.write(temporary, new byte[3]);
        try (Database db = open())
        {
            assertFalse(Files.exists(orphan));
            assertFalse(Files.exists(temporary));
            assertTrue(db.verifyReplay(run).matches());
            assertEquals(hash, db.replayHash(run));
        }
    }
}
