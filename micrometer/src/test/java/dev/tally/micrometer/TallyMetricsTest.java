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

            final DatabaseStats stats = db.stats();
            assertEquals(stats.appends(), count(registry, "tally.log.appends"));
            assertTrue(stats.appends() >= 22, "the run, 20 puts and a set were appended");
            assertEquals(stats.forces(), count(registry, "tally.log.forces"));
            assertEquals(stats.bytesWritten(), count(registry, "tally.log.written"));
            assertEquals(stats.batches(), count(registry, "tally.log.batches"));
            assertEquals(stats.commitConflicts(), count(registry, "tally.commit.conflicts"));
            assertEquals(1.0, count(registry, "tally.snapshots.taken"));
            assertEquals(0.0, count(registry, "tally.snapshots.failed"));
            assertEquals(stats.durablePosition(), registry.get("tally.log.durable.position").gauge().value());
            assertEquals(0.0, registry.get("tally.log.durable.lag").gauge().value(), "Strict: nothing pending");
            assertTrue(registry.get("tally.log.force.max").timeGauge().value(TimeUnit.NANOSECONDS) > 0);
            assertEquals("orders", registry.get("tally.log.appends").functionCounter().getId().getTag("db"));
        }

    }

    private static double count(final SimpleMeterRegistry registry, final String name)
    {
        return registry.get(name).functionCounter().count();
    }
}
