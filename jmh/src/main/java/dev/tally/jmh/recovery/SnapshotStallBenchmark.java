/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.recovery;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.jmh.TempDirectories;
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

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write latency while a snapshot of a database of {@code keys} keys is being taken, against the same writes with no
 * snapshot running: a background thread takes snapshots back to back ({@code snapshotting=true}) while the measured
 * thread puts 100-byte values in Buffered mode. SampleTime reports the p50, p99 and p99.9 of each put; a snapshot
 * that stalled writers for its duration would show up as a p99.9 near the snapshot's duration.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class SnapshotStallBenchmark
{
    private static final int BATCH = 1000;

    @Param({"1000000"})
    public int keys;

    @Param({"false", "true"})
    public boolean snapshotting;

    private Path root;
    private Database db;
    private RunId run;
    private Value value;
    private Thread snapshotter;
    private volatile boolean stopping;
    private final AtomicLong snapshots = new AtomicLong();
    private long cursor;

    /** Fills the database, then starts the snapshot loop when asked. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-snapshot-stall");
        db = Database.builder().directory(root.resolve("db")).durability(DurabilityMode.BUFFERED)
            .snapshots(new SnapshotConfig(0, 0, false, 1)).open();
        run = RunId.of(2, 2);
        db.beginRun(run);
        value = Value.of(new byte[100]);
        for (int start = 0; start < keys; start += BATCH)
        {
            final int from = start;
            db.transaction(run, tx ->
            {
                for (int i = from; i < Math.min(keys, from + BATCH); i++)
                {
                    tx.put(String.format(Locale.ROOT, "key-%012d", i), value);
                }
                return null;
            });
        }
        if (snapshotting)
        {
            snapshotter = new Thread(() ->
            {
                while (!stopping)
                {
                    db.snapshot();
                    snapshots.incrementAndGet();
                }
            }, "bench-snapshotter");
            snapshotter.start();
        }
    }

    /**
     * Stops the snapshot loop and deletes the database.
     *
     * @throws InterruptedException when interrupted while joining.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        stopping = true;
        if (snapshotter != null)
        {
            snapshotter.join();
            System.out.printf(Locale.ROOT, "%nsnapshots taken during the trial: %d%n", snapshots.get());
        }
        db.close();
        TempDirectories.delete(root);
    }

    /** One put to one of the preloaded keys, in Buffered mode. */
    @Benchmark
    public void put()
    {
        final long i = cursor++ % keys;
        db.kv().put(run, "key-" + String.format(Locale.ROOT, "%012d", i), value);
    }
}
