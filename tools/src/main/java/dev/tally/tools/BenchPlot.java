/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --plot} picture of a {@code tally bench} report, a self-contained SVG written by hand: per workload the
 * throughput of every engine as horizontal bars on a linear scale, then per workload the p50, p99 and p99.9 latency of
 * every engine on a logarithmic scale, with titles, axis labels in their units, value labels and two legends, so that
 * it reads without the table. Stateless; any thread.
 */
final class BenchPlot
{
    private static final int WIDTH = 1160;
    private static final int LABEL_RIGHT = 330;
    private static final int PLOT_LEFT = 340;
    private static final int PLOT_RIGHT = 980;
    private static final int ROW = 22;
    private static final int BAR = 14;
    private static final int LATENCY_BAR = 6;
    private static final int LATENCY_ROW = 3 * LATENCY_BAR + 8;
    private static final int PANEL_TOP = 46;
    private static final int AXIS_SPACE = 44;
    private static final int TICKS = 5;
    private static final String[] PERCENTILES = {"p50", "p99", "p99.9"};
    private static final String[] PERCENTILE_COLOURS = {"#9ecae1", "#4292c6", "#08306b"};
    private static final Map<String, String> ENGINE_COLOURS = engineColours();

    private BenchPlot()
    {
    }

    private static Map<String, String> engineColours()
    {
        final Map<String, String> colours = new LinkedHashMap<>();
        colours.put(BenchSet.TALLY, "#1f77b4");
        colours.put("RocksDB", "#ff7f0e");
        colours.put("Chronicle Queue", "#2ca02c");
        colours.put("SQLite", "#d62728");
        colours.put("H2 MVStore", "#9467bd");
        colours.put("floor", "#7f7f7f");
        return colours;
    }

    /**
     * Draws the report.
     *
     * @param report the report.
     * @return the SVG document.
     */
    static String svg(final BenchReport report)
    {
        final StringBuilder body = new StringBuilder();
        int y = 30;
        final JsonObject machine = report.toJson().getJsonObject("machine");
        text(body, 20, y, "title", 20, "bold", "tally bench: Tally and its peers, side by side (" + report.set().name()
            + " set)");
        y += 22;
        text(body, 20, y, "subtitle", 12, "normal", machine.getString("date", "") + "  ·  "
            + machine.getInt("cpuCount", 0) + " CPUs " + machine.getString("cpuModel", "") + "  ·  "
            + machine.getString("jdk", "") + "  ·  16-byte keys, 84-byte values (100-byte log records)");
        y += 26;
        y = engineLegend(body, report, y);
        y += 16;
        text(body, 20, y, "section", 16, "bold", "Throughput, operations per second (longer is better)");
        y += 10;
        for (final BenchSet.Workload workload : BenchSet.WORKLOADS)
        {
            final List<BenchReport.Row> rows = rows(report, workload, true);
            if (!rows.isEmpty())
            {
                y = throughputPanel(body, workload, rows, y);
            }
        }
        y += 16;
        text(body, 20, y, "section", 16, "bold", "Latency percentiles, microseconds per operation (log scale, shorter "
            + "is better)");
        y += 18;
        y = percentileLegend(body, y);
        for (final BenchSet.Workload workload : BenchSet.WORKLOADS)
        {
            final List<BenchReport.Row> rows = rows(report, workload, false);
            if (!rows.isEmpty())
            {
                y = latencyPanel(body, workload, rows, y);
            }
        }
        y += 20;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + y + "\" viewBox=\"0 0 "
            + WIDTH + " " + y + "\" font-family=\"sans-serif\">\n"
            + "<rect x=\"0\" y=\"0\" width=\"" + WIDTH + "\" height=\"" + y + "\" fill=\"#ffffff\"/>\n"
            + body + "</svg>\n";
    }

    private static List<BenchReport.Row> rows(final BenchReport report, final BenchSet.Workload workload,
        final boolean isThroughput)
    {
        final List<BenchReport.Row> rows = new ArrayList<>();
        for (final BenchReport.Row row : report.rows())
        {
            if (row.benchCase().workload().equals(workload.id())
                && (isThroughput ? row.opsPerSec() != null : row.p50Us() != null))
            {
                rows.add(row);
            }
        }
        return rows;
    }

    private static int engineLegend(final StringBuilder body, final BenchReport report, final int top)
    {
        int x = 20;
        text(body, x, top, "legend-title", 12, "bold", "Engines:");
        x += 64;
        final List<String> engines = new ArrayList<>();
        for (final BenchReport.Row row : report.rows())
        {
            if (row.isMeasured() && !engines.contains(row.benchCase().engine()))
            {
                engines.add(row.benchCase().engine());
            }
        }
        for (final String engine : engines)
        {
            body.append("<rect class=\"legend\" data-engine=\"").append(escape(engine)).append("\" x=\"").append(x)
                .append("\" y=\"").append(top - 10).append("\" width=\"12\" height=\"12\" fill=\"")
                .append(colour(engine)).append("\"/>\n");
            text(body, x + 16, top, "legend", 12, "normal", engine);
            x += 24 + 7 * engine.length();
        }
        return top + 8;
    }

    private static int percentileLegend(final StringBuilder body, final int top)
    {
        int x = 20;
        text(body, x, top, "legend-title", 12, "bold", "Percentiles:");
        x += 84;
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            body.append("<rect class=\"legend\" data-percentile=\"").append(PERCENTILES[i]).append("\" x=\"")
                .append(x).append("\" y=\"").append(top - 10).append("\" width=\"12\" height=\"12\" fill=\"")
                .append(PERCENTILE_COLOURS[i]).append("\"/>\n");
            text(body, x + 16, top, "legend", 12, "normal", PERCENTILES[i]);
            x += 70;
        }
        return top + 6;
    }

    private static int throughputPanel(final StringBuilder body, final BenchSet.Workload workload,
        final List<BenchReport.Row> rows, final int top)
    {
        double max = 0;
        for (final BenchReport.Row row : rows)
        {
            max = Math.max(max, row.opsPerSec());
        }
        final double step = niceStep(max / TICKS);
        final double axisMax = Math.max(step, Math.ceil(max / step) * step);
        int y = top + PANEL_TOP;
        text(body, 20, y - 16, "panel-title", 14, "bold", workload.title() + ": throughput, ops/s");
        final int plotTop = y - 4;
        for (final BenchReport.Row row : rows)
        {
            final BenchSet.Case benchCase = row.benchCase();
            final double width = (PLOT_RIGHT - PLOT_LEFT) * row.opsPerSec() / axisMax;
            rowLabel(body, y + BAR - 3, benchCase);
            body.append(String.format(Locale.ROOT, "<rect class=\"bar throughput\" data-engine=\"%s\" "
                + "data-workload=\"%s\" data-mode=\"%s\" data-value=\"%.1f\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                + "height=\"%d\" fill=\"%s\"><title>%s: %s ops/s</title></rect>%n", escape(benchCase.engine()),
                escape(workload.id()), escape(benchCase.mode()), row.opsPerSec(), PLOT_LEFT, y, Math.max(width, 1.0),
                BAR, colour(benchCase.engine()), escape(benchCase.label()), BenchReport.opsPerSec(row.opsPerSec())));
            text(body, (int)(PLOT_LEFT + width + 6), y + BAR - 3, "value", 11, "normal",
                BenchReport.opsPerSec(row.opsPerSec()));
            y += ROW;
        }
        final int axisY = y;
        line(body, PLOT_LEFT, plotTop, PLOT_LEFT, axisY);
        line(body, PLOT_LEFT, axisY, PLOT_RIGHT, axisY);
        for (double tick = 0; tick <= axisMax + step / 2; tick += step)
        {
            final int x = (int)Math.round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * tick / axisMax);
            line(body, x, axisY, x, axisY + 4);
            centred(body, x, axisY + 16, "tick", compact(tick));
        }
        centred(body, (PLOT_LEFT + PLOT_RIGHT) / 2, axisY + 32, "axis-label", "operations per second (ops/s)");
        return axisY + AXIS_SPACE - PANEL_TOP + 30;
    }

    private static int latencyPanel(final StringBuilder body, final BenchSet.Workload workload,
        final List<BenchReport.Row> rows, final int top)
    {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (final BenchReport.Row row : rows)
        {
            for (final double value : percentiles(row))
            {
                if (value > 0)
                {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        final int lowDecade = (int)Math.floor(Math.log10(min == Double.MAX_VALUE ? 1 : min));
        final int highDecade = Math.max(lowDecade + 1, (int)Math.ceil(Math.log10(Math.max(max, 1e-9))));
        int y = top + PANEL_TOP;
        text(body, 20, y - 16, "panel-title", 14, "bold", workload.title() + ": latency p50 / p99 / p99.9, µs");
        final int plotTop = y - 4;
        for (final BenchReport.Row row : rows)
        {
            final BenchSet.Case benchCase = row.benchCase();
            rowLabel(body, y + LATENCY_ROW / 2, benchCase);
            final double[] values = percentiles(row);
            for (int i = 0; i < values.length; i++)
            {
                final double position = Math.log10(Math.max(values[i], Math.pow(10, lowDecade)));
                final double width = (PLOT_RIGHT - PLOT_LEFT) * (position - lowDecade) / (highDecade - lowDecade);
                final int barY = y + i * LATENCY_BAR;
                body.append(String.format(Locale.ROOT, "<rect class=\"bar latency\" data-engine=\"%s\" "
                    + "data-workload=\"%s\" data-mode=\"%s\" data-percentile=\"%s\" data-value=\"%.3f\" x=\"%d\" "
                    + "y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s µs</title></rect>%n",
                    escape(benchCase.engine()), escape(workload.id()), escape(benchCase.mode()), PERCENTILES[i],
                    values[i], PLOT_LEFT, barY, Math.max(width, 1.0), LATENCY_BAR - 1, PERCENTILE_COLOURS[i],
                    escape(benchCase.label()), PERCENTILES[i], BenchReport.micros(values[i])));
            }
            text(body, PLOT_RIGHT + 6, y + LATENCY_ROW / 2, "value", 10, "normal",
                BenchReport.micros(values[0]) + " / " + BenchReport.micros(values[1]) + " / "
                    + BenchReport.micros(values[2]));
            y += LATENCY_ROW;
        }
        final int axisY = y;
        line(body, PLOT_LEFT, plotTop, PLOT_LEFT, axisY);
        line(body, PLOT_LEFT, axisY, PLOT_RIGHT, axisY);
        for (int decade = lowDecade; decade <= highDecade; decade++)
        {
            final int x = (int)Math.round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (double)(decade - lowDecade)
                / (highDecade - lowDecade));
            line(body, x, axisY, x, axisY + 4);
            centred(body, x, axisY + 16, "tick", compact(Math.pow(10, decade)));
        }
        centred(body, (PLOT_LEFT + PLOT_RIGHT) / 2, axisY + 32, "axis-label",
            "microseconds per operation (µs, log scale)");
        return axisY + AXIS_SPACE - PANEL_TOP + 30;
    }

    private static double[] percentiles(final BenchReport.Row row)
    {
        return new double[] {row.p50Us(), row.p99Us(), row.p999Us()};
    }

    private static void rowLabel(final StringBuilder body, final int y, final BenchSet.Case benchCase)
    {
        body.append(String.format(Locale.ROOT, "<text class=\"row-label\" x=\"%d\" y=\"%d\" font-size=\"12\" "
            + "text-anchor=\"end\">%s</text>%n", LABEL_RIGHT, y, escape(benchCase.engine() + " · "
            + benchCase.mode() + (benchCase.threads() > 1 ? " · " + benchCase.threads() + " threads" : ""))));
    }

    private static void text(final StringBuilder body, final int x, final int y, final String cssClass,
        final int size, final String weight, final String content)
    {
        body.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%d\" y=\"%d\" font-size=\"%d\" "
            + "font-weight=\"%s\">%s</text>%n", cssClass, x, y, size, weight, escape(content)));
    }

    private static void centred(final StringBuilder body, final int x, final int y, final String cssClass,
        final String content)
    {
        body.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%d\" y=\"%d\" font-size=\"11\" "
            + "text-anchor=\"middle\">%s</text>%n", cssClass, x, y, escape(content)));
    }

    private static void line(final StringBuilder body, final int x1, final int y1, final int x2, final int y2)
    {
        body.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\" "
            + "stroke-width=\"1\"/>%n", x1, y1, x2, y2));
    }

    private static String colour(final String engine)
    {
        return ENGINE_COLOURS.getOrDefault(engine, "#8c564b");
    }

    /** A round step of 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(final double raw)
    {
        if (raw <= 0)
        {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        final double residual = raw / magnitude;
        final double factor = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
        return factor * magnitude;
    }

    /** A tick label: 2.5K, 1.2M, 0.1. */
    static String compact(final double value)
    {
        if (value >= 1e6)
        {
            return trim(value / 1e6) + "M";
        }
        if (value >= 1e3)
        {
            return trim(value / 1e3) + "K";
        }
        return trim(value);
    }

    private static String trim(final double value)
    {
        final String text = String.format(Locale.ROOT, "%.2f", value);
        return text.replaceAll("\\.?0+$", "");
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
            .replace("'", "&apos;");
    }
}
