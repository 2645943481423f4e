/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.micrometer;

import dev.tally.engine.DatabaseBuilder;
import dev.tally.pipeline.WriterObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The distributions of a database's writer, fed by the writer thread through {@link WriterObserver}: frames and bytes
 * per force ({@code tally.log.force.frames}, {@code tally.log.force.bytes}), every force's latency
 * ({@code tally.log.force.latency}, whose count is the number of forces); segment rolls are counted by
 * {@link TallyMetrics} from the database's counters. Give it to
 * {@link DatabaseBuilder#writerObserver(WriterObserver)} before the database opens and bind it to one or more
 * registries; forces before the first bind are not recorded. Bind from any thread; the observer methods are the
 * writer thread's.
 *
 * <pre>{@code
 * TallyWriterMetrics writer = new TallyWriterMetrics(Tags.of("db", "orders"));
 * Database db = Database.builder().directory(dir).writerObserver(writer).open();
 * writer.bindTo(registry);
 * new TallyMetrics(db, Tags.of("db", "orders")).bindTo(registry);
 * }</pre>
 */
public final class TallyWriterMetrics implements WriterObserver, MeterBinder
{
    /** The meters of one registry. */
    private record Meters(DistributionSummary frames, DistributionSummary bytes, Timer latency)
    {
    }

    private final Tags tags;
    private final Object bindLock = new Object();
    private volatile Meters[] bound = new Meters[0];

    /**
     * An unbound observer.
     *
     * @param tags tags added to every meter, for example the database's name.
     */
    public TallyWriterMetrics(final Iterable<Tag> tags)
    {
        this.tags = Tags.of(tags);
    }

    /** {@inheritDoc} */
    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final Meters meters = new Meters(
            DistributionSummary.builder("tally.log.force.frames").description("frames made durable by one force")
                .tags(tags).register(registry),
            DistributionSummary.builder("tally.log.force.bytes").description("frame bytes made durable by one force")
                .baseUnit("bytes").tags(tags).register(registry),
            Timer.builder("tally.log.force.latency").description("how long each force of the log took").tags(tags)
                .register(registry));
        synchronized (bindLock)
        {
            final Meters[] next = Arrays.copyOf(bound, bound.length + 1);
            next[bound.length] = meters;
            bound = next;
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onForce(final int frames, final long bytes, final long forceNanos)
    {
        for (final Meters meters : bound)
        {
            meters.frames.record(frames);
            meters.bytes.record(bytes);
            meters.latency.record(forceNanos, TimeUnit.NANOSECONDS);
        }
    }
}
