/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.recovery;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.jmh.TempDirectories;
import dev.tally.snapshot.SectionAccess;
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
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The price of reading a state opened from a snapshot: random gets and prefix lists over 1,000,000 keys (16-byte keys,
 * 100-byte values) that live only in the snapshot's base, with the base read in place in the snapshot file's mapping
 * or copied onto the heap. The database is written and snapshotted once per trial, then reopened from the snapshot with
 * the access measured, so every key read is a binary search over the base.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class SnapshotReadBenchmark
{
    private static final int KEYS = 1_000_000;
    private static final int BATCH = 1000;
    private static final RunId RUN = RunId.of(1, 1);

    @Param({"IN_PLACE", "COPIED"})
    public SectionAccess access;

    private Path root;
    private Database db;
    private String[] keys;
    private int cursor;

    /** Writes and snapshots the keys, then reopens from the snapshot with the access measured. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-snapshot-read");
        final SplittableRandom random = new SplittableRandom(7);
        try (Database writer = open(root, SectionAccess.COPIED))
        {
            writer.beginRun(RUN);
            for (int start = 0; start < KEYS; start += BATCH)
            {
                final int from = start;
                writer.transaction(RUN, tx ->
                {
                    for (int i = from; i < from + BATCH; i++)
                    {
                        final byte[] value = new byte[100];
                        random.nextBytes(value);
                        tx.put(key(i), Value.of(value));
                    }
                    return null;
                });
            }
            writer.snapshot();
        }
        db = open(root, access);
        keys = new String[1 << 16];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = key(random.nextInt(KEYS));
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
     * Gets one key of the base.
     *
     * @return the value.
     */
    @Benchmark
    public Optional<Value> get()
    {
        return db.kv().get(RUN, keys[cursor++ & (keys.length - 1)]);
    }

    /**
     * Lists the ten keys under one prefix of the base.
     *
     * @return the keys.
     */
    @Benchmark
    public Object listTen()
    {
        final String key = keys[cursor++ & (keys.length - 1)];
        return db.kv().list(RUN, key.substring(0, key.length() - 1));
    }

    private static Database open(final Path directory, final SectionAccess access)
    {
        return Database.builder().directory(directory).durability(DurabilityMode.BUFFERED)
            .snapshots(SnapshotConfig.MANUAL).snapshotAccess(access).open();
    }

    private static String key(final int i)
    {
        return String.format(Locale.ROOT, "key-%012d", i);
    }
}
