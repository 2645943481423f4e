/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The {@code machine} object of a {@code tally bench} report: what the figures were measured on (CPUs, memory, OS,
 * JDK), when, under which load, and with which set. Read from {@code /proc} where it exists; stateless, any thread.
 */
final class BenchMachine
{
    private static final long KIB = 1024;

    private BenchMachine()
    {
    }

    /**
     * Describes this machine and JVM, the one the benchmarks' child JVMs run on (they use this JVM's
     * {@code java}).
     *
     * @param set  the set's name, {@code quick} or {@code full}.
     * @param date when the run started.
     * @return the object.
     */
    static JsonObject describe(final String set, final Instant date)
    {
        final JsonObjectBuilder machine = Json.object()
            .add("cpuCount", Runtime.getRuntime().availableProcessors())
            .add("cpuModel", cpuModel())
            .add("memoryBytes", memoryBytes())
            .add("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"))
            .add("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
            .add("date", date.truncatedTo(ChronoUnit.SECONDS).toString())
            .add("loadAverage", Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                * 100.0) / 100.0)
            .add("set", set);
        return machine.build();
    }

    private static String cpuModel()
    {
        for (final String line : lines(Path.of("/proc/cpuinfo")))
        {
            if (line.startsWith("model name") && line.contains(":"))
            {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return System.getProperty("os.arch");
    }

    private static long memoryBytes()
    {
        for (final String line : lines(Path.of("/proc/meminfo")))
        {
            if (line.startsWith("MemTotal:"))
            {
                final String[] parts = line.substring("MemTotal:".length()).strip().split("\\s+");
                if (parts.length == 2 && "kb".equals(parts[1].toLowerCase(Locale.ROOT)))
                {
                    return Long.parseLong(parts[0]) * KIB;
                }
            }
        }
        return -1;
    }

    private static List<String> lines(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        }
        catch (final IOException ex)
        {
            return List.of();
        }
    }
}
