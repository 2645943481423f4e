/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.stores;

import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.jmh.TempDirectories;
import dev.tally.stores.idempotency.BeginInput;
import dev.tally.stores.idempotency.BeginResult;
import dev.tally.stores.idempotency.Completion;
import dev.tally.stores.idempotency.EmbeddedIdempotencyStore;
import dev.tally.stores.idempotency.IdempotencyStore;
import dev.tally.stores.idempotency.Status;
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
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One idempotent operation through {@link EmbeddedIdempotencyStore} on a Strict database: {@code begin} of a new key
 * (EXECUTE, one commit) and {@code finish} with a 100-byte response (a second commit), with one and four caller
 * threads, each on its own distinct keys, so threads contend only on the commit path and share its forces. One
 * database per trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class IdempotencyStoreBenchmark
{
    /** Response payload length, bytes. */
    public static final int RESPONSE_LENGTH = 100;

    private Path root;
    private Database db;
    private IdempotencyStore store;
    private Instant expiresAt;
    private Completion completion;
    private final AtomicInteger threadCount = new AtomicInteger();

    /** Per-thread key prefix and counter. */
    @State(Scope.Thread)
    public static class ThreadKeys
    {
        private String prefix;
        private long next;

        /**
         * Gives this thread its own key prefix.
         *
         * @param benchmark the shared state.
         */
        @Setup(Level.Trial)
        public void setUp(final IdempotencyStoreBenchmark benchmark)
        {
            prefix = "t" + benchmark.threadCount.getAndIncrement() + "-";
        }

        String nextKey()
        {
            return prefix + next++;
        }
    }

    /** Opens a Strict database and the store on it. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-idempotency");
        db = TempDirectories.open(DurabilityMode.STRICT, root.resolve("db"));
        store = EmbeddedIdempotencyStore.builder(db).open();
        expiresAt = Instant.now().plus(Duration.ofDays(1));
        completion = Completion.of(Status.SUCCEEDED, 0, new byte[RESPONSE_LENGTH]);
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
     * One caller thread: begin a new key, then finish it.
     *
     * @param keys the thread's keys.
     * @param bh   the sink for the results.
     */
    @Benchmark
    public void beginFinish(final ThreadKeys keys, final Blackhole bh)
    {
        operate(keys, bh);
    }

    /**
     * Four caller threads: begin a new key, then finish it, each on its own keys.
     *
     * @param keys the thread's keys.
     * @param bh   the sink for the results.
     */
    @Benchmark
    @Threads(4)
    public void beginFinish4(final ThreadKeys keys, final Blackhole bh)
    {
        operate(keys, bh);
    }

    private void operate(final ThreadKeys keys, final Blackhole bh)
    {
        final BeginResult begun = store.begin(new BeginInput("bench", "/payments.v1.Payments/Charge", keys.nextKey(),
            "request-hash", expiresAt));
        bh.consume(begun);
        bh.consume(store.finish(begun.lease().orElseThrow(), completion));
    }
}
