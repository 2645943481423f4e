/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.micrometer;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.CasResult;
import dev.tally.engine.Database;
import dev.tally.engine.DatabaseStats;
import dev.tally.engine.DurabilityMode;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Micrometer binding reports what {@link Database#stats()} reports, with the binder's tags. */
@Timeout(30)
class TallyMetricsTest
{
    @Test
    void shouldReportTheDatabaseCountersWhenTheRegistryReadsThem(@TempDir final Path dir)
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final RunId run = RunId.of(1, 1);
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).segmentLength(1 << 20)
            .open())
        {
            new TallyMetrics(db, Tags.of("db", "orders")).bindTo(registry);
            db.beginRun(run);
            for (int i = 0; i < 20; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
            }
            db.state().set(run, "c", Value.of(1L));
            final CasResult lost = db.state().cas(run, "c", 99, Value.of(2L));
            assertInstanceOf(CasResult.Conflict.class, lost);
            db.snapshot();

            final DatabaseStats before = db.stats();
            final double appends = count(registry, "tally.log.appends");
            final double forces = count(registry, "tally.log.forces");
            final double written = count(registry, "tally.log.written");
            final double batches = count(registry, "tally.log.batches");
            final double conflicts = count(registry, "tally.commit.conflicts");
            final DatabaseStats after = db.stats();
            assertTrue(before.appends() >= 22, "the run, 20 puts and a set were appended");
            assertBetween(before.appends(), appends, after.appends());
            assertBetween(before.forces(), forces, after.forces());
            assertBetween(before.bytesWritten(), written, after.bytesWritten());
            assertBetween(before.batches(), batches, after.batches());
            assertBetween(before.commitConflicts(), conflicts, after.commitConflicts());
            assertEquals(1.0, count(registry, "tally.snapshots.taken"));
            assertEquals(0.0, count(registry, "tally.snapshots.failed"));
            assertBetween(before.durablePosition(), registry.get("tally.log.durable.position").gauge().value(),
                db.stats().durablePosition());
            assertEquals(0.0, registry.get("tally.log.durable.lag").gauge().value(), "Strict: nothing pending");
            assertTrue(registry.get("tally.log.force.max").timeGauge().value(TimeUnit.NANOSECONDS) > 0);
            assertEquals("orders", registry.get("tally.log.appends").functionCounter().getId().getTag("db"));
        }

    }

    /** Background forces (the snapshot's, the timer's) may move a counter between two reads. */
    private static void assertBetween(final long low, final double actual, final long high)
    {
        assertTrue(low <= actual && actual <= high, "expected " + low + " <= " + actual + " <= " + high);
    }

    private static double count(final SimpleMeterRegistry registry, final String name)
    {
        return registry.get(name).functionCounter().count();
    }
}
