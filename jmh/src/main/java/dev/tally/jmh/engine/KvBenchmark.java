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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Key-value put and get through the engine, 16-byte keys and 100-byte values, per durability mode with one and four
 * caller threads. Each thread puts over its own 4,096 keys, so the map stays bounded and threads contend only on the
 * commit path; gets read a preloaded set of 65,536 keys. One database per trial.
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
    /** Value length, bytes. */
    public static final int VALUE_LENGTH = 100;
    private static final int KEYS_PER_THREAD = 4096;
    private static final int PRELOADED_KEY_COUNT = 65_536;
    private static final int PRELOAD_BATCH = 1024;

    @Param({"IN_MEMORY", "BUFFERED", "STRICT"})
    public DurabilityMode mode;

    private Path root;
    private Database db;
    private RunId run;
    private Value value;
    private String[] preloaded;
    private final AtomicInteger threadCount = new AtomicInteger();

    /** Per-thread keys and cursors. */
    @State(Scope.Thread)
    public static class ThreadKeys
    {
        private String[] keys;
        private int putCursor;
        private int getCursor;

        /**
         * Gives this thread its own put keys and a distinct starting point for gets.
         *
         * @param benchmark the shared state.
         */
        @Setup(Level.Trial)
        public void setUp(final KvBenchmark benchmark)
        {
            final int thread = benchmark.threadCount.getAndIncrement();
            keys = new String[KEYS_PER_THREAD];
            for (int i = 0; i < keys.length; i++)
            {
                keys[i] = key(thread, i);
            }
            getCursor = thread * (PRELOADED_KEY_COUNT / 4);
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
        final byte[] bytes = new byte[VALUE_LENGTH];
        new SplittableRandom(42).nextBytes(bytes);
        value = Value.of(bytes);
        preloaded = new String[PRELOADED_KEY_COUNT];
        for (int i = 0; i < preloaded.length; i++)
        {
            preloaded[i] = key(99, i);
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
    public void put(final ThreadKeys keys)
    {
        db.kv().put(run, nextPutKey(keys), value);
    }

    /**
     * Four caller threads put, each to its own keys.
     *
     * @param keys the thread's keys.
     */
    @Benchmark
    @Threads(4)
    public void put4(final ThreadKeys keys)
    {
        db.kv().put(run, nextPutKey(keys), value);
    }

    /**
     * One caller thread gets a present key.
     *
     * @param keys the thread's cursor.
     * @param bh   the sink for the value.
     */
    @Benchmark
    public void get(final ThreadKeys keys, final Blackhole bh)
    {
        bh.consume(db.kv().get(run, nextGetKey(keys)));
    }

    /**
     * Four caller threads get present keys.
     *
     * @param keys the thread's cursor.
     * @param bh   the sink for the value.
     */
    @Benchmark
    @Threads(4)
    public void get4(final ThreadKeys keys, final Blackhole bh)
    {
        bh.consume(db.kv().get(run, nextGetKey(keys)));
    }

    private static String nextPutKey(final ThreadKeys keys)
    {
        final int i = keys.putCursor;
        keys.putCursor = i + 1 == KEYS_PER_THREAD ? 0 : i + 1;
        return keys.keys[i];
    }

    private String nextGetKey(final ThreadKeys keys)
    {
        final int i = keys.getCursor;
        keys.getCursor = i + 1 == PRELOADED_KEY_COUNT ? 0 : i + 1;
        return preloaded[i];
    }

    /**
     * A 16-character ASCII key: {@code k}, a two-digit owner, a dash and a twelve-digit index.
     *
     * @param owner the thread number, or 99 for the preloaded set.
     * @param index the index.
     * @return the key.
     */
    static String key(final int owner, final int index)
    {
        final String digits = Integer.toString(index);
        return "k" + (owner < 10 ? "0" : "") + owner + "-" + "000000000000".substring(digits.length()) + digits;
    }
}
