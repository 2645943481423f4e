/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
