/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of one {@code tally bench} run, built from JMH's JSON result ({@code -rf json}) and the set that was
 * run: per case the throughput in ops/s (from the Throughput run) and the p50, p99 and p99.9 latency in µs (from the
 * SampleTime run of the same benchmark and parameters), and per workload the ratio of Tally's KV put to each peer.
 * Prints the table and writes the JSON document. Immutable once built; any thread.
 */
final class BenchReport
{
    private static final double MICROS_PER_SECOND = 1e6;

    private final BenchSet set;
    private final JsonObject machine;
    private final List<Row> rows;
    private final Map<String, Map<String, Double>> ratios;

    /** One case and its figures; {@code null} where the run did not measure that figure. */
    record Row(BenchSet.Case benchCase, Double opsPerSec, Double p50Us, Double p99Us, Double p999Us)
    {
        boolean isMeasured()
        {
            return opsPerSec != null || p50Us != null;
        }
    }

    private BenchReport(final BenchSet set, final JsonObject machine, final List<Row> rows,
        final Map<String, Map<String, Double>> ratios)
    {
        this.set = set;
        this.machine = machine;
        this.rows = List.copyOf(rows);
        this.ratios = ratios;
    }

    /**
     * Builds the report from JMH's JSON result.
     *
     * @param set     the set that was run: its cases are the rows, in order.
     * @param results JMH's result array; results of benchmarks outside the set are ignored.
     * @param machine the machine and run description.
     * @return the report.
     */
    static BenchReport build(final BenchSet set, final JsonArray results, final JsonObject machine)
    {
        final List<Row> rows = new ArrayList<>();
        for (final BenchSet.Case benchCase : set.cases())
        {
            Double opsPerSec = null;
            Double p50 = null;
            Double p99 = null;
            Double p999 = null;
            for (final JsonValue value : results)
            {
                final JsonObject result = value.asJsonObject();
                if (!benchCase.matches(result.getString("benchmark", ""), params(result)))
                {
                    continue;
                }
                final JsonObject metric = result.getJsonObject("primaryMetric");
                final String unit = metric.getString("scoreUnit", "");
                final String mode = result.getString("mode", "");
                if ("thrpt".equals(mode))
                {
                    opsPerSec = number(metric.get("score")) / unitSeconds(unit, true);
                }
                else if ("sample".equals(mode))
                {
                    final JsonObject percentiles = metric.getJsonObject("scorePercentiles");
                    final double toMicros = unitSeconds(unit, false) * MICROS_PER_SECOND;
                    p50 = number(percentiles.get("50.0")) * toMicros;
                    p99 = number(percentiles.get("99.0")) * toMicros;
                    p999 = number(percentiles.get("99.9")) * toMicros;
                }
            }
            rows.add(new Row(benchCase, opsPerSec, p50, p99, p999));
        }
        return new BenchReport(set, machine, rows, ratios(rows));
    }

    private static Map<String, Map<String, Double>> ratios(final List<Row> rows)
    {
        final Map<String, Map<String, Double>> ratios = new LinkedHashMap<>();
        for (final BenchSet.Workload workload : BenchSet.WORKLOADS)
        {
            final Row headline = headline(rows, workload.id());
            if (headline == null || headline.opsPerSec() == null)
            {
                continue;
            }
            final Map<String, Double> peers = new LinkedHashMap<>();
            for (final Row row : rows)
            {
                if (row.benchCase().workload().equals(workload.id()) && !row.benchCase().isTally()
                    && row.opsPerSec() != null && row.opsPerSec() > 0)
                {
                    peers.put(peerKey(rows, row), round(headline.opsPerSec() / row.opsPerSec()));
                }
            }
            if (!peers.isEmpty())
            {
                ratios.put(workload.id(), peers);
            }
        }
        return ratios;
    }

    private static Row headline(final List<Row> rows, final String workload)
    {
        for (final Row row : rows)
        {
            if (row.benchCase().workload().equals(workload) && row.benchCase().isHeadline())
            {
                return row;
            }
        }
        return null;
    }

    /** The peer's engine name, or engine and mode when the workload has two rows of that engine. */
    private static String peerKey(final List<Row> rows, final Row peer)
    {
        int count = 0;
        for (final Row row : rows)
        {
            if (row.benchCase().workload().equals(peer.benchCase().workload())
                && row.benchCase().engine().equals(peer.benchCase().engine()))
            {
                count++;
            }
        }
        return count > 1 ? peer.benchCase().engine() + " (" + peer.benchCase().mode() + ")" : peer.benchCase().engine();
    }

    private static double round(final double ratio)
    {
        return Math.round(ratio * 1000.0) / 1000.0;
    }

    private static Map<String, String> params(final JsonObject result)
    {
        final Map<String, String> params = new TreeMap<>();
        final JsonObject object = result.getJsonObject("params");
        if (object != null)
        {
            for (final Map.Entry<String, JsonValue> entry : object.entrySet())
            {
                final JsonValue value = entry.getValue();
                params.put(entry.getKey(), value instanceof JsonString string ? string.getString() : value.toString());
            }
        }
        return params;
    }

    private static double number(final JsonValue value)
    {
        if (value instanceof JsonNumber number)
        {
            return number.doubleValue();
        }
        if (value instanceof JsonString string)
        {
            return Double.parseDouble(string.getString());
        }
        throw new CommandFailure(Tally.CHECK_FAILED, "the JMH result has no number where one belongs: " + value);
    }

    /** Seconds per time unit of a JMH score unit: {@code ops/us} when {@code isThroughput}, else {@code us/op}. */
    static double unitSeconds(final String unit, final boolean isThroughput)
    {
        final String[] parts = unit.split("/");
        if (parts.length != 2 || !(isThroughput ? "ops".equals(parts[0]) : "op".equals(parts[1])))
        {
            throw new CommandFailure(Tally.CHECK_FAILED, "unexpected JMH score unit: " + unit);
        }
        final String time = isThroughput ? parts[1] : parts[0];
        return switch (time)
        {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1.0;
            case "min" -> 60.0;
            default -> throw new CommandFailure(Tally.CHECK_FAILED, "unexpected JMH score unit: " + unit);
        };
    }

    BenchSet set()
    {
        return set;
    }

    List<Row> rows()
    {
        return rows;
    }

    Map<String, Map<String, Double>> ratios()
    {
        return ratios;
    }

    /** The cases with no figure at all: their benchmark failed or was not run. */
    List<BenchSet.Case> missing()
    {
        final List<BenchSet.Case> missing = new ArrayList<>();
        for (final Row row : rows)
        {
            if (!row.isMeasured())
            {
                missing.add(row.benchCase());
            }
        }
        return missing;
    }

    /**
     * The JSON document: {@code machine}, {@code results} and {@code ratios}, nothing else at the top.
     *
     * @return the document.
     */
    JsonObject toJson()
    {
        final JsonArrayBuilder results = Json.PROVIDER.createArrayBuilder();
        for (final Row row : rows)
        {
            if (!row.isMeasured())
            {
                continue;
            }
            final BenchSet.Case benchCase = row.benchCase();
            final JsonObjectBuilder result = Json.object().add("engine", benchCase.engine())
                .add("workload", benchCase.workload()).add("mode", benchCase.mode())
                .add("threads", benchCase.threads());
            addNullable(result, "opsPerSec", row.opsPerSec());
            addNullable(result, "p50Us", row.p50Us());
            addNullable(result, "p99Us", row.p99Us());
            addNullable(result, "p999Us", row.p999Us());
            results.add(result);
        }
        final JsonObjectBuilder ratioObject = Json.object();
        for (final Map.Entry<String, Map<String, Double>> workload : ratios.entrySet())
        {
            final JsonObjectBuilder peers = Json.object();
            workload.getValue().forEach(peers::add);
            ratioObject.add(workload.getKey(), peers);
        }
        return Json.object().add("machine", machine).add("results", results).add("ratios", ratioObject).build();
    }

    private static void addNullable(final JsonObjectBuilder builder, final String name, final Double value)
    {
        if (value == null)
        {
            builder.addNull(name);
        }
        else
        {
            builder.add(name, value);
        }
    }

    /**
     * The table: one line per measured case, grouped by workload, with the ratio of Tally's KV put to each peer.
     *
     * @return the text, lines ending in a newline.
     */
    String table()
    {
        final String[] header = {"engine", "workload", "mode", "threads", "ops/s", "p50 µs", "p99 µs", "p99.9 µs",
            "Tally/peer"};
        final List<String[]> lines = new ArrayList<>();
        lines.add(header);
        for (final BenchSet.Workload workload : BenchSet.WORKLOADS)
        {
            for (final Row row : rows)
            {
                final BenchSet.Case benchCase = row.benchCase();
                if (!benchCase.workload().equals(workload.id()) || !row.isMeasured())
                {
                    continue;
                }
                final Map<String, Double> peers = ratios.getOrDefault(workload.id(), Map.of());
                final Double ratio = benchCase.isTally() ? null : peers.get(peerKey(rows, row));
                lines.add(new String[] {benchCase.engine(), workload.title(), benchCase.mode(),
                    Integer.toString(benchCase.threads()), opsPerSec(row.opsPerSec()), micros(row.p50Us()),
                    micros(row.p99Us()), micros(row.p999Us()),
                    ratio == null ? "" : String.format(Locale.ROOT, "%.2f x", ratio)});
            }
        }
        final int[] widths = new int[header.length];
        for (final String[] line : lines)
        {
            for (int i = 0; i < line.length; i++)
            {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        final StringBuilder text = new StringBuilder();
        text.append("Tally/peer: Tally's KV put ops/s divided by the row's ops/s, same workload, same run "
            + "(above 1: Tally is faster)\n");
        for (final String[] line : lines)
        {
            final StringBuilder out = new StringBuilder();
            for (int i = 0; i < line.length; i++)
            {
                final boolean isNumber = i >= 3;
                final String cell = line[i];
                final String padding = " ".repeat(widths[i] - cell.length());
                out.append(isNumber ? padding + cell : cell + padding);
                if (i + 1 < line.length)
                {
                    out.append("  ");
                }
            }
            text.append(out.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    static String opsPerSec(final Double value)
    {
        return value == null ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String micros(final Double value)
    {
        if (value == null)
        {
            return "-";
        }
        if (value < 10)
        {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return value < 1000 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%,.0f", value);
    }
}
