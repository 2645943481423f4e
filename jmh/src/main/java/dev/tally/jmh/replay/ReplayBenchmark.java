/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.replay;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.ReadOnlyView;
import dev.tally.engine.SnapshotConfig;
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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Time to replay a run of {@code changes} changes (key-value puts of 100-byte values, 1,000 per transaction) into a
 * read-only view, with the run's history served from the log ({@code source=log}: no snapshot was taken) or from a
 * snapshot's history section ({@code source=snapshot}: a snapshot covers the whole run and the log after it is
 * empty). Replay speed in changes per second is {@code changes} divided by the time per replay.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Threads(1)
@State(Scope.Benchmark)
public class ReplayBenchmark
{
    private static final int BATCH = 1000;

    @Param({"1000000"})
    public int changes;

    @Param({"log", "snapshot"})
    public String source;

    private Path root;
    private Database db;
    private RunId run;

    /** Writes the run once per trial, and snapshots it when the history is to come from a snapshot. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-replay");
        db = Database.builder().directory(root.resolve("db")).durability(DurabilityMode.BUFFERED)
            .snapshots(SnapshotConfig.MANUAL).open();
        run = RunId.of(3, 3);
        db.beginRun(run);
        final SplittableRandom random = new SplittableRandom(11);
        for (int start = 0; start < changes; start += BATCH)
        {
            final int from = start;
            db.transaction(run, tx ->
            {
                for (int i = from; i < Math.min(changes, from + BATCH); i++)
                {
                    final byte[] value = new byte[100];
                    random.nextBytes(value);
                    tx.put(String.format(Locale.ROOT, "key-%012d", i), Value.of(value));
                }
                return null;
            });
        }
        db.flush();
        if ("snapshot".equals(source))
        {
            db.snapshot();
        }
    }

    /** Closes and deletes the database. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        db.close();
        TempDirectories.delete(root);
    }

    /**
     * Replays the whole run.
     *
     * @param blackhole consumes the view.
     */
    @Benchmark
    public void replayRun(final Blackhole blackhole)
    {
        final ReadOnlyView view = db.replayRun(run);
        blackhole.consume(view.changeCount());
    }
}
