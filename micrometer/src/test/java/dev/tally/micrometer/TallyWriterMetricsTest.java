/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.micrometer;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DatabaseStats;
import dev.tally.engine.DurabilityMode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the writer's distributions in a registry hold one sample per force, and their sums are the database's
 * counters. Method: Strict writes filling several 64 KiB segments into a database observed by TallyWriterMetrics bound
 * to a SimpleMeterRegistry, then the meters against stats() moved since the bind. Nothing random to replay.
 */
@Timeout(60)
class TallyWriterMetricsTest
{
    @Test
    void shouldRecordOneSamplePerForceWhenStrictWritesAreForced(@TempDir final Path dir)
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final TallyWriterMetrics writer = new TallyWriterMetrics(Tags.of("db", "orders"));
        final RunId run = RunId.of(3, 1);
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).segmentLength(64 << 10)
            .writerObserver(writer).open())
        {
            writer.bindTo(registry);
            new TallyMetrics(db, Tags.of("db", "orders")).bindTo(registry);
            final DatabaseStats before = db.stats();
            db.beginRun(run);
            for (int i = 0; i < 120; i++)
            {
                db.kv().put(run, "k" + i, Value.of(new byte[2000]));
            }
            final DatabaseStats after = db.stats();

            final long forces = after.forces() - before.forces();
            final Timer latency = registry.get("tally.log.force.latency").tag("db", "orders").timer();
            final DistributionSummary frames = registry.get("tally.log.force.frames").summary();
            final DistributionSummary bytes = registry.get("tally.log.force.bytes").summary();
            assertTrue(forces >= 121, "a force per Strict write at least: " + forces);
            assertEquals(forces, latency.count(), "one latency sample per force");
            assertEquals(forces, frames.count(), "one batch-size sample per force");
            assertEquals(after.appends() - before.appends(), (long)frames.totalAmount(), "every frame once");
            assertEquals(after.bytesWritten() - before.bytesWritten(), (long)bytes.totalAmount(), "every byte once");
            assertTrue(latency.totalTime(TimeUnit.NANOSECONDS) > 0, "forces take time");
            assertTrue(frames.max() >= 1, "a force covers a frame at least");

            final double rolls = registry.get("tally.log.segment.rolls").functionCounter().count();
            assertEquals(db.stats().segmentRolls(), (long)rolls);
            assertTrue(rolls >= 3, "240 KB of values roll 64 KiB segments three times at least: " + rolls);
        }
    }

    @Test
    void shouldRecordIntoEveryRegistryWhenBoundToTwo(@TempDir final Path dir)
    {
        final SimpleMeterRegistry first = new SimpleMeterRegistry();
        final SimpleMeterRegistry second = new SimpleMeterRegistry();
        final TallyWriterMetrics writer = new TallyWriterMetrics(Tags.empty());
        final RunId run = RunId.of(3, 2);
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).writerObserver(writer)
            .open())
        {
            writer.bindTo(first);
            db.beginRun(run);
            db.kv().put(run, "a", Value.of(1L));
            final long firstOnly = first.get("tally.log.force.latency").timer().count();
            writer.bindTo(second);
            db.kv().put(run, "b", Value.of(2L));
            assertTrue(firstOnly >= 2, "the run and the put were forced: " + firstOnly);
            assertEquals(firstOnly + 1, first.get("tally.log.force.latency").timer().count());
            assertEquals(1, second.get("tally.log.force.latency").timer().count(), "only forces after its bind");
        }
    }
}
