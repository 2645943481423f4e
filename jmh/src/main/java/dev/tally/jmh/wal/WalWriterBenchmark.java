/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.wal;

import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import dev.tally.wal.SegmentStorage;
import dev.tally.wal.WalOptions;
import dev.tally.wal.WalWriter;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The mapped-write path without the engine: {@link WalWriter#append} of a 100-byte record on the calling thread (no
 * ring, no commit lock), with and without a {@link WalWriter#force()} after every record. Segment rolls (creating
 * and zero-filling the next 64 MiB segment, then forcing it) happen inside the timed loop, as they do in the engine;
 * segments behind the active one are released at each roll so the disk stays bounded.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class WalWriterBenchmark
{
    private static final int TYPE_CODE = 64;

    /** How segments are allocated: reserved with posix_fallocate where available, or zero-filled. */
    @Param({"RESERVED", "ZERO_FILLED"})
    public String segments;

    /** The durable slot window in bytes: 0 forces the header page with every force (two msyncs). */
    @Param({"65536", "0"})
    public int durableSlotWindow;

    private Path root;
    private WalWriter writer;
    private byte[] record;
    private TxId txId;
    private RunId runId;
    private long segmentMask;
    private long activeBase;

    /** Creates the temp dir and opens a new log. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-walwriter");
        record = Workload.record();
        txId = TxId.random();
        runId = RunId.random();
        writer = WalWriter.open(new WalOptions().directory(root.resolve("wal")).databaseId(UUID.randomUUID())
            .segmentStorage("ZERO_FILLED".equals(segments) ? SegmentStorage.zeroFilledFiles() : SegmentStorage.files())
            .durableSlotWindow(durableSlotWindow), 0);
        segmentMask = ~((long)writer.segmentLength() - 1);
        activeBase = writer.writtenPosition() & segmentMask;
    }

    /** Closes the log and deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        writer.close();
        writer = null;
        TempDirectories.delete(root);
    }

    /**
     * Append only: published in the mapping, not forced.
     *
     * @param bh the sink for the frame position.
     */
    @Benchmark
    public void append(final Blackhole bh)
    {
        bh.consume(appendOne());
    }

    /**
     * Append, then force: one durable record per call, the Strict path with one caller and no pipeline.
     *
     * @param bh the sink for the frame position.
     */
    @Benchmark
    public void appendForce(final Blackhole bh)
    {
        final long position = appendOne();
        writer.force();
        bh.consume(position);
    }

    private long appendOne()
    {
        final long position = writer.append(TYPE_CODE, txId, runId, record, 0, record.length);
        final long base = position & segmentMask;
        if (base != activeBase)
        {
            activeBase = base;
            writer.releaseBefore(base);
        }
        return position;
    }
}
