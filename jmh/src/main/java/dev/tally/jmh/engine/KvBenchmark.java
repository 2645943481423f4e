/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.engine;

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
 * Key-value put and get through the engine, with the {@link Workload}'s 16-byte keys and 84-byte values, per
 * durability mode with one and four caller threads: Tally's side of the put in the side-by-side set with the peers in
 * {@code dev.tally.jmh.peers}. Each thread puts over its own {@link Workload#KEYS_PER_THREAD} keys, so the map stays
 * bounded and threads contend only on the commit path; gets read a preloaded set of 65,536 keys. One database per
 * trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class KvBenchmark
{
    private static final int PRELOADED_KEY_COUNT = 65_536;
    private static final int PRELOAD_BATCH = 1024;

    @Param({"IN_MEMORY", "BUFFERED", "STRICT"})
    public DurabilityMode mode;

    private Path root;
    private Database db;
    private RunId run;
    private Value value;
    private String[] preloaded;

    /** Per-thread cursor over the preloaded keys, each thread starting at its own quarter. */
    @State(Scope.Thread)
    public static class GetCursor
    {
        private int cursor;

        /**
         * Places this thread's cursor.
         *
         * @param keys the thread's keys, whose owner number picks the starting point.
         */
        @Setup(Level.Trial)
        public void setUp(final Workload.ThreadKeys keys)
        {
            cursor = (keys.owner() % 4) * (PRELOADED_KEY_COUNT / 4);
        }
    }

    /** Opens the database and preloads the keys that gets read, in batches of one transaction each. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-kv");
        db = TempDirectories.open(mode, root.resolve("db"));
        run = RunId.random();
        db.beginRun(run);
        value = Value.of(Workload.value());
        preloaded = new String[PRELOADED_KEY_COUNT];
        for (int i = 0; i < preloaded.length; i++)
        {
            preloaded[i] = Workload.key(Workload.PRELOAD_OWNER, i);
        }
        for (int start = 0; start < preloaded.length; start += PRELOAD_BATCH)
        {
            final int from = start;
            db.transaction(run, tx ->
            {
                for (int i = from; i < from + PRELOAD_BATCH; i++)
                {
                    tx.put(preloaded[i], value);
                }
                return null;
            });
        }
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
     * One caller thread puts.
     *
     * @param keys the thread's keys.
     */
    @Benchmark
    public void put(final Workload.ThreadKeys keys)
    {
        db.kv().put(run, keys.nextKey(), value);
    }

    /**
     * Four caller threads put, each to its own keys.
     *
     * @param keys the thread's keys.
     */
    @Benchmark
    @Threads(4)
    public void put4(final Workload.ThreadKeys keys)
    {
        db.kv().put(run, keys.nextKey(), value);
    }

    /**
     * One caller thread gets a present key.
     *
     * @param cursor the thread's cursor.
     * @param bh     the sink for the value.
     */
    @Benchmark
    public void get(final GetCursor cursor, final Blackhole bh)
    {
        bh.consume(db.kv().get(run, nextGetKey(cursor)));
    }

    /**
     * Four caller threads get present keys.
     *
     * @param cursor the thread's cursor.
     * @param bh     the sink for the value.
     */
    @Benchmark
    @Threads(4)
    public void get4(final GetCursor cursor, final Blackhole bh)
    {
        bh.consume(db.kv().get(run, nextGetKey(cursor)));
    }

    private String nextGetKey(final GetCursor cursor)
    {
        final int i = cursor.cursor;
        cursor.cursor = i + 1 == PRELOADED_KEY_COUNT ? 0 : i + 1;
        return preloaded[i];
    }
}
