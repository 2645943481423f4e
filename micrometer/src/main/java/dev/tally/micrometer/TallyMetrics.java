/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.micrometer;

import dev.tally.core.TallyException;
import dev.tally.engine.Database;
import dev.tally.engine.DatabaseStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds a database's counters ({@link Database#stats()}) to a Micrometer registry: appends, forces, bytes, batches,
 * force latency, durable position and lag, conflicts, snapshots taken and failed, segment rolls, failed segment
 * releases; {@link TallyWriterMetrics} adds the per-force distributions. Every
 * meter reads the database when the registry polls it, so binding costs nothing on the write path; after the
 * database is closed the meters read {@code NaN}. The meters hold the database weakly, as Micrometer does, so they
 * never keep a database alive. Create and bind from any thread, once per database and registry.
 *
 * <pre>{@code
 * new TallyMetrics(db, Tags.of("db", "orders")).bindTo(registry);
 * }</pre>
 */
public final class TallyMetrics implements MeterBinder
{
    private final Database db;
    private final Tags tags;

    /**
     * A binder for one database.
     *
     * @param db   the database.
     * @param tags tags added to every meter, for example the database's name.
     */
    public TallyMetrics(final Database db, final Iterable<Tag> tags)
    {
        if (db == null)
        {
            throw new IllegalArgumentException("database is null");
        }
        this.db = db;
        this.tags = Tags.of(tags);
    }

    /** {@inheritDoc} */
    @Override
    public void bindTo(final MeterRegistry registry)
    {
        counter(registry, "tally.log.appends", "frames appended to the log", DatabaseStats::appends, null);
        counter(registry, "tally.log.forces", "forces of the log", DatabaseStats::forces, null);
        counter(registry, "tally.log.written", "frame bytes appended to the log", DatabaseStats::bytesWritten,
            "bytes");
        counter(registry, "tally.log.batches", "writer batches, each ended by at most one force",
            DatabaseStats::batches, null);
        counter(registry, "tally.commit.conflicts", "transactions and compare-and-sets that lost a race",
            DatabaseStats::commitConflicts, null);
        counter(registry, "tally.snapshots.taken", "snapshots written", DatabaseStats::snapshotsTaken, null);
        counter(registry, "tally.snapshots.failed", "snapshots that failed", DatabaseStats::snapshotFailures, null);
        counter(registry, "tally.log.segment.rolls", "log segments the writer filled and moved on from",
            DatabaseStats::segmentRolls, null);
        counter(registry, "tally.segments.release.failures", "failed deletions of log segments no snapshot needs",
            DatabaseStats::releaseFailures, null);
        gauge(registry, "tally.log.batch.frames.max", "the most frames one writer batch held",
            DatabaseStats::batchFramesMax, null);
        gauge(registry, "tally.log.batch.frames.mean", "frames per writer batch, on average",
            s -> s.batches() == 0 ? 0 : (double)s.appends() / s.batches(), null);
        gauge(registry, "tally.log.durable.position", "the log position below which every byte is durable",
            DatabaseStats::durablePosition, null);
        gauge(registry, "tally.log.durable.lag", "bytes committed but not yet durable",
            DatabaseStats::durableLagBytes, "bytes");
        timeGauge(registry, "tally.log.force.mean", "mean force latency", DatabaseStats::forceNsMean);
        timeGauge(registry, "tally.log.force.p99", "99th percentile force latency", DatabaseStats::forceNsP99);
        timeGauge(registry, "tally.log.force.max", "the longest force", DatabaseStats::forceNsMax);
    }

    private void counter(final MeterRegistry registry, final String name, final String description,
        final ToDoubleFunction<DatabaseStats> field, final String unit)
    {
        FunctionCounter.builder(name, db, d -> read(d, field)).description(description).baseUnit(unit)
            .tags(tags).register(registry);
    }

    private void gauge(final MeterRegistry registry, final String name, final String description,
        final ToDoubleFunction<DatabaseStats> field, final String unit)
    {
        Gauge.builder(name, db, d -> read(d, field)).description(description).baseUnit(unit).tags(tags)
            .register(registry);
    }

    private void timeGauge(final MeterRegistry registry, final String name, final String description,
        final ToDoubleFunction<DatabaseStats> nanos)
    {
        TimeGauge.builder(name, db, TimeUnit.NANOSECONDS, d -> read(d, nanos)).description(description)
            .tags(tags).register(registry);
    }

    private static double read(final Database db, final ToDoubleFunction<DatabaseStats> field)
    {
        try
        {
            return field.applyAsDouble(db.stats());
        }
        catch (final TallyException ex)
        {
            return Double.NaN;
        }
    }
}
