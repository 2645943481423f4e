/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.peers;

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
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The peer for Tally's KV put: RocksDB {@code put} with the {@link Workload}'s 16-byte keys and 84-byte values, the
 * write-ahead log on, default options otherwise (memtable flushes and compactions run on RocksDB's own threads, as
 * they would for a user). {@code sync=true} makes every put wait for the WAL's fsync, the peer of Tally's Strict mode;
 * {@code sync=false} leaves the WAL in the page cache, the peer of Buffered. One and four caller threads, each over its
 * own keys, share one database per trial; with four, RocksDB groups their WAL writes itself.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class RocksDbPutBenchmark
{
    /** {@code WriteOptions.setSync}: {@code true} forces the WAL on every put. */
    @Param({"false", "true"})
    public boolean sync;

    private Path root;
    private Options options;
    private WriteOptions writeOptions;
    private RocksDB db;
    private byte[] value;

    /**
     * Loads the native library and opens a fresh database in a temp dir.
     *
     * @throws RocksDBException when the database cannot be opened.
     */
    @Setup(Level.Trial)
    public void setUp() throws RocksDBException
    {
        RocksDB.loadLibrary();
        root = TempDirectories.create("tally-peer-rocksdb");
        options = new Options().setCreateIfMissing(true);
        writeOptions = new WriteOptions().setSync(sync).setDisableWAL(false);
        db = RocksDB.open(options, root.resolve("db").toString());
        value = Workload.value();
    }

    /** Closes the database and its options, then deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        db.close();
        db = null;
        writeOptions.close();
        options.close();
        TempDirectories.delete(root);
    }

    /**
     * One caller thread puts.
     *
     * @param keys the thread's keys.
     * @param bh   the sink for the key written.
     * @throws RocksDBException when the put fails.
     */
    @Benchmark
    public void put(final Workload.ThreadKeys keys, final Blackhole bh) throws RocksDBException
    {
        bh.consume(putOnce(keys));
    }

    /**
     * Four caller threads put, each to its own keys.
     *
     * @param keys the thread's keys.
     * @param bh   the sink for the key written.
     * @throws RocksDBException when the put fails.
     */
    @Benchmark
    @Threads(4)
    public void put4(final Workload.ThreadKeys keys, final Blackhole bh) throws RocksDBException
    {
        bh.consume(putOnce(keys));
    }

    private byte[] putOnce(final Workload.ThreadKeys keys) throws RocksDBException
    {
        final byte[] key = keys.nextKeyBytes();
        db.put(writeOptions, key, value);
        return key;
    }
}
