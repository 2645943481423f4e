/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.testing.Seeds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the cases of one crash test group, counts cases and failures, prints {@code group X: cases=N failures=F} and
 * records the figures; in the full tier ({@code -Dtally.tier=full}) it also rewrites {@code docs/RELIABILITY.md}
 * from every figure recorded so far. A case is named by a {@code long}: its seed for randomized cases, its index for
 * exhaustive ones. {@code -Dtests.seed=<id>} runs that one case alone.
 */
public final class Figures
{
    /** Whether the full tier runs. */
    public static final boolean FULL = "full".equalsIgnoreCase(System.getProperty("tally.tier"));
    /** The command that runs the full tier. */
    public static final String FULL_COMMAND = "mvn -pl tests -am verify -Pcrash -Dtally.tier=full";

    private static final Path FIGURES = Path.of("target", "crash-figures");

    private Figures()
    {
    }

    /** One case: returns {@code null} when it passes, or what failed. */
    @FunctionalInterface
    public interface Case
    {
        /**
         * Runs the case.
         *
         * @param id the seed or index.
         * @return {@code null}, or the failure.
         * @throws Exception when the case fails unexpectedly (counted as a failure).
         */
        String run(long id) throws Exception;
    }

    /**
     * Picks the short or the full count.
     *
     * @param shortCount the short tier's count.
     * @param fullCount  the full tier's count.
     * @return the count for this run.
     */
    public static int count(final int shortCount, final int fullCount)
    {
        return FULL ? fullCount : shortCount;
    }

    /**
     * Runs seeded cases: seeds derived from a random base, or only {@code -Dtests.seed}.
     *
     * @param group   the group letter and label, e.g. {@code "B power loss"}.
     * @param cases   how many cases.
     * @param threads how many cases run at once.
     * @param body    the case.
     */
    public static void seeded(final String group, final int cases, final int threads, final Case body)
    {
        final long base = ThreadLocalRandom.current().nextLong();
        run(group, cases, threads, base, i -> mix(base + i), body);
    }

    /**
     * Runs indexed cases 0 to {@code cases - 1}, or only {@code -Dtests.seed} as an index.
     *
     * @param group   the group letter and label.
     * @param cases   how many cases.
     * @param threads how many cases run at once.
     * @param body    the case.
     */
    public static void indexed(final String group, final int cases, final int threads, final Case body)
    {
        run(group, cases, threads, 0, i -> i, body);
    }

    private static void run(final String group, final int cases, final int threads, final long base,
        final java.util.function.LongUnaryOperator ids, final Case body)
    {
        final boolean single = Seeds.given().isPresent();
        final int total = single ? 1 : cases;
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong failureCount = new AtomicLong();
        final long start = System.nanoTime();
        final ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try
        {
            pool.submit(() -> LongStream.range(0, total).parallel().forEach(i ->
            {
                final long id = single ? Seeds.given().getAsLong() : ids.applyAsLong(i);
                String failure;
                try
                {
                    failure = body.run(id);
                }
                catch (final Throwable ex)
                {
                    failure = "unexpected " + ex;
                    if (failureCount.get() < 3)
                    {
                        ex.printStackTrace(System.out);
                    }
                }
                if (failure != null)
                {
                    failureCount.incrementAndGet();
                    if (failures.size() < 20)
                    {
                        failures.add("group " + group + " case failed: " + Seeds.describe(id) + ": " + failure);
                    }
                }
            })).get();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        finally
        {
            pool.shutdown();
        }
        final long millis = (System.nanoTime() - start) / 1_000_000;
        failures.forEach(System.out::println);
        final String letter = group.substring(0, 1);
        final String line = "group " + letter + ": cases=" + total + " failures=" + failureCount.get();
        System.out.println(line + " (" + group + ", tier=" + (FULL ? "full" : "short") + ", baseSeed=" + base +
            ", " + millis + " ms)");
        if (!single)
        {
            record(group, total, failureCount.get(), base, millis);
        }
        assertEquals(0, failureCount.get(), line + ": " + String.join("\n", failures));
    }

    /**
     * Records one figure line and, in the full tier, rewrites the reliability report.
     *
     * @param group    the group letter and label.
     * @param cases    cases run.
     * @param failures failures.
     * @param seed     the base seed, or 0 for exhaustive groups.
     * @param millis   the wall time.
     */
    public static synchronized void record(final String group, final long cases, final long failures,
        final long seed, final long millis)
    {
        try
        {
            Files.createDirectories(FIGURES);
            final String tier = FULL ? "full" : "short";
            final String line = String.join("\t", tier, group, Long.toString(cases), Long.toString(failures),
                Long.toString(seed), Long.toString(millis), LocalDate.now().toString());
            Files.writeString(FIGURES.resolve(tier + "-" + group.replaceAll("[^A-Za-z0-9]+", "_") + ".tsv"),
                line + "\n", StandardCharsets.UTF_8);
            if (FULL)
            {
                writeReport();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeReport() throws IOException
    {
        final Path docs = Path.of("").toAbsolutePath().getParent().resolve("docs");
        if (!Files.isDirectory(docs))
        {
            return;
        }
        final List<String> full = rows("full-");
        final List<String> quick = rows("short-");
        final StringBuilder out = new StringBuilder();
        out.append("# Reliability figures\n\n");
        out.append("Produced by the crash and fault-injection groups in `tests` (package `dev.tally.tests.crash`).\n");
        out.append("The full tier runs with:\n\n```\n").append(FULL_COMMAND).append("\n```\n\n");
        out.append("and the short tier with the default suite (`mvn -pl tests -am verify`). Each run rewrites this\n")
            .append("file from the figures it recorded; a group missing from the full-tier table did not run in\n")
            .append("the full tier.\n\n");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
            .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
            .append(", Java ").append(System.getProperty("java.version")).append(".\n\n");
        out.append("Every group applies the same pass criteria (no acknowledged write lost, nothing invented, no\n")
            .append("partial transaction, the recovered state a prefix of the committed history, no corrupt frame\n")
            .append("accepted, no failed open where recovery should succeed, no false success after a failed force,\n")
            .append("no unexpected exception type, no byte written for a rejected input). A failing case prints its\n")
            .append("seed (or case number); `-Dtests.seed=<seed>` reruns it alone. The seed column is the base seed\n")
            .append("the case seeds were derived from (0 for exhaustive groups).\n\n");
        out.append("## Full tier\n\n");
        table(out, full);
        out.append("\n## Short tier (default suite)\n\n");
        table(out, quick);
        final Path notes = docs.resolve("RELIABILITY-notes.md");
        if (Files.exists(notes))
        {
            out.append("\n").append(Files.readString(notes));
        }
        Files.writeString(docs.resolve("RELIABILITY.md"), out.toString(), StandardCharsets.UTF_8);
    }

    private static List<String> rows(final String prefix) throws IOException
    {
        final List<String> rows = new ArrayList<>();
        try (var files = Files.list(FIGURES))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (file.getFileName().toString().startsWith(prefix))
                {
                    rows.add(Files.readString(file).trim());
                }
            }
        }
        Collections.sort(rows);
        return rows;
    }

    private static void table(final StringBuilder out, final List<String> rows)
    {
        out.append("| Group | Cases | Failures | Seed | Time (s) | Date |\n|---|---:|---:|---:|---:|---|\n");
        for (final String row : rows)
        {
            final String[] f = row.split("\t");
            out.append("| ").append(f[1]).append(" | ").append(f[2]).append(" | ").append(f[3]).append(" | ")
                .append(f[4]).append(" | ").append(String.format("%.1f", Long.parseLong(f[5]) / 1000.0))
                .append(" | ").append(f[6]).append(" |\n");
        }
    }

    /**
     * A 64-bit mix (SplitMix64 finalizer), so that neighbouring case numbers get unrelated seeds.
     *
     * @param value the input.
     * @return the mixed value.
     */
    public static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
