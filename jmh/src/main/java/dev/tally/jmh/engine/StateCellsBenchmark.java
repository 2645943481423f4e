/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.CasResult;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * State-cell compare-and-set through the engine with the {@link Workload}'s 84-byte value, per durability mode with one
 * and four caller threads: Tally's CAS in the side-by-side set with the peers in {@code dev.tally.jmh.peers}. Each
 * thread owns one cell and always passes the version it last got back, so every CAS succeeds: this measures the cost
 * of the operation, not the conflict rate. One database per trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class StateCellsBenchmark
{
    @Param({"IN_MEMORY", "BUFFERED", "STRICT"})
    public DurabilityMode mode;

    private Path root;
    private Database db;
    private RunId run;
    private Value value;

    /** One cell per thread and the version last seen. */
    @State(Scope.Thread)
    public static class Cell
    {
        private String name;
        private long version;

        /**
         * Creates this thread's cell.
         *
         * @param benchmark the shared state.
         * @param numbers   the trial's thread numbering.
         */
        @Setup(Level.Trial)
        public void setUp(final StateCellsBenchmark benchmark, final Workload.ThreadNumbers numbers)
        {
            name = "cell-" + numbers.take();
            benchmark.db.state().init(benchmark.run, name, benchmark.value);
            version = benchmark.db.state().get(benchmark.run, name).orElseThrow().version();
        }
    }

    /** Opens the database and begins a run. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-state");
        db = TempDirectories.open(mode, root.resolve("db"));
        run = RunId.random();
        db.beginRun(run);
        value = Value.of(Workload.value());
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
     * One caller thread.
     *
     * @param cell the thread's cell.
     * @param bh   the sink for the result.
     */
    @Benchmark
    public void cas(final Cell cell, final Blackhole bh)
    {
        bh.consume(casOnce(cell));
    }

    /**
     * Four caller threads, one cell each.
     *
     * @param cell the thread's cell.
     * @param bh   the sink for the result.
     */
    @Benchmark
    @Threads(4)
    public void cas4(final Cell cell, final Blackhole bh)
    {
        bh.consume(casOnce(cell));
    }

    private CasResult casOnce(final Cell cell)
    {
        final CasResult result = db.state().cas(run, cell.name, cell.version, value);
        if (result instanceof CasResult.Success success)
        {
            cell.version = success.newVersion();
        }
        else
        {
            cell.version = ((CasResult.Conflict)result).actualVersion();
        }
        return result;
    }
}
