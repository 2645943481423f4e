/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.wal;

import dev.tally.core.RunId;
import dev.tally.core.Value;
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
 * Appends one 100-byte record (the {@link Workload}'s key and value, the same bytes the peers in
 * {@code dev.tally.jmh.peers} append) through the whole engine: {@code db.events().append(run, "e", bytes)}, which
 * encodes the entry, takes the commit lock, publishes into the writer ring, and (Strict) waits for the group-commit
 * force. One and four caller threads per durability mode. A fresh database per iteration keeps the in-memory event list
 * and the log bounded; opening and closing it is not timed. Automatic snapshots are off (a default trigger would
 * rebuild the growing event list on a background thread during the measurement; {@code SnapshotStallBenchmark}
 * measures that). Compare with the log alone in {@link LogPipelineBenchmark}, the floors in {@link FloorBenchmark}
 * and the raw writer in {@link WalWriterBenchmark} from the same run.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class AppendBenchmark
{
    /** Record length, bytes: the {@link Workload}'s key plus value. */
    public static final int RECORD_LENGTH = Workload.RECORD_LENGTH;

    @Param({"IN_MEMORY", "BUFFERED", "STRICT"})
    public DurabilityMode mode;

    private Path root;
    private Path directory;
    private Database db;
    private RunId run;
    private Value record;
    private int iteration;

    /** Creates the temp dir and the record. */
    @Setup(Level.Trial)
    public void setUpTrial()
    {
        root = TempDirectories.create("tally-append");
        record = Value.of(Workload.record());
    }

    /** Opens a fresh database and begins a run. */
    @Setup(Level.Iteration)
    public void setUpIteration()
    {
        directory = root.resolve("db-" + iteration++);
        db = TempDirectories.openWithoutSnapshots(mode, directory);
        run = RunId.random();
        db.beginRun(run);
    }

    /** Closes and deletes the database. */
    @TearDown(Level.Iteration)
    public void tearDownIteration()
    {
        db.close();
        db = null;
        TempDirectories.delete(directory);
    }

    /** Deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDownTrial()
    {
        TempDirectories.delete(root);
    }

    /**
     * One caller thread.
     *
     * @param bh the sink for the returned sequence.
     */
    @Benchmark
    public void append(final Blackhole bh)
    {
        bh.consume(db.events().append(run, "e", record));
    }

    /**
     * Four caller threads sharing the database and the run.
     *
     * @param bh the sink for the returned sequence.
     */
    @Benchmark
    @Threads(4)
    public void append4(final Blackhole bh)
    {
        bh.consume(db.events().append(run, "e", record));
    }
}
