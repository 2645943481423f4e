/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.card;

import dev.tally.core.Key;
import dev.tally.core.RunId;
import net.openhft.hashing.LongHashFunction;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2ObjectHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The design card's two packages against what the engine does today, on the paths where the card meant them: the
 * per-run index lookup (a {@link ConcurrentHashMap} keyed by {@link RunId}, read by any thread, against Agrona's
 * {@link Long2ObjectHashMap} keyed by the run id's low half, its best case, though it is not safe for concurrent
 * readers), a transaction's write set (a {@link HashMap} keyed by {@link Key}, against Agrona's
 * {@link Object2ObjectHashMap}), and key hashing ({@link Arrays#hashCode(byte[])} over the key's UTF-8, which
 * {@link Key#hashCode()} computes once and caches, against Zero-Allocation-Hashing's xxHash3).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class CardPackagesBenchmark
{
    private static final int LOOKUPS = 1024;
    private static final LongHashFunction XX3 = LongHashFunction.xx3();

    /** Runs in the index, and the length of the keys hashed. */
    @Param({"1000", "100000"})
    public int runs;

    @Param({"16", "64"})
    public int keyLength;

    private RunId[] runIds;
    private long[] runLows;
    private final Map<RunId, Object> jdkRuns = new ConcurrentHashMap<>();
    private final Long2ObjectHashMap<Object> agronaRuns = new Long2ObjectHashMap<>();
    private Key[] keys;
    private byte[][] keyBytes;
    private int cursor;

    /** Fills both indexes with the same runs and makes the keys. */
    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(20);
        final RunId[] all = new RunId[runs];
        for (int i = 0; i < runs; i++)
        {
            all[i] = RunId.of(random.nextLong(), random.nextLong());
            jdkRuns.put(all[i], all[i]);
            agronaRuns.put(all[i].uuid().getLeastSignificantBits(), all[i]);
        }
        runIds = new RunId[LOOKUPS];
        runLows = new long[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++)
        {
            runIds[i] = all[random.nextInt(runs)];
            runLows[i] = runIds[i].uuid().getLeastSignificantBits();
        }
        keys = new Key[LOOKUPS];
        keyBytes = new byte[LOOKUPS][];
        for (int i = 0; i < LOOKUPS; i++)
        {
            final StringBuilder text = new StringBuilder("order/");
            while (text.length() < keyLength)
            {
                text.append((char)('a' + random.nextInt(26)));
            }
            keys[i] = Key.of(text.toString());
            keyBytes[i] = text.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private int next()
    {
        cursor = (cursor + 1) & (LOOKUPS - 1);
        return cursor;
    }

    /** @return the run found: the engine's index today. */
    @Benchmark
    public Object runIndexJdk()
    {
        return jdkRuns.get(runIds[next()]);
    }

    /** @return the run found: Agrona's primitive map. */
    @Benchmark
    public Object runIndexAgrona()
    {
        return agronaRuns.get(runLows[next()]);
    }

    /** @return a transaction's write set of 8 keys, built and read back: the JDK map the engine uses. */
    @Benchmark
    public Object writeSetJdk()
    {
        final Map<Key, Object> writes = new HashMap<>();
        return fillAndRead(writes);
    }

    /** @return the same with Agrona's open-addressing map. */
    @Benchmark
    public Object writeSetAgrona()
    {
        final Map<Key, Object> writes = new Object2ObjectHashMap<>();
        return fillAndRead(writes);
    }

    private Object fillAndRead(final Map<Key, Object> writes)
    {
        final int base = next() & ~7;
        for (int i = 0; i < 8; i++)
        {
            writes.put(keys[base + i], keys[base + i]);
        }
        Object last = null;
        for (int i = 0; i < 8; i++)
        {
            last = writes.get(keys[base + i]);
        }
        return last;
    }

    /** @return the hash {@link Key#hashCode()} computes today. */
    @Benchmark
    public int keyHashJdk()
    {
        return Arrays.hashCode(keyBytes[next()]);
    }

    /** @return xxHash3 of the same bytes, folded to an int as a hash code would be. */
    @Benchmark
    public int keyHashXx3()
    {
        final long h = XX3.hashBytes(keyBytes[next()]);
        return (int)(h ^ (h >>> 32));
    }
}
