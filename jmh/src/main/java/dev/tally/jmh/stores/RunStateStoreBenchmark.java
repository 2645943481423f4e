/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.stores;

import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.jmh.TempDirectories;
import dev.tally.stores.runstate.EmbeddedRunStateStore;
import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunStateStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run state store on a Strict database: {@code appendEvent} with one and four caller threads, each appending new
 * events (a fresh idempotency key each) to its own run, so threads contend only on the shared force; and
 * {@code fetchEvents} of 1,000 events of a preloaded run. A Strict append should cost one shared force, so four
 * threads should reach at least 2.5 times the one-thread rate. One database per trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class RunStateStoreBenchmark
{
    /** Events in the preloaded run that {@code fetchEvents} reads. */
    public static final int FETCH_COUNT = RunEvents.FETCH_COUNT;
    private static final String FETCH_RUN = "bench-fetch";

    private Path root;
    private Database db;
    private RunStateStore store;
    private final AtomicInteger threadCount = new AtomicInteger();

    /** Per-thread run and event counter. */
    @State(Scope.Thread)
    public static class ThreadRun
    {
        private String runId;
        private long threadHigh;
        private long counter;

        /**
         * Gives this thread its own run.
         *
         * @param benchmark the shared state.
         */
        @Setup(Level.Trial)
        public void setUp(final RunStateStoreBenchmark benchmark)
        {
            final int thread = benchmark.threadCount.getAndIncrement();
            runId = "bench-run-" + thread;
            threadHigh = 0x5EED_0000_0000_0000L | thread;
        }
    }

    /** Opens the database and the store, and preloads the run that fetches read. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-runstate");
        db = TempDirectories.open(DurabilityMode.STRICT, root.resolve("db"));
        store = EmbeddedRunStateStore.builder(db).open();
        RunEvents.preload(store, FETCH_RUN);
    }

    /** Closes the database and deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        db.close();
        db = null;
        TempDirectories.delete(root);
    }

    /**
     * One caller thread appends a new event to its run.
     *
     * @param run the thread's run.
     * @param bh  the sink for the result.
     */
    @Benchmark
    public void appendEvent(final ThreadRun run, final Blackhole bh)
    {
        bh.consume(store.appendEvent(next(run)));
    }

    /**
     * Four caller threads append, each to its own run.
     *
     * @param run the thread's run.
     * @param bh  the sink for the result.
     */
    @Benchmark
    @Threads(4)
    public void appendEvent4(final ThreadRun run, final Blackhole bh)
    {
        bh.consume(store.appendEvent(next(run)));
    }

    /**
     * Fetches the 1,000 events of the preloaded run.
     *
     * @param bh the sink for the records.
     */
    @Benchmark
    public void fetchEvents(final Blackhole bh)
    {
        bh.consume(store.fetchEvents(FETCH_RUN, 0, FETCH_COUNT));
    }

    private RunEventWrite next(final ThreadRun run)
    {
        final long n = run.counter++;
        return RunEvents.event(run.runId, new UUID(run.threadHigh, n).toString(), "step-" + n);
    }
}
