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

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Heap held by an in-memory database for one million keys of 16 bytes with 100-byte values, as a ratio to the raw
 * bytes (1,000,000 x 116). Used heap comes from the {@link MemoryMXBean} after repeated {@link System#gc()}, before
 * and after the puts; the per-class breakdown is the difference of two class histograms (the same as {@code
 * GC.class_histogram}), each taken after a full collection. Run it alone, with a fixed heap:
 * <pre>
 *   java -Xms4g -Xmx4g -cp benchmarks.jar dev.tally.jmh.engine.HeapFootprint [count [mode]]
 * </pre>
 * The mode defaults to {@link DurabilityMode#IN_MEMORY}, the target case; {@code BUFFERED} shows the same data
 * without what only an in-memory database keeps (its run history).
 * Keys and values are made per put and not kept by the caller, so only what the database retains is counted.
 */
public final class HeapFootprint
{
    private static final int KEY_LENGTH = 16;
    private static final int VALUE_LENGTH = 100;
    private static final int DEFAULT_COUNT = 1_000_000;
    private static final int GC_ROUNDS = 5;
    private static final int TOP_CLASSES = 15;

    private HeapFootprint()
    {
    }

    /**
     * Runs the measurement and prints the result.
     *
     * @param args an optional key count.
     * @throws Exception when the histogram cannot be taken.
     */
    public static void main(final String[] args) throws Exception
    {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_COUNT;
        final DurabilityMode mode = args.length > 1 ? DurabilityMode.valueOf(args[1]) : DurabilityMode.IN_MEMORY;
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final SplittableRandom random = new SplittableRandom(42);
        final Path root = TempDirectories.create("tally-heap");
        try (Database db = TempDirectories.open(mode, root.resolve("db")))
        {
            final RunId run = RunId.random();
            db.beginRun(run);
            // Warm the put path so that class loading and JIT data do not count as entries.
            db.kv().put(run, Workload.key(98, 0), Value.of(new byte[VALUE_LENGTH]));
            final long before = usedAfterGc(memory);
            final Map<String, long[]> histogramBefore = histogram();
            for (int i = 0; i < count; i++)
            {
                final byte[] bytes = new byte[VALUE_LENGTH];
                random.nextBytes(bytes);
                db.kv().put(run, Workload.key(0, i), Value.of(bytes));
            }
            final long after = usedAfterGc(memory);
            final Map<String, long[]> histogramAfter = histogram();
            System.out.printf(Locale.ROOT, "mode               %s%n", mode);
            report(count, before, after, histogramBefore, histogramAfter);
            if (db.kv().get(run, Workload.key(0, count - 1)).isEmpty())
            {
                throw new IllegalStateException("last key missing");
            }
        }
        finally
        {
            TempDirectories.delete(root);
        }
    }

    private static void report(final int count, final long before, final long after,
        final Map<String, long[]> histogramBefore, final Map<String, long[]> histogramAfter)
    {
        final long raw = (long)count * (KEY_LENGTH + VALUE_LENGTH);
        final long held = after - before;
        System.out.printf(Locale.ROOT, "entries            %,d (key %d bytes, value %d bytes)%n", count, KEY_LENGTH,
            VALUE_LENGTH);
        System.out.printf(Locale.ROOT, "raw bytes          %,d%n", raw);
        System.out.printf(Locale.ROOT, "used heap before   %,d%n", before);
        System.out.printf(Locale.ROOT, "used heap after    %,d%n", after);
        System.out.printf(Locale.ROOT, "held               %,d (%.1f bytes per entry)%n", held, (double)held / count);
        System.out.printf(Locale.ROOT, "ratio              %.2f x raw (target <= 2.50)%n", (double)held / raw);
        final List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (final Map.Entry<String, long[]> entry : histogramAfter.entrySet())
        {
            final long[] was = histogramBefore.getOrDefault(entry.getKey(), new long[2]);
            final long[] now = entry.getValue();
            grown.add(Map.entry(entry.getKey(), new long[] {now[0] - was[0], now[1] - was[1]}));
        }
        grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        System.out.printf(Locale.ROOT, "%-60s %14s %14s %10s%n", "class (histogram difference)", "instances", "bytes",
            "per entry");
        long listed = 0;
        for (int i = 0; i < Math.min(TOP_CLASSES, grown.size()); i++)
        {
            final Map.Entry<String, long[]> entry = grown.get(i);
            listed += entry.getValue()[1];
            System.out.printf(Locale.ROOT, "%-60s %,14d %,14d %10.1f%n", entry.getKey(), entry.getValue()[0],
                entry.getValue()[1], (double)entry.getValue()[1] / count);
        }
        System.out.printf(Locale.ROOT, "%-60s %14s %,14d %10.1f%n", "listed total", "", listed, (double)listed / count);
    }

    private static long usedAfterGc(final MemoryMXBean memory) throws InterruptedException
    {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < GC_ROUNDS; i++)
        {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static Map<String, long[]> histogram() throws JMException
    {
        final Object text = ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {null}, new String[] {String[].class.getName()});
        final Map<String, long[]> classes = new HashMap<>();
        for (final String line : ((String)text).split("\n"))
        {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":"))
            {
                classes.put(fields[3], new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
            }
        }
        return classes;
    }
}
