/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.peers;

import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
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
 * The peer for Tally's KV put: H2's MVStore used directly, one {@code MVMap<String, byte[]>} put of a
 * {@link Workload} key and value per call.
 * <ul>
 *   <li>{@code AUTO_COMMIT}: MVStore's default, a background thread writes a chunk about once a second and never
 *   fsyncs, so a crash loses up to a second of puts: the peer of Tally's Buffered mode.</li>
 *   <li>{@code COMMIT_SYNC}: auto-commit off, and every put is followed by {@code commit()} (a new chunk) and
 *   {@code sync()} (an fsync): the peer of Strict.</li>
 *   <li>{@code IN_MEMORY}: no file at all, the peer of Tally's InMemory mode.</li>
 * </ul>
 * One caller thread; one store per trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class H2MvStorePutBenchmark
{
    /** Background auto-commit to a file, never forced. */
    public static final String AUTO_COMMIT = "AUTO_COMMIT";
    /** A commit and a sync after every put. */
    public static final String COMMIT_SYNC = "COMMIT_SYNC";
    /** No file. */
    public static final String IN_MEMORY = "IN_MEMORY";

    /** {@link #AUTO_COMMIT}, {@link #COMMIT_SYNC} or {@link #IN_MEMORY}. */
    @Param({AUTO_COMMIT, COMMIT_SYNC, IN_MEMORY})
    public String mode;

    private Path root;
    private MVStore store;
    private MVMap<String, byte[]> map;
    private byte[] value;
    private boolean commitEachPut;

    /** Opens a fresh store in a temp dir (or in memory) and its map. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-peer-h2");
        final MVStore.Builder builder = new MVStore.Builder();
        if (!IN_MEMORY.equals(mode))
        {
            builder.fileName(root.resolve("kv.mv.db").toString());
        }
        commitEachPut = COMMIT_SYNC.equals(mode);
        if (commitEachPut)
        {
            builder.autoCommitDisabled();
        }
        else if (!AUTO_COMMIT.equals(mode) && !IN_MEMORY.equals(mode))
        {
            throw new IllegalArgumentException("unknown mode: mode=" + mode);
        }
        store = builder.open();
        map = store.openMap("kv");
        value = Workload.value();
    }

    /** Closes the store and deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
        store = null;
        TempDirectories.delete(root);
    }

    /**
     * One caller thread puts; with {@link #COMMIT_SYNC} each put is committed and synced before the next.
     *
     * @param keys the thread's keys.
     * @param bh   the sink for the previous value.
     */
    @Benchmark
    public void put(final Workload.ThreadKeys keys, final Blackhole bh)
    {
        bh.consume(map.put(keys.nextKey(), value));
        if (commitEachPut)
        {
            bh.consume(store.commit());
            store.sync();
        }
    }
}
