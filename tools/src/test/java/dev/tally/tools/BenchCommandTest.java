/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;

import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: {@code tally bench} turns JMH's JSON result into the right figures, table, JSON document and plot, and fails
 * with the documented exit codes. Method: the test writes a JMH result file itself, in JMH's format, with figures
 * derived from each case's position in the quick set (some in other units than the benchmarks use), runs the command
 * on it with {@code --results}, and checks every figure against the same derivation. No benchmark runs here; the real
 * quick run is {@code BenchQuickRunTest}, tagged slow. Nothing is random.
 */
@Timeout(60)
class BenchCommandTest
{
    /** Throughput of case {@code i} in ops/s; the file gives it in ops/us, ops/ms for every third case. */
    private static double opsPerSec(final int i)
    {
        return 1_000.0 * (i + 1) * (i + 1);
    }

    private static double p50Us(final int i)
    {
        return 1.5 * (i + 1);
    }

    private static double p99Us(final int i)
    {
        return 10.0 * (i + 1);
    }

    private static double p999Us(final int i)
    {
        return 100.0 * (i + 1);
    }

    /** The JMH result array for the quick set, plus a run of a benchmark outside it that must be ignored. */
    static JsonArray jmhResults(final BenchSet set, final int skippedCase)
    {
        final JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        final List<BenchSet.Case> cases = set.cases();
        for (int i = 0; i < cases.size(); i++)
        {
            if (i == skippedCase)
            {
                continue;
            }
            final BenchSet.Case benchCase = cases.get(i);
            final boolean isMillis = i % 3 == 0;
            final double score = isMillis ? opsPerSec(i) / 1e3 : opsPerSec(i) / 1e6;
            array.add(result(benchCase.benchmark(), benchCase.threads(), benchCase.params(), "thrpt",
                Json.object().add("score", score).add("scoreError", "NaN")
                    .add("scorePercentiles", Json.object().add("50.0", score).add("99.0", score))
                    .add("scoreUnit", isMillis ? "ops/ms" : "ops/us")));
            final boolean isNanos = i % 4 == 1;
            final double unit = isNanos ? 1e3 : 1;
            array.add(result(benchCase.benchmark(), benchCase.threads(), benchCase.params(), "sample",
                Json.object().add("score", 2 * p50Us(i) * unit).add("scoreError", 0.5)
                    .add("scorePercentiles", Json.object().add("0.0", 0.1).add("50.0", p50Us(i) * unit)
                        .add("90.0", 5.0 * unit).add("99.0", p99Us(i) * unit).add("99.9", p999Us(i) * unit)
                        .add("100.0", 1e6))
                    .add("scoreUnit", isNanos ? "ns/op" : "us/op")));
        }
        array.add(result(BenchSet.PACKAGE + "engine.KvBenchmark.get", 1, Map.of("mode", "STRICT"), "thrpt",
            Json.object().add("score", 99.0).add("scoreUnit", "ops/us")
                .add("scorePercentiles", Json.object().add("50.0", 99.0))));
        return array.build();
    }

    private static JsonObject result(final String benchmark, final int threads, final Map<String, String> params,
        final String mode, final JsonObjectBuilder metric)
    {
        final JsonObjectBuilder paramObject = Json.object();
        params.forEach(paramObject::add);
        return Json.object().add("jmhVersion", "1.37").add("benchmark", benchmark).add("mode", mode)
            .add("threads", threads).add("forks", 1).add("jdkVersion", "17.0.15").add("params", paramObject)
            .add("primaryMetric", metric).add("secondaryMetrics", Json.object()).build();
    }

    private static Path writeResults(final Path dir, final JsonArray results) throws Exception
    {
        final Path file = dir.resolve("jmh-result.json");
        Files.writeString(file, results.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static int index(final List<BenchSet.Case> cases, final String workload, final String engine,
        final String mode)
    {
        for (int i = 0; i < cases.size(); i++)
        {
            final BenchSet.Case benchCase = cases.get(i);
            if (benchCase.workload().equals(workload) && benchCase.engine().equals(engine)
                && benchCase.mode().equals(mode))
            {
                return i;
            }
        }
        throw new AssertionError("no case " + engine + " " + mode + " in " + workload);
    }

    /** The ratios the report must compute: Tally's KV put over each peer row, per workload. */
    private static Map<String, Map<String, Double>> expectedRatios(final List<BenchSet.Case> cases)
    {
        final Map<String, Map<String, Double>> ratios = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++)
        {
            final BenchSet.Case peer = cases.get(i);
            if (peer.isTally())
            {
                continue;
            }
            int headline = -1;
            for (int j = 0; j < cases.size(); j++)
            {
                if (cases.get(j).workload().equals(peer.workload()) && cases.get(j).isHeadline())
                {
                    headline = j;
                }
            }
            ratios.computeIfAbsent(peer.workload(), w -> new LinkedHashMap<>())
                .put(peer.engine(), Math.round(opsPerSec(headline) / opsPerSec(i) * 1000.0) / 1000.0);
        }
        return ratios;
    }

    @Test
    void shouldConvertUnitsAndComputeRatiosWhenBuildingTheReportFromJmhJson()
    {
        final BenchSet set = BenchSet.quick();
        final BenchReport report = BenchReport.build(set, jmhResults(set, -1), BenchMachine.describe("quick",
            java.time.Instant.parse("2026-12-03T12:00:00Z")));
        final List<BenchSet.Case> cases = set.cases();
        assertEquals(cases.size(), report.rows().size());
        for (int i = 0; i < cases.size(); i++)
        {
            final BenchReport.Row row = report.rows().get(i);
            assertEquals(cases.get(i), row.benchCase());
            assertEquals(opsPerSec(i), row.opsPerSec(), opsPerSec(i) * 1e-9, row::toString);
            assertEquals(p50Us(i), row.p50Us(), 1e-9, row::toString);
            assertEquals(p99Us(i), row.p99Us(), 1e-9, row::toString);
            assertEquals(p999Us(i), row.p999Us(), 1e-9, row::toString);
        }
        assertEquals(expectedRatios(cases), report.ratios());
        final int kv = index(cases, "durable-put-1t", "Tally", "KV put, Strict");
        final int rocks = index(cases, "durable-put-1t", "RocksDB", "put, sync=true");
        assertEquals(Math.round(opsPerSec(kv) / opsPerSec(rocks) * 1000.0) / 1000.0,
            report.ratios().get("durable-put-1t").get("RocksDB"));
        assertTrue(report.missing().isEmpty());
        assertEquals(5.0e5, BenchReport.unitSeconds("ops/us", true) * 5.0e11, 1e-3);
        assertEquals(1e-9, BenchReport.unitSeconds("ns/op", false));
    }

    @Test
    void shouldPrintEveryCaseWithItsFiguresAndRatioWhenGivenResults(@TempDir final Path dir) throws Exception
    {
        final BenchSet set = BenchSet.quick();
        final Path results = writeResults(dir, jmhResults(set, -1));
        final TallyFixtures.Result run = tally("bench", "--results", results.toString());
        assertEquals(0, run.code(), run::toString);
        final List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).contains("Tally/peer: Tally's KV put ops/s divided by the row's ops/s"), run::toString);
        assertTrue(lines.get(1).matches("engine +workload +mode +threads +ops/s +p50 µs +p99 µs +p99\\.9 µs "
            + "+Tally/peer"), lines.get(1));
        assertEquals(set.cases().size() + 2, lines.size(), run::toString);
        final Map<String, Map<String, Double>> ratios = expectedRatios(set.cases());
        for (int i = 0; i < set.cases().size(); i++)
        {
            final BenchSet.Case benchCase = set.cases().get(i);
            final String expectedRatio = benchCase.isTally() ? ""
                : String.format(Locale.ROOT, " +%.2f x", ratios.get(benchCase.workload()).get(benchCase.engine()));
            final String figures = " +" + String.format(Locale.ROOT, "%,.0f", opsPerSec(i)) + " +"
                + BenchReport.micros(p50Us(i)).replace(".", "\\.") + " +"
                + BenchReport.micros(p99Us(i)).replace(".", "\\.") + " +"
                + BenchReport.micros(p999Us(i)).replace(".", "\\.") + expectedRatio.replace(".", "\\.");
            final String prefix = benchCase.engine() + " ";
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(prefix) && line.contains(benchCase.mode())
                && line.matches(".* " + benchCase.threads() + figures)), () -> "no line for " + benchCase + " matching " + figures + "\n"
                + run.out());
        }
    }

    @Test
    void shouldWriteExactlyTheDocumentedJsonShapeWhenAskedForJson(@TempDir final Path dir) throws Exception
    {
        final BenchSet set = BenchSet.quick();
        final Path results = writeResults(dir, jmhResults(set, -1));
        final Path json = dir.resolve("bench.json");
        final TallyFixtures.Result run = tally("bench", "--results", results.toString(), "--json", json.toString());
        assertEquals(0, run.code(), run::toString);
        final JsonObject document = Json.PROVIDER.createReader(new StringReader(Files.readString(json)))
            .readObject();
        assertEquals(Set.of("machine", "results", "ratios"), document.keySet());
        final JsonObject machine = document.getJsonObject("machine");
        assertEquals(Runtime.getRuntime().availableProcessors(), machine.getInt("cpuCount"));
        assertFalse(machine.getString("cpuModel").isBlank());
        assertTrue(machine.getJsonNumber("memoryBytes").longValue() > 0);
        assertTrue(machine.getString("os").startsWith(System.getProperty("os.name")));
        assertTrue(machine.getString("jdk").contains(System.getProperty("java.runtime.version")));
        java.time.Instant.parse(machine.getString("date"));
        assertEquals("quick", machine.getString("set"));
        final JsonArray rows = document.getJsonArray("results");
        assertEquals(set.cases().size(), rows.size());
        for (int i = 0; i < rows.size(); i++)
        {
            final JsonObject row = rows.getJsonObject(i);
            final BenchSet.Case benchCase = set.cases().get(i);
            assertEquals(Set.of("engine", "workload", "mode", "threads", "opsPerSec", "p50Us", "p99Us", "p999Us"),
                row.keySet());
            assertEquals(benchCase.engine(), row.getString("engine"));
            assertEquals(benchCase.workload(), row.getString("workload"));
            assertEquals(benchCase.mode(), row.getString("mode"));
            assertEquals(benchCase.threads(), row.getInt("threads"));
            assertEquals(opsPerSec(i), row.getJsonNumber("opsPerSec").doubleValue(), opsPerSec(i) * 1e-9);
            assertEquals(p50Us(i), row.getJsonNumber("p50Us").doubleValue(), 1e-9);
            assertEquals(p99Us(i), row.getJsonNumber("p99Us").doubleValue(), 1e-9);
            assertEquals(p999Us(i), row.getJsonNumber("p999Us").doubleValue(), 1e-9);
        }
        final JsonObject ratios = document.getJsonObject("ratios");
        final Map<String, Map<String, Double>> expected = expectedRatios(set.cases());
        assertEquals(expected.keySet(), ratios.keySet());
        for (final Map.Entry<String, Map<String, Double>> workload : expected.entrySet())
        {
            final JsonObject peers = ratios.getJsonObject(workload.getKey());
            assertEquals(workload.getValue().keySet(), peers.keySet());
            workload.getValue().forEach((peer, ratio) ->
                assertEquals(ratio, peers.getJsonNumber(peer).doubleValue(), 1e-12, peer));
        }
        assertEquals(Set.of("RocksDB", "Chronicle Queue", "SQLite", "H2 MVStore", "floor"),
            ratios.getJsonObject("durable-put-1t").keySet());
    }

    @Test
    void shouldDrawABarAndLabelPerEngineAndWorkloadWhenAskedForAPlot(@TempDir final Path dir) throws Exception
    {
        final BenchSet set = BenchSet.quick();
        final Path results = writeResults(dir, jmhResults(set, -1));
        final Path svg = dir.resolve("bench.svg");
        final TallyFixtures.Result run = tally("bench", "--results", results.toString(), "--plot", svg.toString());
        assertEquals(0, run.code(), run::toString);
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        final Document document = factory.newDocumentBuilder().parse(svg.toFile());
        final Element root = document.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        final List<Element> rects = elements(document, "rect");
        final List<String> texts = new ArrayList<>();
        for (final Element text : elements(document, "text"))
        {
            texts.add(text.getTextContent());
        }
        for (int i = 0; i < set.cases().size(); i++)
        {
            final BenchSet.Case benchCase = set.cases().get(i);
            final List<Element> throughput = bars(rects, "bar throughput", benchCase);
            assertEquals(1, throughput.size(), benchCase::toString);
            assertEquals(opsPerSec(i), Double.parseDouble(throughput.get(0).getAttribute("data-value")), 0.1);
            final List<Element> latency = bars(rects, "bar latency", benchCase);
            assertEquals(List.of("p50", "p99", "p99.9"), latency.stream().map(e -> e.getAttribute("data-percentile"))
                .toList(), benchCase::toString);
            assertEquals(p999Us(i), Double.parseDouble(latency.get(2).getAttribute("data-value")), 1e-3);
            final String label = benchCase.engine() + " · " + benchCase.mode()
                + (benchCase.threads() > 1 ? " · " + benchCase.threads() + " threads" : "");
            assertEquals(2, texts.stream().filter(label::equals).count(), label);
            assertTrue(texts.contains(BenchReport.opsPerSec(opsPerSec(i))), benchCase::toString);
        }
        final double longest = rects.stream().filter(e -> "bar throughput".equals(e.getAttribute("class")))
            .filter(e -> "durable-put-1t".equals(e.getAttribute("data-workload")))
            .mapToDouble(e -> Double.parseDouble(e.getAttribute("width"))).max().orElseThrow();
        assertTrue(longest > 300 && longest <= 640, "the largest bar fills most of its axis: " + longest);
        for (final BenchSet.Workload workload : BenchSet.WORKLOADS)
        {
            assertTrue(texts.contains(workload.title() + ": throughput, ops/s"), workload::toString);
            assertTrue(texts.contains(workload.title() + ": latency p50 / p99 / p99.9, µs"), workload::toString);
        }
        assertEquals(4, texts.stream().filter("operations per second (ops/s)"::equals).count());
        assertEquals(4, texts.stream().filter("microseconds per operation (µs, log scale)"::equals).count());
        final Set<String> legendEngines = new HashSet<>();
        for (final Element rect : rects)
        {
            if ("legend".equals(rect.getAttribute("class")) && !rect.getAttribute("data-engine").isEmpty())
            {
                legendEngines.add(rect.getAttribute("data-engine"));
            }
        }
        assertEquals(Set.of("Tally", "RocksDB", "Chronicle Queue", "SQLite", "H2 MVStore", "floor"), legendEngines);
        assertTrue(texts.containsAll(List.of("p50", "p99", "p99.9")));
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("tally bench: Tally and its peers")));
    }

    private static List<Element> elements(final Document document, final String name)
    {
        final NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", name);
        final List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            elements.add((Element)nodes.item(i));
        }
        return elements;
    }

    private static List<Element> bars(final List<Element> rects, final String cssClass,
        final BenchSet.Case benchCase)
    {
        return rects.stream().filter(e -> cssClass.equals(e.getAttribute("class")))
            .filter(e -> benchCase.engine().equals(e.getAttribute("data-engine")))
            .filter(e -> benchCase.workload().equals(e.getAttribute("data-workload")))
            .filter(e -> benchCase.mode().equals(e.getAttribute("data-mode"))).toList();
    }

    @Test
    void shouldRunEachCaseExactlyOnceWhenSplittingTheSetIntoJmhInvocations()
    {
        for (final BenchSet set : List.of(BenchSet.quick(), BenchSet.full()))
        {
            final List<String> runs = new ArrayList<>();
            for (final BenchSet.Invocation invocation : set.invocations())
            {
                final Map<String, List<String>> values = new LinkedHashMap<>();
                for (int i = 0; i < invocation.paramArguments().size(); i += 2)
                {
                    assertEquals("-p", invocation.paramArguments().get(i));
                    final String[] pair = invocation.paramArguments().get(i + 1).split("=", 2);
                    values.put(pair[0], List.of(pair[1].split(",")));
                }
                final Pattern include = Pattern.compile(invocation.include());
                final Set<String> benchmarks = new TreeSet<>();
                for (final BenchSet.Case benchCase : set.cases())
                {
                    if (include.matcher(benchCase.benchmark()).find())
                    {
                        benchmarks.add(benchCase.benchmark());
                    }
                }
                for (final String benchmark : benchmarks)
                {
                    // As JMH does: every value given by -p for the benchmark's parameter (one each here).
                    final String param = set.cases().stream().filter(c -> c.benchmark().equals(benchmark))
                        .findFirst().orElseThrow().params().keySet().iterator().next();
                    for (final String value : values.get(param))
                    {
                        runs.add(benchmark + " " + param + "=" + value);
                    }
                }
            }
            final List<String> wanted = new ArrayList<>();
            for (final BenchSet.Case benchCase : set.cases())
            {
                assertEquals(1, benchCase.params().size(), benchCase::toString);
                benchCase.params().forEach((k, v) -> wanted.add(benchCase.benchmark() + " " + k + "=" + v));
            }
            assertEquals(new TreeSet<>(wanted), new TreeSet<>(runs), set.name());
            assertEquals(wanted.size(), runs.size(), "no case runs twice: " + runs);
            assertEquals(set.cases().size() * 2, set.runCount());
        }
        assertEquals(18, BenchSet.quick().cases().size());
        assertEquals(5, BenchSet.quick().invocations().size());
    }

    @Test
    void shouldNameTheRunAndItsCauseWhenJmhReportsAFailure()
    {
        final BenchSet set = BenchSet.quick();
        final JmhOutput output = new JmhOutput(set, set.runCount());
        final String[] lines = {"# JMH version: 1.37", "# Benchmark mode: Throughput, ops/time",
            "# Benchmark: dev.tally.jmh.peers.SqlitePutBenchmark.put", "# Parameters: (synchronous = FULL)", "",
            "# Run progress: 0.00% complete, ETA 00:00:04", "# Fork: 1 of 1"};
        JmhOutput.Change last = JmhOutput.Change.NONE;
        for (final String line : lines)
        {
            last = output.accept(line);
        }
        assertEquals(JmhOutput.Change.RUN_STARTED, last);
        assertEquals("[ 1/36] SQLite WAL, synchronous=FULL (durable put, 1 thread), throughput: starting",
            output.status());
        assertEquals(JmhOutput.Change.PHASE, output.accept("# Warmup Iteration   1: 0.012 ops/us"));
        assertTrue(output.status().endsWith("throughput: warm-up 1"), output.status());
        output.accept("<failure>");
        output.accept("");
        output.accept("java.lang.IllegalStateException: disk full");
        output.accept("\tat dev.tally.jmh.peers.SqlitePutBenchmark.put(SqlitePutBenchmark.java:1)");
        assertEquals(List.of("SQLite WAL, synchronous=FULL (durable put, 1 thread), throughput: "
            + "java.lang.IllegalStateException: disk full"), output.failures());
        output.accept("# Benchmark mode: Sampling time");
        output.accept("# Benchmark: dev.tally.jmh.engine.KvBenchmark.put4");
        output.accept("# Parameters: (mode = STRICT)");
        assertEquals(JmhOutput.Change.RUN_STARTED, output.accept("# Fork: 1 of 1"));
        assertEquals(JmhOutput.Change.PHASE, output.accept("Iteration   1: 12.5 ±(99.9%) 1.0 us/op"));
        assertEquals("[ 2/36] Tally KV put, Strict (durable put, 4 threads), latency: measuring 1", output.status());
    }

    @Test
    void shouldExitOneAndNameTheBenchmarkWhenAResultIsMissing(@TempDir final Path dir) throws Exception
    {
        final BenchSet set = BenchSet.quick();
        final int skipped = index(set.cases(), "non-durable-put-1t", "SQLite", "WAL, synchronous=NORMAL");
        final Path results = writeResults(dir, jmhResults(set, skipped));
        final Path json = dir.resolve("bench.json");
        final TallyFixtures.Result run = tally("bench", "--results", results.toString(), "--json", json.toString());
        assertEquals(1, run.code(), run::toString);
        assertTrue(run.err().contains("bench: benchmark failed: SQLite WAL, synchronous=NORMAL (non-durable put, 1 "
            + "thread): no result (dev.tally.jmh.peers.SqlitePutBenchmark.put {synchronous=NORMAL})"), run::toString);
        assertTrue(run.err().contains("tally bench: 1 failures (0 JMH runs, 1 cases without a result)"),
            run::toString);
        assertFalse(run.err().contains("\tat "), run::toString);
        final JsonObject document = Json.PROVIDER.createReader(new StringReader(Files.readString(json)))
            .readObject();
        assertEquals(set.cases().size() - 1, document.getJsonArray("results").size());
        assertEquals(Set.of("RocksDB", "Chronicle Queue", "H2 MVStore"),
            document.getJsonObject("ratios").getJsonObject("non-durable-put-1t").keySet());
    }

    @Test
    void shouldExitOneAndNameTheRunsWhenTheChildFails(@TempDir final Path dir) throws Exception
    {
        final Path notAJar = dir.resolve("benchmarks.jar");
        Files.writeString(notAJar, "not a jar");
        final TallyFixtures.Result run = tally("bench", "--jar", notAJar.toString());
        assertEquals(1, run.code(), run::toString);
        assertTrue(run.err().contains("bench: benchmark failed: JMH exited with 1 while running "
            + "[dev.tally.jmh.engine.KvBenchmark.put"), run::toString);
        assertTrue(run.err().contains("Invalid or corrupt jarfile"), run::toString);
        assertTrue(run.err().contains("bench: 23 failures (5 JMH runs, 18 cases without a result)"), run::toString);
    }

    @Test
    void shouldExitWithUsageWhenTheJarIsMissingOrAnArgumentIsWrong(@TempDir final Path dir) throws Exception
    {
        final TallyFixtures.Result missing = tally("bench", "--jar", dir.resolve("none.jar").toString());
        assertEquals(2, missing.code(), missing::toString);
        assertEquals(List.of("tally bench: the benchmarks jar is missing: " + dir.resolve("none.jar")
            + " (build it with: mvn -q -pl jmh -am package -DskipTests)"), missing.err().lines().toList());
        assertUsage(tally("bench", "--bogus"), "Unknown option: '--bogus'");
        assertUsage(tally("bench", "--plot"), "Missing required parameter for option '--plot'");
        assertUsage(tally("bench", "--plot", "--json"), "--plot");
        assertUsage(tally("bench", "--results", dir.resolve("absent.json").toString()), "--results: no such file");
        assertUsage(tally("bench", "--results", "--full"), "--results");
        final Path results = writeResults(dir, jmhResults(BenchSet.quick(), -1));
        assertUsage(tally("bench", "--results", results.toString(), "--json",
            dir.resolve("no/such/dir/out.json").toString()), "--json: no such directory");
        assertUsage(tally("bench", "--results", results.toString(), "--plot", dir.toString()),
            "--plot: a directory, not a file");
        final Path notJson = dir.resolve("text.json");
        Files.writeString(notJson, "{\"not\": \"an array\"}");
        assertUsage(tally("bench", "--results", notJson.toString()), "not a JMH JSON result");
        final TallyFixtures.Result dryRun = tally("bench", "--dry-run", "--jar", results.toString());
        assertEquals(0, dryRun.code(), dryRun::toString);
        assertEquals(BenchSet.quick().invocations().size(), dryRun.out().lines().count(), dryRun::toString);
        assertTrue(dryRun.out().lines().allMatch(l -> l.contains(" -jar ") && l.contains(" -rf json -rff ")
            && l.contains(" -f 1 -wi 1 -w 1s -i 1 -r 1s -bm thrpt,sample")), dryRun::toString);
        assertTrue(tally("bench", "--dry-run", "--full", "--jar", results.toString()).out()
            .contains(" -wi 3 -w 2s -i 5 -r 4s "));
    }

    private static void assertUsage(final TallyFixtures.Result result, final String message)
    {
        assertEquals(2, result.code(), result::toString);
        assertTrue(result.err().contains(message), result::toString);
        assertFalse(result.err().contains("\tat "), result::toString);
    }
}
