/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmarks {@code tally bench} runs: which JMH benchmark and parameters measure which engine on which workload,
 * the JMH options of the quick and the full set, and the JMH invocations that run exactly those parameter
 * combinations. Immutable; any thread.
 */
final class BenchSet
{
    /** Package of the benchmarks in the shaded jar. */
    static final String PACKAGE = "dev.tally.jmh.";
    /** The engine name of every Tally row; every other engine is a peer. */
    static final String TALLY = "Tally";
    /** The Tally call that the ratios of a workload divide by the peer's figure. */
    static final String HEADLINE_PREFIX = "KV put";

    /** The workloads, in the order the report shows them. */
    static final List<Workload> WORKLOADS = List.of(
        new Workload("durable-put-1t", "durable put, 1 thread"),
        new Workload("durable-put-4t", "durable put, 4 threads"),
        new Workload("non-durable-put-1t", "non-durable put, 1 thread"),
        new Workload("in-memory-put-1t", "in-memory put, 1 thread"));

    private static final String KV_PUT = "engine.KvBenchmark.put";
    private static final String KV_PUT4 = "engine.KvBenchmark.put4";
    private static final String APPEND = "wal.AppendBenchmark.append";
    private static final String APPEND4 = "wal.AppendBenchmark.append4";
    private static final String CAS = "engine.StateCellsBenchmark.cas";
    private static final String CAS4 = "engine.StateCellsBenchmark.cas4";
    private static final String ROCKS = "peers.RocksDbPutBenchmark.put";
    private static final String ROCKS4 = "peers.RocksDbPutBenchmark.put4";
    private static final String CHRONICLE = "peers.ChronicleQueueAppendBenchmark.append";
    private static final String SQLITE = "peers.SqlitePutBenchmark.put";
    private static final String H2 = "peers.H2MvStorePutBenchmark.put";
    private static final String FLOOR_FORCE = "wal.FloorBenchmark.mmapForce";
    private static final String FLOOR_CRC = "wal.FloorBenchmark.mmapCrc";

    private final String name;
    private final List<Case> cases;
    private final List<String> jmhOptions;
    private final String expectedDuration;

    private BenchSet(final String name, final List<Case> cases, final List<String> jmhOptions,
        final String expectedDuration)
    {
        this.name = name;
        this.cases = List.copyOf(cases);
        this.jmhOptions = List.copyOf(jmhOptions);
        this.expectedDuration = expectedDuration;
    }

    /** A workload: a stable id for JSON keys and a title for people. */
    record Workload(String id, String title)
    {
    }

    /**
     * One row of the report: an engine in a mode on a workload, measured by one JMH benchmark method with these
     * parameters (every {@code @Param} of its class).
     */
    record Case(String workload, String engine, String mode, int threads, String benchmark, Map<String, String> params)
    {
        Case
        {
            params = Map.copyOf(params);
        }

        boolean isTally()
        {
            return TALLY.equals(engine);
        }

        boolean isHeadline()
        {
            return isTally() && mode.startsWith(HEADLINE_PREFIX);
        }

        /** Whether a JMH result of this benchmark with these parameters is this case's. */
        boolean matches(final String resultBenchmark, final Map<String, String> resultParams)
        {
            return benchmark.equals(resultBenchmark) && params.equals(resultParams);
        }

        String label()
        {
            return engine + " " + mode;
        }
    }

    /** One run of the benchmarks jar: an include pattern and the {@code -p} arguments for its benchmarks. */
    record Invocation(String include, List<String> paramArguments, List<String> benchmarks)
    {
    }

    /**
     * The quick set: every headline workload for Tally and each peer, one warm-up and one measured second in each
     * of the two modes, about two minutes on two cores.
     *
     * @return the set.
     */
    static BenchSet quick()
    {
        return new BenchSet("quick", headlineCases(false),
            List.of("-f", "1", "-wi", "1", "-w", "1s", "-i", "1", "-r", "1s", "-bm", "thrpt,sample"),
            "about 2 minutes");
    }

    /**
     * The full set, for published figures: the quick set plus the 4-thread append and CAS and the other floors,
     * three warm-up iterations of 2 s and five measured of 4 s in each mode.
     *
     * @return the set.
     */
    static BenchSet full()
    {
        return new BenchSet("full", headlineCases(true),
            List.of("-f", "1", "-wi", "3", "-w", "2s", "-i", "5", "-r", "4s", "-bm", "thrpt,sample"),
            "about 20 minutes");
    }

    private static List<Case> headlineCases(final boolean isFull)
    {
        final List<Case> cases = new ArrayList<>();
        final String d1 = WORKLOADS.get(0).id();
        final String d4 = WORKLOADS.get(1).id();
        final String nd = WORKLOADS.get(2).id();
        final String mem = WORKLOADS.get(3).id();
        cases.add(tally(d1, "KV put, Strict", 1, KV_PUT, "STRICT"));
        cases.add(tally(d1, "event append, Strict", 1, APPEND, "STRICT"));
        cases.add(tally(d1, "CAS, Strict", 1, CAS, "STRICT"));
        cases.add(peer(d1, "RocksDB", "put, sync=true", 1, ROCKS, "sync", "true"));
        cases.add(peer(d1, "Chronicle Queue", "append + msync (SYNC)", 1, CHRONICLE, "mode", "SYNC"));
        cases.add(peer(d1, "SQLite", "WAL, synchronous=FULL", 1, SQLITE, "synchronous", "FULL"));
        cases.add(peer(d1, "H2 MVStore", "commit + sync", 1, H2, "mode", "COMMIT_SYNC"));
        cases.add(peer(d1, "floor", "mmap + msync, sparse file", 1, FLOOR_FORCE, "file", "SPARSE"));
        if (isFull)
        {
            cases.add(peer(d1, "floor", "mmap + msync, zero-filled file", 1, FLOOR_FORCE, "file", "ZEROS"));
        }
        cases.add(tally(d4, "KV put, Strict", 4, KV_PUT4, "STRICT"));
        if (isFull)
        {
            cases.add(tally(d4, "event append, Strict", 4, APPEND4, "STRICT"));
            cases.add(tally(d4, "CAS, Strict", 4, CAS4, "STRICT"));
        }
        cases.add(peer(d4, "RocksDB", "put, sync=true", 4, ROCKS4, "sync", "true"));
        cases.add(tally(nd, "KV put, Buffered", 1, KV_PUT, "BUFFERED"));
        cases.add(tally(nd, "event append, Buffered", 1, APPEND, "BUFFERED"));
        cases.add(peer(nd, "RocksDB", "put, sync=false", 1, ROCKS, "sync", "false"));
        cases.add(peer(nd, "Chronicle Queue", "append (raw)", 1, CHRONICLE, "mode", "RAW"));
        cases.add(peer(nd, "SQLite", "WAL, synchronous=NORMAL", 1, SQLITE, "synchronous", "NORMAL"));
        cases.add(peer(nd, "H2 MVStore", "auto-commit", 1, H2, "mode", "AUTO_COMMIT"));
        if (isFull)
        {
            cases.add(peer(nd, "floor", "mmap + CRC, no force", 1, FLOOR_CRC, "file", "SPARSE"));
        }
        cases.add(tally(mem, "KV put, InMemory", 1, KV_PUT, "IN_MEMORY"));
        if (isFull)
        {
            cases.add(tally(mem, "event append, InMemory", 1, APPEND, "IN_MEMORY"));
        }
        cases.add(peer(mem, "H2 MVStore", "in-memory", 1, H2, "mode", "IN_MEMORY"));
        return cases;
    }

    private static Case tally(final String workload, final String mode, final int threads, final String benchmark,
        final String durability)
    {
        return new Case(workload, TALLY, mode, threads, PACKAGE + benchmark, Map.of("mode", durability));
    }

    private static Case peer(final String workload, final String engine, final String mode, final int threads,
        final String benchmark, final String param, final String value)
    {
        return new Case(workload, engine, mode, threads, PACKAGE + benchmark, Map.of(param, value));
    }

    /**
     * A set of the given cases with the given JMH options, for tests.
     *
     * @param cases      the rows.
     * @param jmhOptions the options passed before the include pattern.
     * @return the set.
     */
    static BenchSet of(final List<Case> cases, final List<String> jmhOptions)
    {
        return new BenchSet("custom", cases, jmhOptions, "unknown");
    }

    /** The title of a workload id, or the id when it names none. */
    static String title(final String workloadId)
    {
        for (final Workload workload : WORKLOADS)
        {
            if (workload.id().equals(workloadId))
            {
                return workload.title();
            }
        }
        return workloadId;
    }

    String name()
    {
        return name;
    }

    List<Case> cases()
    {
        return cases;
    }

    List<String> jmhOptions()
    {
        return jmhOptions;
    }

    String expectedDuration()
    {
        return expectedDuration;
    }

    /** The JMH runs, one per benchmark each JMH mode measures: the cases times the modes of {@code -bm}. */
    int runCount()
    {
        final int index = jmhOptions.indexOf("-bm");
        final int modes = index < 0 ? 2 : jmhOptions.get(index + 1).split(",").length;
        return cases.size() * modes;
    }

    /**
     * The fewest JMH invocations that run exactly the cases' parameter combinations: {@code -p name=v1,v2} applies
     * to every included benchmark with a parameter of that name, and several classes share the name {@code mode}
     * with different values, so benchmarks share an invocation only when they want the same values for every
     * parameter name they have in common.
     *
     * @return the invocations, in the order of the cases.
     */
    List<Invocation> invocations()
    {
        final Map<String, Map<String, Set<String>>> wanted = new LinkedHashMap<>();
        for (final Case benchCase : cases)
        {
            final Map<String, Set<String>> params = wanted.computeIfAbsent(benchCase.benchmark(),
                b -> new LinkedHashMap<>());
            for (final Map.Entry<String, String> param : benchCase.params().entrySet())
            {
                params.computeIfAbsent(param.getKey(), k -> new LinkedHashSet<>()).add(param.getValue());
            }
        }
        final List<Map<String, Set<String>>> groupParams = new ArrayList<>();
        final List<List<String>> groupBenchmarks = new ArrayList<>();
        for (final Map.Entry<String, Map<String, Set<String>>> benchmark : wanted.entrySet())
        {
            int group = 0;
            while (group < groupParams.size() && !fits(groupParams.get(group), benchmark.getValue()))
            {
                group++;
            }
            if (group == groupParams.size())
            {
                groupParams.add(new LinkedHashMap<>());
                groupBenchmarks.add(new ArrayList<>());
            }
            groupParams.get(group).putAll(benchmark.getValue());
            groupBenchmarks.get(group).add(benchmark.getKey());
        }
        final List<Invocation> invocations = new ArrayList<>();
        for (int group = 0; group < groupParams.size(); group++)
        {
            final List<String> quoted = new ArrayList<>();
            for (final String benchmark : groupBenchmarks.get(group))
            {
                quoted.add(benchmark.replace(".", "\\."));
            }
            final List<String> paramArguments = new ArrayList<>();
            for (final Map.Entry<String, Set<String>> param : groupParams.get(group).entrySet())
            {
                paramArguments.add("-p");
                paramArguments.add(param.getKey() + "=" + String.join(",", param.getValue()));
            }
            invocations.add(new Invocation("^(" + String.join("|", quoted) + ")$", paramArguments,
                groupBenchmarks.get(group)));
        }
        return invocations;
    }

    private static boolean fits(final Map<String, Set<String>> group, final Map<String, Set<String>> benchmark)
    {
        for (final Map.Entry<String, Set<String>> param : benchmark.entrySet())
        {
            final Set<String> existing = group.get(param.getKey());
            if (existing != null && !existing.equals(param.getValue()))
            {
                return false;
            }
        }
        return true;
    }
}
