/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the text output of a JMH child line by line: which benchmark run of how many is running, in which JMH mode
 * and phase, and which runs failed and why. Counts runs across several invocations of the benchmarks jar. Used by
 * one thread, the one that reads the child's output.
 */
final class JmhOutput
{
    private static final int TAIL_LINES = 60;

    private final BenchSet set;
    private final int total;
    private final List<String> failures = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private int runIndex;
    private String mode = "";
    private String benchmark = "";
    private Map<String, String> params = Map.of();
    private String phase = "";
    private boolean isAwaitingFailureCause;

    JmhOutput(final BenchSet set, final int total)
    {
        this.set = set;
        this.total = total;
    }

    /** What a line changed, for the progress display. */
    enum Change
    {
        /** Nothing worth showing. */
        NONE,
        /** A new benchmark run started. */
        RUN_STARTED,
        /** A warm-up or measured iteration of the current run started or ended. */
        PHASE
    }

    /**
     * Takes one line of the child's output.
     *
     * @param line the line, without its end.
     * @return what it changed.
     */
    Change accept(final String line)
    {
        tail.addLast(line);
        if (tail.size() > TAIL_LINES)
        {
            tail.removeFirst();
        }
        if (isAwaitingFailureCause && !line.isBlank())
        {
            isAwaitingFailureCause = false;
            failures.add(current() + ": " + line.strip());
            return Change.NONE;
        }
        if (line.startsWith("# Benchmark mode: "))
        {
            mode = line.startsWith("# Benchmark mode: Throughput") ? "throughput"
                : line.startsWith("# Benchmark mode: Sampling") ? "latency" : line.substring(18).strip();
        }
        else if (line.startsWith("# Benchmark: "))
        {
            benchmark = line.substring("# Benchmark: ".length()).strip();
            params = Map.of();
        }
        else if (line.startsWith("# Parameters: "))
        {
            params = parseParams(line.substring("# Parameters: ".length()).strip());
        }
        else if (line.startsWith("# Fork: 1 of"))
        {
            runIndex++;
            phase = "starting";
            return Change.RUN_STARTED;
        }
        else if (line.startsWith("# Warmup Iteration"))
        {
            phase = "warm-up " + iterationNumber(line.substring("# Warmup Iteration".length()));
            return Change.PHASE;
        }
        else if (line.startsWith("Iteration "))
        {
            phase = "measuring " + iterationNumber(line.substring("Iteration".length()));
            return Change.PHASE;
        }
        else if (line.startsWith("<failure>"))
        {
            isAwaitingFailureCause = true;
        }
        else if (line.startsWith("<forked VM failed"))
        {
            failures.add(current() + ": " + line.strip());
        }
        return Change.NONE;
    }

    private static String iterationNumber(final String rest)
    {
        final String trimmed = rest.strip();
        final int colon = trimmed.indexOf(':');
        return colon < 0 ? trimmed : trimmed.substring(0, colon);
    }

    static Map<String, String> parseParams(final String text)
    {
        final Map<String, String> params = new TreeMap<>();
        final String inner = text.startsWith("(") && text.endsWith(")") ? text.substring(1, text.length() - 1) : text;
        for (final String pair : inner.split(","))
        {
            final int equals = pair.indexOf('=');
            if (equals > 0)
            {
                params.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
        return params;
    }

    /** The current run as people read it: {@code Tally KV put, Strict (durable put, 1 thread), throughput}. */
    String current()
    {
        for (final BenchSet.Case benchCase : set.cases())
        {
            if (benchCase.matches(benchmark, params))
            {
                return benchCase.label() + " (" + BenchSet.title(benchCase.workload()) + "), " + mode;
            }
        }
        final String shortName = benchmark.startsWith(BenchSet.PACKAGE)
            ? benchmark.substring(BenchSet.PACKAGE.length()) : benchmark;
        return shortName + (params.isEmpty() ? "" : " " + params) + ", " + mode;
    }

    /** The progress line: {@code [ 5/36] Tally KV put, Strict (durable put, 1 thread), throughput: warm-up 1}. */
    String status()
    {
        final int width = Integer.toString(total).length();
        return String.format(Locale.ROOT, "[%" + width + "d/%d] %s: %s", runIndex, total, current(), phase);
    }

    int runIndex()
    {
        return runIndex;
    }

    List<String> failures()
    {
        return List.copyOf(failures);
    }

    /** The last lines of output, for an error that JMH did not attribute to a run. */
    List<String> tail()
    {
        return List.copyOf(tail);
    }
}
