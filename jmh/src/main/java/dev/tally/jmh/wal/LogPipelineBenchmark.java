/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.wal;

import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.engine.DurabilityMode;
import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import dev.tally.pipeline.ForcePolicy;
import dev.tally.pipeline.LogPipeline;
import dev.tally.pipeline.WalLogWriter;
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

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;

/**
 * The WAL append as a caller sees it, without the engine's primitives: a 100-byte record handed to the writer ring
 * and framed into the mapped segment by the writer thread, returning its log position. Each call does what the
 * engine's commit does around the log: take the commit lock, reserve the frame's position, publish it to the ring,
 * release the lock, and in Strict mode park until a group-commit force covered the frame. The ring size and the
 * segment length are the engine's defaults; segment rolls (create, zero-fill and force the next 64 MiB segment) run
 * on the writer thread inside the timed loop, and segments two behind are released so the disk stays bounded.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class LogPipelineBenchmark
{
    private static final int TYPE_CODE = 64;
    private static final long RELEASE_EVERY = 1L << 16;

    /** Buffered (the flush timer forces) or Strict (every call waits for its force). */
    @Param({"BUFFERED", "STRICT"})
    public DurabilityMode mode;

    /** The writer ring's capacity (the engine's default unless given). */
    @Param({"4096"})
    public int ringSize;

    /** The Buffered flush interval in milliseconds (the engine's default unless given). */
    @Param({"100"})
    public long flushMillis;

    private final StampedLock commitLock = new StampedLock();
    private Path root;
    private LogPipeline pipeline;
    private byte[] record;
    private TxId txId;
    private RunId runId;
    private long segmentLength;
    private long appends;

    /** Creates the temp dir and the record. */
    @Setup(Level.Trial)
    public void setUpTrial()
    {
        root = TempDirectories.create("tally-pipeline");
        record = Workload.record();
        txId = TxId.random();
        runId = RunId.random();
    }

    /** Opens a fresh log and its pipeline. */
    @Setup(Level.Iteration)
    public void setUpIteration()
    {
        final Path directory = root.resolve("wal-" + System.nanoTime());
        final WalWriter writer = WalWriter.open(new WalOptions().directory(directory)
            .databaseId(UUID.randomUUID()), 0);
        segmentLength = writer.segmentLength();
        final ForcePolicy forcePolicy = mode == DurabilityMode.STRICT ? ForcePolicy.EVERY_BATCH
            : ForcePolicy.FLUSH_INTERVAL;
        pipeline = new LogPipeline(new WalLogWriter(writer), forcePolicy, flushMillis, ringSize,
            segmentLength, directory);
    }

    /** Flushes and closes the pipeline, then deletes its files. */
    @TearDown(Level.Iteration)
    public void tearDownIteration()
    {
        pipeline.flush(pipeline.publishedEnd());
        pipeline.close();
        pipeline = null;
        TempDirectories.delete(root);
        root = TempDirectories.create("tally-pipeline");
    }

    /** Deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDownTrial()
    {
        TempDirectories.delete(root);
    }

    /**
     * One caller thread.
     *
     * @return the frame's position.
     */
    @Benchmark
    public long append()
    {
        return appendOne();
    }

    /**
     * Four caller threads sharing the log.
     *
     * @return the frame's position.
     */
    @Benchmark
    @Threads(4)
    public long append4()
    {
        return appendOne();
    }

    private long appendOne()
    {
        final boolean strict = mode == DurabilityMode.STRICT;
        final long position;
        final long end;
        long release = -1;
        final long stamp = commitLock.writeLock();
        try
        {
            position = pipeline.reserve(record.length);
            end = pipeline.reservedEnd();
            pipeline.publish(TYPE_CODE, txId, runId, record, position, end, strict ? Thread.currentThread() : null);
            if ((++appends & (RELEASE_EVERY - 1)) == 0)
            {
                release = position - 2 * segmentLength;
            }
        }
        finally
        {
            commitLock.unlockWrite(stamp);
        }
        if (release > 0)
        {
            pipeline.releaseBefore(release);
        }
        if (strict)
        {
            pipeline.awaitFrameDurable(end);
        }
        return position;
    }
}
