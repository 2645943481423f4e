/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.engine.Database;
import dev.tally.recovery.RecoveryResult;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tally demo}: a child JVM writes a mixed Strict workload ({@link DemoWorkload}) across the five primitives and
 * several runs; the demo kills it with SIGKILL at a random point, reopens the database, prints the recovery report,
 * checks every acknowledged write is there and nothing was invented ({@link DemoChecks}), in the primitives and in
 * the three contract stores ({@link DemoStores}), replays a run, diffs two runs and prints throughput. Exit 0 only
 * when every check passed. Picocli calls it on the main thread.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Kill a writing process at a random point and prove that recovery kept every acknowledged write "
        + "and invented none. Runs in a temporary directory unless --dir is given.")
final class DemoCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Use (and keep) this directory; it must be new or empty.")
    private String directoryArgument;

    @Option(names = "--seed", paramLabel = "N", description = "The seed of the workload and the kill point.")
    private Long seedArgument;

    @Option(names = "--runs", paramLabel = "N", description = "Runs written side by side (default: ${DEFAULT-VALUE}).")
    private int runCount = 4;

    @Option(names = "--orders", paramLabel = "N",
        description = "Transactions per run the child would write unkilled (default: ${DEFAULT-VALUE}).")
    private int ordersPerRun = 500;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException, InterruptedException
    {
        if (runCount < 2 || runCount > 64 || ordersPerRun < 10 || ordersPerRun > 1_000_000)
        {
            throw new CommandFailure(Tally.USAGE, "--runs must be 2 to 64 and --orders 10 to 1000000");
        }
        final long seed = seedArgument != null ? seedArgument : new SplittableRandom().nextLong(1L << 48);
        final Path directory = directoryArgument != null ? newFolder(directoryArgument)
            : Files.createTempDirectory("tally-demo-");
        try
        {
            return demo(directory, seed);
        }
        finally
        {
            if (directoryArgument == null)
            {
                PrivateCopy.delete(directory);
            }
        }
    }

    private int demo(final Path directory, final long seed) throws IOException, InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final boolean isText = !common.isJson;
        final int total = runCount * ordersPerRun;
        final int killAt = total / 5 + new SplittableRandom(seed).nextInt(Math.max(1, total * 3 / 5));
        if (isText)
        {
            out.println("tally demo: seed " + seed + " (replay with --seed " + seed + "), database " + directory);
            out.println("a child JVM writes " + runCount + " runs side by side in Strict mode (a call returns once its"
                + " write is durable); each transaction is a KV put, an event, a state-cell compare-and-set, a JSON "
                + "document and a span; beside them a payment handler guarded by the idempotency store (begin, "
                + "handler, finish) settles each payment on a channel (a compare-and-set) and appends a run state "
                + "event");
        }
        final DemoChild.Outcome child = runChild(directory, seed, killAt, total);
        if (isText)
        {
            out.printf(Locale.ROOT, "%s after %d acknowledged transactions in %.0f ms: %.0f transactions/s%n",
                child.isKilled() ? "killed the child (pid " + child.pid() + ") with SIGKILL" : "the child finished",
                child.acknowledgedCount(), child.writeNs() / 1e6, child.throughput());
            out.println("the contract stores acknowledged " + child.storeAcks().paidCount() + " payments, "
                + child.storeAcks().settledVersions().size() + " settlements and "
                + child.storeAcks().eventRunSeqs().size() + " run events");
        }
        final DemoChecks checks = new DemoChecks(seed, runCount, child.acknowledged());
        final RecoveryResult recovery;
        try (Database db = Database.open(directory))
        {
            recovery = db.lastRecoveryResult().orElseThrow();
            if (isText)
            {
                out.println("reopened; the recovery report:");
                RecoverCommand.print(out, recovery, false);
            }
            checks.checkAll(db, child.storeAcks(), ordersPerRun);
        }
        checks.checkLogClean(directory);
        if (isText)
        {
            checks.print(out);
        }
        else
        {
            out.println(json(directory, seed, child, recovery, checks).build());
        }
        return checks.isPassed() ? Tally.OK : Tally.CHECK_FAILED;
    }

    private DemoChild.Outcome runChild(final Path directory, final long seed, final int killAt, final int total)
        throws IOException, InterruptedException
    {
        final Path childErr = Files.createTempFile("tally-demo-child-", ".err");
        final List<String> command = List.of(javaExecutable(), "-cp", System.getProperty("java.class.path"),
            DemoChild.class.getName(), directory.toString(), Long.toString(seed), Integer.toString(runCount),
            Integer.toString(ordersPerRun));
        final Process process = new ProcessBuilder(command).redirectError(childErr.toFile()).start();
        final int[] acknowledged = new int[runCount];
        final DemoStores.Acks storeAcks = new DemoStores.Acks();
        String failure = null;
        int count = 0;
        long startNs = System.nanoTime();
        long killNs = 0;
        boolean isKilled = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)); Progress progress = new Progress(spec.commandLine().getErr(), "writing", killAt))
        {
            for (String line = lines.readLine(); line != null; line = lines.readLine())
            {
                if ("ready".equals(line))
                {
                    startNs = System.nanoTime();
                }
                else if (line.startsWith("ack "))
                {
                    final String[] parts = line.split(" ");
                    final int run = Integer.parseInt(parts[1]);
                    acknowledged[run] = Math.max(acknowledged[run], Integer.parseInt(parts[2]) + 1);
                    count++;
                    progress.update(count);
                }
                else if (line.startsWith("failed ") && failure == null)
                {
                    failure = line.substring("failed ".length());
                }
                else
                {
                    storeAcks.accept(line);
                }
                // At least one acknowledged payment too, so that every demo checks a replay.
                if (count >= killAt && storeAcks.paidCount() > 0 && !isKilled)
                {
                    killNs = System.nanoTime();
                    // Through the handle: Process.destroyForcibly would close the pipe and lose acks in it.
                    process.toHandle().destroyForcibly();
                    isKilled = true;
                }
            }
        }
        final int exit = process.waitFor();
        final String errors = Files.readString(childErr, StandardCharsets.UTF_8).strip();
        Files.deleteIfExists(childErr);
        if (failure != null)
        {
            throw new CommandFailure(Tally.CHECK_FAILED, "the child failed: " + failure);
        }
        if (!isKilled && exit != 0)
        {
            throw new CommandFailure(Tally.CHECK_FAILED, "the child failed before the kill point (exit " + exit
                + "): " + lastLine(errors));
        }
        final long writeNs = (isKilled ? killNs : System.nanoTime()) - startNs;
        return new DemoChild.Outcome(process.pid(), isKilled, acknowledged, count, storeAcks, writeNs);
    }

    private static String lastLine(final String text)
    {
        final String[] lines = text.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static String javaExecutable()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path newFolder(final String argument) throws IOException
    {
        final Path path = DatabaseDirectory.pathArgument(argument);
        if (Files.exists(path))
        {
            try (Stream<Path> entries = Files.list(path))
            {
                if (entries.findAny().isPresent())
                {
                    throw new CommandFailure(Tally.USAGE, "the demo needs a new or empty directory: " + path);
                }
            }
        }
        Files.createDirectories(path);
        return path;
    }

    private JsonObjectBuilder json(final Path directory, final long seed, final DemoChild.Outcome child,
        final RecoveryResult recovery, final DemoChecks checks)
    {
        final JsonArrayBuilder checkArray = Json.PROVIDER.createArrayBuilder();
        for (final DemoChecks.Check check : checks.checks())
        {
            checkArray.add(Json.object().add("name", check.name()).add("passed", check.isPassed())
                .add("detail", check.detail()));
        }
        final List<Integer> acknowledged = new ArrayList<>();
        for (final int count : child.acknowledged())
        {
            acknowledged.add(count);
        }
        return Json.object().add("seed", seed).add("directory", directory.toString())
            .add("runs", runCount).add("childPid", child.pid()).add("killed", child.isKilled())
            .add("acknowledged", child.acknowledgedCount())
            .add("acknowledgedPerRun", Json.PROVIDER.createArrayBuilder(acknowledged))
            .add("writeMs", child.writeNs() / 1e6).add("transactionsPerSecond", child.throughput())
            .add("recovery", Json.PROVIDER.createReader(new java.io.StringReader(recovery.toJson())).readObject())
            .add("contractStores", true)
            .add("storeAcknowledged", Json.object().add("payments", child.storeAcks().paidCount())
                .add("settlements", child.storeAcks().settledVersions().size())
                .add("events", child.storeAcks().eventRunSeqs().size()))
            .add("checks", checkArray)
            .add("passed", checks.isPassed());
    }
}
