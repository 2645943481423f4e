/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tally bench}: runs the headline write workloads for Tally and every peer in the JMH benchmarks jar as a child
 * JVM (each benchmark in its own forked JVM with the flags of its {@code @Fork}), shows which run of how many is
 * going, then prints the table of ops/s, p50, p99 and p99.9 and the ratio of Tally to each peer, and on request
 * writes the JSON report and an SVG plot. Picocli calls it on the main thread.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = {"Measure Tally and its peers (RocksDB, Chronicle Queue, SQLite, H2 MVStore, the mmap floor) on "
        + "the same write workloads in one run, and print ops/s, latency percentiles and the ratio of Tally's KV put "
        + "to each peer.",
        "The quick set (default) takes about 2 minutes on 2 cores: one warm-up and one measured second per benchmark, "
            + "in throughput and in sample-time mode. --full is for published figures (about 20 minutes). Run it on "
            + "an idle machine.",
        "Needs the benchmarks jar (jmh/target/benchmarks.jar); ./tally bench builds it when it is missing or older "
            + "than the sources."},
    footerHeading = "%nExit codes:%n",
    footer = {"  0  every benchmark ran", "  1  a benchmark failed (named on standard error)",
        "  2  usage, or the benchmarks jar is missing"})
final class BenchCommand implements Callable<Integer>
{
    /** The system property the tally script sets to the benchmarks jar of its checkout. */
    static final String JAR_PROPERTY = "tally.bench.jar";
    /** The system property the tally script sets to whether standard error is a terminal. */
    static final String TTY_PROPERTY = "tally.stderr.tty";
    private static final String BUILD_HINT = "build it with: mvn -q -pl jmh -am package -DskipTests";

    @Spec
    private CommandSpec spec;

    @Option(names = "--full", description = "Run the full set with longer iterations, for published figures.")
    private boolean isFull;

    @Option(names = "--json", paramLabel = "FILE", arity = "0..1", fallbackValue = "-",
        description = "Write the report as JSON to FILE; without FILE, print it instead of the table.")
    private String jsonArgument;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "Draw throughput and latency per engine and "
        + "workload into an SVG file.")
    private String plotArgument;

    @Option(names = "--jar", paramLabel = "FILE", description = "The JMH benchmarks jar (default: the checkout's "
        + "jmh/target/benchmarks.jar).")
    private String jarArgument;

    @Option(names = "--results", paramLabel = "FILE", description = "Build the report from the JSON result of an "
        + "earlier JMH run (-rf json) of this set instead of running it.")
    private String resultsArgument;

    @Option(names = "--dry-run", description = "Print the JMH command lines and exit.")
    private boolean isDryRun;

    @Option(names = "--verbose", description = "Pass JMH's own output through to standard error; print the stack "
        + "trace of an error.")
    private boolean isVerbose;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final BenchSet set = isFull ? BenchSet.full() : BenchSet.quick();
        final boolean isJsonOnly = "-".equals(jsonArgument);
        final Path jsonFile = jsonArgument == null || isJsonOnly ? null : outputFile(jsonArgument, "--json");
        final Path plotFile = plotArgument == null ? null : outputFile(plotArgument, "--plot");
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Instant start = Instant.now();
        final JsonObject machine = BenchMachine.describe(set.name(), start);
        final JsonArray results;
        final List<String> failures = new ArrayList<>();
        if (resultsArgument != null)
        {
            results = readResults(existingFile(resultsArgument, "--results"));
        }
        else
        {
            final Path jar = jar();
            if (isDryRun)
            {
                for (final BenchSet.Invocation invocation : set.invocations())
                {
                    out.println(String.join(" ", quoteAll(command(jar, set, invocation, Path.of("result.json")))));
                }
                return Tally.OK;
            }
            err.printf("bench: %s set, %d benchmarks in %d JMH runs, %s; %d CPUs, load %.2f; run it on an idle "
                + "machine%n", set.name(), set.cases().size(), set.runCount(), set.expectedDuration(),
                machine.getInt("cpuCount"), machine.getJsonNumber("loadAverage").doubleValue());
            results = run(jar, set, err, failures);
        }
        final BenchReport report = BenchReport.build(set, results, machine);
        if (isJsonOnly)
        {
            out.println(Json.pretty(report.toJson()));
        }
        else
        {
            out.print(report.table());
        }
        if (jsonFile != null)
        {
            Files.writeString(jsonFile, Json.pretty(report.toJson()) + "\n", StandardCharsets.UTF_8);
        }
        if (plotFile != null)
        {
            Files.writeString(plotFile, BenchPlot.svg(report), StandardCharsets.UTF_8);
        }
        final int runFailures = failures.size();
        for (final BenchSet.Case missing : report.missing())
        {
            final String named = missing.label() + " (" + BenchSet.title(missing.workload()) + ")";
            if (failures.stream().noneMatch(f -> f.startsWith(named)))
            {
                failures.add(named + ": no result (" + missing.benchmark() + " " + missing.params() + ")");
            }
        }
        if (!failures.isEmpty())
        {
            for (final String failure : failures)
            {
                err.println("bench: benchmark failed: " + failure);
            }
            throw new CommandFailure(Tally.CHECK_FAILED, failures.size() + " failures (" + runFailures + " JMH runs, "
                + (failures.size() - runFailures) + " cases without a result); the table shows the rest (rerun with "
                + "--verbose for JMH's output)");
        }
        if (resultsArgument == null)
        {
            err.printf("bench: done in %d s%n", java.time.Duration.between(start, Instant.now()).toSeconds());
        }
        return Tally.OK;
    }

    private Path jar()
    {
        final String configured = jarArgument != null ? jarArgument
            : System.getProperty(JAR_PROPERTY, Path.of("jmh", "target", "benchmarks.jar").toString());
        final Path jar = DatabaseDirectory.pathArgument(configured);
        if (!Files.isRegularFile(jar))
        {
            throw new CommandFailure(Tally.USAGE, "the benchmarks jar is missing: " + jar + " (" + BUILD_HINT + ")");
        }
        return jar;
    }

    private static Path outputFile(final String argument, final String option)
    {
        final Path path = DatabaseDirectory.pathArgument(argument).toAbsolutePath();
        final Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            throw new CommandFailure(Tally.USAGE, option + ": no such directory: " + parent);
        }
        if (Files.isDirectory(path))
        {
            throw new CommandFailure(Tally.USAGE, option + ": a directory, not a file: " + path);
        }
        return path;
    }

    private static Path existingFile(final String argument, final String option)
    {
        final Path path = DatabaseDirectory.pathArgument(argument);
        if (!Files.isRegularFile(path))
        {
            throw new CommandFailure(Tally.USAGE, option + ": no such file: " + path);
        }
        return path;
    }

    static JsonArray readResults(final Path file) throws IOException
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            JsonReader json = Json.PROVIDER.createReader(reader))
        {
            final JsonValue value = json.readValue();
            if (value.getValueType() != JsonValue.ValueType.ARRAY)
            {
                throw new CommandFailure(Tally.USAGE, "not a JMH JSON result (an array of runs): " + file);
            }
            return value.asJsonArray();
        }
        catch (final JsonParsingException ex)
        {
            throw new CommandFailure(Tally.USAGE, "not a JMH JSON result: " + file + ": " + ex.getMessage(), ex);
        }
    }

    private List<String> command(final Path jar, final BenchSet set, final BenchSet.Invocation invocation,
        final Path resultFile)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.add(invocation.include());
        command.addAll(set.jmhOptions());
        command.addAll(invocation.paramArguments());
        command.addAll(List.of("-rf", "json", "-rff", resultFile.toString()));
        return command;
    }

    private static List<String> quoteAll(final List<String> words)
    {
        final List<String> quoted = new ArrayList<>();
        for (final String word : words)
        {
            quoted.add(word.matches("[A-Za-z0-9_./=,:-]+") ? word : "'" + word.replace("'", "'\\''") + "'");
        }
        return quoted;
    }

    private JsonArray run(final Path jar, final BenchSet set, final PrintWriter err, final List<String> failures)
        throws IOException, InterruptedException
    {
        final Path scratch = Files.createTempDirectory("tally-bench-");
        final JsonArrayBuilder results = Json.PROVIDER.createArrayBuilder();
        final JmhOutput output = new JmhOutput(set, set.runCount());
        final boolean isTerminal = System.getProperty(TTY_PROPERTY) != null ? Boolean.getBoolean(TTY_PROPERTY)
            : System.console() != null;
        try
        {
            int index = 0;
            for (final BenchSet.Invocation invocation : set.invocations())
            {
                final Path resultFile = scratch.resolve("result-" + index++ + ".json");
                final int exit = runOne(command(jar, set, invocation, resultFile), output, err, isTerminal);
                if (exit != 0)
                {
                    failures.add("JMH exited with " + exit + " while running " + invocation.benchmarks() + ": "
                        + lastLine(output.tail()));
                }
                if (Files.isRegularFile(resultFile) && Files.size(resultFile) > 0)
                {
                    readResults(resultFile).forEach(results::add);
                }
            }
        }
        finally
        {
            if (isTerminal)
            {
                err.print("\r\033[K");
                err.flush();
            }
            PrivateCopy.delete(scratch);
        }
        failures.addAll(0, output.failures());
        return results.build();
    }

    private int runOne(final List<String> command, final JmhOutput output, final PrintWriter err,
        final boolean isTerminal) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Thread stopper = new Thread(() ->
        {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        });
        Runtime.getRuntime().addShutdownHook(stopper);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            for (String line = lines.readLine(); line != null; line = lines.readLine())
            {
                final JmhOutput.Change change = output.accept(line);
                if (isVerbose)
                {
                    err.println(line);
                }
                else if (isTerminal && change != JmhOutput.Change.NONE)
                {
                    err.print("\r\033[K" + output.status());
                    err.flush();
                }
                else if (!isTerminal && change == JmhOutput.Change.RUN_STARTED)
                {
                    err.println("bench: " + output.status().replace(": starting", ""));
                }
            }
            return process.waitFor();
        }
        finally
        {
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
    }

    private static String lastLine(final List<String> lines)
    {
        for (int i = lines.size() - 1; i >= 0; i--)
        {
            if (!lines.get(i).isBlank())
            {
                return lines.get(i).strip();
            }
        }
        return "(no output)";
    }
}
