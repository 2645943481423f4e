/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Pauses of single puts over one long run: every one of a million {@code kv().put} calls is timed (none sampled), so
 * the longest stall a caller saw is in the figures, which JMH's sampled percentiles can miss. Default settings
 * (automatic snapshots on), one caller, the workload's 16-byte keys over 4,096 per thread and 84-byte values, after
 * 200,000 puts of warm-up. Run it alone, with a fixed heap:
 * <pre>
 *   java -Xms4g -Xmx4g -cp benchmarks.jar dev.tally.jmh.engine.PutPauses [count [mode]]
 * </pre>
 * Prints the count, the throughput, p50 to p99.99 and the maximum in microseconds, and how many puts took longer than
 * 1 ms and 10 ms.
 */
public final class PutPauses
{
    private static final int WARM_UP = 200_000;
    private static final int COUNT_DEFAULT = 1_000_000;
    private static final int KEYS = 4_096;
    private static final long MILLISECOND_NS = 1_000_000L;

    private PutPauses()
    {
    }

    /**
     * Runs the measurement and prints it; the main thread.
     *
     * @param args optional count of timed puts, then the durability mode (default {@code BUFFERED}).
     */
    public static void main(final String[] args)
    {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : COUNT_DEFAULT;
        final DurabilityMode mode = args.length > 1 ? DurabilityMode.valueOf(args[1]) : DurabilityMode.BUFFERED;
        final Path root = TempDirectories.create("tally-pauses");
        final long[] latencies = new long[count];
        final long elapsed;
        try (Database db = TempDirectories.open(mode, root.resolve("db")))
        {
            final RunId run = RunId.random();
            db.beginRun(run);
            final String[] keys = new String[KEYS];
            for (int i = 0; i < KEYS; i++)
            {
                keys[i] = Workload.key(0, i);
            }
            final Value value = Value.of(Workload.value());
            for (int i = 0; i < WARM_UP; i++)
            {
                db.kv().put(run, keys[i % KEYS], value);
            }
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                final long before = System.nanoTime();
                db.kv().put(run, keys[i % KEYS], value);
                latencies[i] = System.nanoTime() - before;
            }
            elapsed = System.nanoTime() - start;
        }
        finally
        {
            TempDirectories.delete(root);
        }
        print(mode, latencies, elapsed);
    }

    private static void print(final DurabilityMode mode, final long[] latencies, final long elapsedNs)
    {
        long overOne = 0;
        long overTen = 0;
        for (final long latency : latencies)
        {
            overOne += latency > MILLISECOND_NS ? 1 : 0;
            overTen += latency > 10 * MILLISECOND_NS ? 1 : 0;
        }
        final long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "mode=%s puts=%d ops/s=%.0f p50=%.1f p99=%.1f p99.9=%.1f p99.99=%.1f max=%.1f us"
            + " over1ms=%d over10ms=%d%n", mode, sorted.length, sorted.length * 1e9 / elapsedNs,
            micros(sorted, 0.5), micros(sorted, 0.99), micros(sorted, 0.999), micros(sorted, 0.9999),
            sorted[sorted.length - 1] / 1e3, overOne, overTen);
    }

    private static double micros(final long[] sorted, final double quantile)
    {
        return sorted[(int)Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e3;
    }
}
