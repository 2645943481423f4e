/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.Value;
import dev.tally.snapshot.SnapshotOutput;
import dev.tally.snapshot.SnapshotStorage;
import dev.tally.wal.SegmentStorage;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks what an operator sees: the counters of {@code stats()} and the Flight Recorder events for forces, segment
 * rolls and commit conflicts.
 */
@Timeout(120)
class ObservabilityTest
{
    @Test
    void shouldCountAppendsForcesAndBytesWhenWritingInStrictMode(@TempDir final Path dir)
    {
        final RunId run = RunId.random();
        try (Database db = Database.builder().directory(dir.resolve("db")).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 50; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
            }
            final DatabaseStats stats = db.stats();
            assertEquals(51, stats.appends(), "one frame per commit, the run's begin included");
            assertTrue(stats.forces() >= 1 && stats.forces() <= 51, "forces=" + stats.forces());
            assertTrue(stats.bytesWritten() >= 51 * 56L, "every frame has a 56-byte header");
            assertEquals(0, stats.durableLagBytes(), "Strict: nothing returned before it was durable");
            assertTrue(stats.forceNsMax() > 0 && stats.forceNsP99() >= stats.forceNsMean() / 2);
            assertTrue(stats.durablePosition() > 0);
        }
    }

    @Test
    void shouldCountSnapshotsTheirFailuresAndFailedSegmentReleases(@TempDir final Path dir)
    {
        final RunId run = RunId.random();
        final AtomicBoolean failSnapshots = new AtomicBoolean();
        final SnapshotStorage files = SnapshotStorage.files();
        final SnapshotStorage snapshots = new SnapshotStorage()
        {
            @Override
            public SnapshotOutput create(final Path file) throws IOException
            {
                if (failSnapshots.get())
                {
                    throw new IOException("injected: snapshot file cannot be created");
                }
                return files.create(file);
            }

            @Override
            public void moveAtomically(final Path source, final Path target) throws IOException
            {
                files.moveAtomically(source, target);
            }

            @Override
            public void forceDirectory(final Path directory) throws IOException
            {
                files.forceDirectory(directory);
            }

            @Override
            public boolean deleteIfExists(final Path file) throws IOException
            {
                return files.deleteIfExists(file);
            }
        };
        final SegmentStorage segments = new SegmentStorage()
        {
            @Override
            public void create(final Path file, final ByteBuffer header, final int segmentLength) throws IOException
            {
                SegmentStorage.files().create(file, header, segmentLength);
            }

            @Override
            public MappedByteBuffer map(final Path file, final int segmentLength) throws IOException
            {
                return SegmentStorage.files().map(file, segmentLength);
            }

            @Override
            public void delete(final Path file) throws IOException
            {
                throw new IOException("injected: segment cannot be deleted");
            }
        };
        try (Database db = Database.builder().directory(dir.resolve("db")).durability(DurabilityMode.BUFFERED)
            .segmentLength(64 * 1024).snapshots(new SnapshotConfig(0, 0, false, 1)).snapshotStorage(snapshots)
            .segmentStorage(segments).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 1000; i++)
            {
                db.kv().put(run, "k" + i, Value.of(new byte[100])); // about three 64 KiB segments
            }
            db.snapshot();
            db.kv().put(run, "after", Value.of(1));
            db.snapshot();
            db.flush(); // the writer handles the release the snapshot asked for before this flush
            DatabaseStats stats = db.stats();
            assertEquals(2, stats.snapshotsTaken());
            assertEquals(0, stats.snapshotFailures());
            assertTrue(stats.releaseFailures() >= 1, "releaseFailures=" + stats.releaseFailures());
            assertTrue(db.lastSnapshotFailure().isEmpty());

            failSnapshots.set(true);
            db.kv().put(run, "later", Value.of(2));
            assertThrows(TallyException.class, db::snapshot);
            stats = db.stats();
            assertEquals(2, stats.snapshotsTaken());
            assertEquals(1, stats.snapshotFailures());
            assertEquals(Value.of(2), db.kv().get(run, "later").orElseThrow(), "a failed snapshot loses no write");
        }
    }

    @Test
    void shouldEmitForceRollAndConflictEventsWhenRecording(@TempDir final Path dir) throws Exception
    {
        final RunId run = RunId.random();
        final Path jfr = dir.resolve("events.jfr");
        try (Recording recording = new Recording())
        {
            recording.enable("dev.tally.Force");
            recording.enable("dev.tally.SegmentRoll");
            recording.enable("dev.tally.CommitConflict");
            recording.start();
            try (Database db = Database.builder().directory(dir.resolve("db")).segmentLength(64 << 10).open())
            {
                db.beginRun(run);
                for (int i = 0; i < 600; i++)
                {
                    db.kv().put(run, "key-" + i, Value.of(new byte[100]));
                }
                db.state().set(run, "cell", Value.of(1));
                final CasResult lost = db.state().cas(run, "cell", 7, Value.of(2));
                assertEquals(new CasResult.Conflict(7, 1), lost);
                final TxResult<Void> conflicted = db.transaction(run, tx ->
                {
                    tx.get("key-1");
                    db.kv().put(run, "key-1", Value.of(0));
                    tx.put("key-2", Value.of(1));
                    return null;
                });
                assertTrue(!conflicted.isCommitted());
            }
            recording.stop();
            recording.dump(jfr);
        }
        final Map<String, Long> counts = RecordingFile.readAllEvents(jfr).stream()
            .collect(Collectors.groupingBy(e -> e.getEventType().getName(), Collectors.counting()));
        assertTrue(counts.getOrDefault("dev.tally.Force", 0L) >= 600, "forces: " + counts);
        assertTrue(counts.getOrDefault("dev.tally.SegmentRoll", 0L) >= 1, "600 frames of ~180 bytes fill 64 KiB");
        assertEquals(2L, counts.getOrDefault("dev.tally.CommitConflict", 0L), "one lost CAS, one transaction");
        final List<RecordedEvent> forces = RecordingFile.readAllEvents(jfr).stream()
            .filter(e -> e.getEventType().getName().equals("dev.tally.Force")).toList();
        final Function<RecordedEvent, Long> durable = e -> e.getLong("durablePosition");
        assertTrue(forces.stream().map(durable).allMatch(p -> p > 0));
    }
}
