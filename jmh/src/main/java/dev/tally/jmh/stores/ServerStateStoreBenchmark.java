/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.stores;

import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.jmh.TempDirectories;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.payments.EmbeddedServerStateStore;
import dev.tally.stores.payments.ServerChannelRecord;
import dev.tally.stores.payments.ServerStateStore;
import dev.tally.stores.payments.SettlementCommit;
import dev.tally.stores.payments.SettlementResult;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code commitSettlement} of the payment server state store on a Strict database, with one and four caller threads,
 * each settling on its own channel (so threads contend only on the commit path and share forces, never a channel).
 * Each call is one engine transaction writing a commitment and the channel's next state; the issue asks that four
 * threads reach at least 2.5 times the one-thread rate. One database per trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class ServerStateStoreBenchmark
{
    private static final String FINGERPRINT = "ab".repeat(32);
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK, 64 bytes of a paid resource response body......."
        .getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger threadCount = new AtomicInteger();
    private Path root;
    private Database db;
    private ServerStateStore store;

    /** One thread's channel and its latest state. */
    @State(Scope.Thread)
    public static class ThreadChannel
    {
        private ServerChannelRecord channel;
        private long sequence;

        /**
         * Opens this thread's channel.
         *
         * @param benchmark the shared state.
         */
        @Setup(Level.Trial)
        public void setUp(final ServerStateStoreBenchmark benchmark)
        {
            final String channelId = "channel-" + benchmark.threadCount.getAndIncrement();
            channel = benchmark.store.openChannel(ServerChannelRecord.opened(channelId, "1000000000000000000",
                "outpoint-" + channelId)).channel();
        }
    }

    /** Opens the database and the store. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-payments");
        db = TempDirectories.open(DurabilityMode.STRICT, root.resolve("db"));
        store = EmbeddedServerStateStore.builder(db).name("benchmark").open();
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
     * One caller thread commits settlements.
     *
     * @param state the thread's channel.
     * @param bh    the sink for the result.
     */
    @Benchmark
    public void commitSettlement(final ThreadChannel state, final Blackhole bh)
    {
        bh.consume(settle(state));
    }

    /**
     * Four caller threads commit settlements, each on its own channel.
     *
     * @param state the thread's channel.
     * @param bh    the sink for the result.
     */
    @Benchmark
    @Threads(4)
    public void commitSettlement4(final ThreadChannel state, final Blackhole bh)
    {
        bh.consume(settle(state));
    }

    private SettlementResult settle(final ThreadChannel state)
    {
        final ServerChannelRecord expected = state.channel;
        final long sequence = ++state.sequence;
        final String charged = Long.toString(sequence);
        final String commitmentId = expected.channelId() + "-" + sequence;
        final ServerChannelRecord next = expected.charged(charged, charged, "signature", commitmentId);
        final SettlementResult result = store.commitSettlement(new SettlementCommit(expected, next,
            new BatchCommitmentRecord(commitmentId, expected.channelId(), FINGERPRINT, "1", charged, null, RESPONSE,
                null), null));
        if (!(result instanceof SettlementResult.Committed committed))
        {
            throw new IllegalStateException("a settlement on a thread's own channel did not commit: " + result);
        }
        state.channel = committed.channel();
        return result;
    }
}
