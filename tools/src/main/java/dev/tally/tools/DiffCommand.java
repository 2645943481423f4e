/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.replay.DiffEntry;
import dev.tally.replay.RunDiff;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code tally diff DIR RUN_A RUN_B [--json-patch]}: the differences between two runs' replayed views, through {@code
 * Database.diffRuns} on a private copy of the directory ({@link PrivateCopy}). Reads only. Picocli calls it on the
 * main thread.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Show what differs between two runs' replayed state, item by item or as an RFC 6902 JSON Patch. "
        + "Reads only (a private copy of the files is opened).")
final class DiffCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    private String directoryArgument;

    @Parameters(index = "1", paramLabel = "RUN_A", description = "The first run.")
    private String runArgumentA;

    @Parameters(index = "2", paramLabel = "RUN_B", description = "The second run.")
    private String runArgumentB;

    @Option(names = "--json-patch", description = "Print the RFC 6902 JSON Patch from RUN_A's view to RUN_B's.")
    private boolean isJsonPatch;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final DatabaseDirectory directory = DatabaseDirectory.open(directoryArgument);
        final RunId runA = DumpCommand.parseRun(runArgumentA);
        final RunId runB = DumpCommand.parseRun(runArgumentB);
        final RunDiff diff;
        try (PrivateCopy copy = PrivateCopy.open(directory))
        {
            diff = copy.database().diffRuns(runA, runB);
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (isJsonPatch)
        {
            out.println(common.isJson ? diff.toJsonPatch().toString() : Json.pretty(diff.toJsonPatch()));
            return Tally.OK;
        }
        if (common.isJson)
        {
            final JsonArrayBuilder entries = Json.PROVIDER.createArrayBuilder();
            for (final DiffEntry entry : diff.entries())
            {
                entries.add(Json.object().add("primitive", entry.primitive()).add("key", entry.key())
                    .add("kind", entry.kind().name()).add("before", orNull(entry.before()))
                    .add("after", orNull(entry.after())));
            }
            out.println(Json.object().add("runA", runA.toString()).add("runB", runB.toString())
                .add("differences", diff.entries().size()).add("entries", entries).build());
            return Tally.OK;
        }
        out.println(diff.entries().size() + " difference(s) from " + runA + " to " + runB);
        for (final DiffEntry entry : diff.entries())
        {
            out.println(String.format(java.util.Locale.ROOT, "%-8s %-6s %s: %s -> %s", entry.kind(),
                entry.primitive(), entry.key(), entry.before() == null ? "-" : entry.before(),
                entry.after() == null ? "-" : entry.after()));
        }
        return Tally.OK;
    }

    private static JsonValue orNull(final JsonValue value)
    {
        return value == null ? JsonValue.NULL : value;
    }
}
