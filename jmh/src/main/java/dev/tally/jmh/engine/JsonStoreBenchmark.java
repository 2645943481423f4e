/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.engine;

import dev.tally.core.RunId;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.jmh.TempDirectories;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JSON set through the engine: {@code db.json().set(run, key, "/counter", n)} on a document of about 100 bytes of
 * canonical JSON, per durability mode with one and four caller threads, each thread editing its own document. The
 * set reads the document, applies the edit, serializes the result and commits it if the document is unchanged. One
 * database per trial.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class JsonStoreBenchmark
{
    private static final String PATH = "/counter";
    /** Looked up once: {@code Json.createValue} looks the provider up on every call, which would dominate. */
    private static final JsonProvider PROVIDER = JsonProvider.provider();

    @Param({"IN_MEMORY", "BUFFERED", "STRICT"})
    public DurabilityMode mode;

    private Path root;
    private Database db;
    private RunId run;
    private final AtomicInteger threadCount = new AtomicInteger();

    /** One document per thread and the next counter value. */
    @State(Scope.Thread)
    public static class Document
    {
        private String key;
        private long counter;

        /**
         * Creates this thread's document.
         *
         * @param benchmark the shared state.
         */
        @Setup(Level.Trial)
        public void setUp(final JsonStoreBenchmark benchmark)
        {
            key = "doc-" + benchmark.threadCount.getAndIncrement();
            final JsonObject document = PROVIDER.createObjectBuilder()
                .add("counter", 0)
                .add("owner", key)
                .add("status", "open")
                .add("tags", PROVIDER.createArrayBuilder().add("alpha").add("beta"))
                .add("note", "a document of roughly one hundred bytes")
                .build();
            benchmark.db.json().create(benchmark.run, key, document);
        }
    }

    /** Opens the database and begins a run. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-json");
        db = TempDirectories.open(mode, root.resolve("db"));
        run = RunId.random();
        db.beginRun(run);
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
     * @param document the thread's document.
     */
    @Benchmark
    public void set(final Document document)
    {
        db.json().set(run, document.key, PATH, counter(document));
    }

    /**
     * Four caller threads, one document each.
     *
     * @param document the thread's document.
     */
    @Benchmark
    @Threads(4)
    public void set4(final Document document)
    {
        db.json().set(run, document.key, PATH, counter(document));
    }

    private static JsonValue counter(final Document document)
    {
        return PROVIDER.createValue(++document.counter);
    }
}
