/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.engine.ReadOnlyView;
import dev.tally.replay.AsOf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code tally replay DIR RUN [--as-of N]}: a run's state rebuilt from its history by {@code Database.replayRun}, on
 * a private copy of the directory ({@link PrivateCopy}). Reads only. Picocli calls it on the main thread.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Rebuild a run's state from its history, optionally as of its first N changes. Reads only (the "
        + "engine has no read-only open, so a private copy of the files is opened).")
final class ReplayCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    private String directoryArgument;

    @Parameters(index = "1", paramLabel = "RUN", description = "The run id.")
    private String runArgument;

    @Option(names = "--as-of", paramLabel = "N", description = "Apply only the run's first N changes.")
    private Long asOfChanges;

    @Option(names = "--as-of-position", paramLabel = "POS", description = "Apply only the frames before POS.")
    private Long asOfPosition;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final DatabaseDirectory directory = DatabaseDirectory.open(directoryArgument);
        final RunId run = DumpCommand.parseRun(runArgument);
        if (asOfChanges != null && asOfPosition != null)
        {
            throw new CommandFailure(Tally.USAGE, "give --as-of or --as-of-position, not both");
        }
        if ((asOfChanges != null && asOfChanges < 0) || (asOfPosition != null && asOfPosition < 0))
        {
            throw new CommandFailure(Tally.USAGE, "--as-of and --as-of-position must not be negative");
        }
        final AsOf asOf = asOfChanges != null ? AsOf.changes(asOfChanges)
            : asOfPosition != null ? AsOf.position(asOfPosition) : AsOf.latest();
        try (PrivateCopy copy = PrivateCopy.open(directory))
        {
            final ReadOnlyView view = copy.database().replayRun(run, asOf);
            // The engine publishes the replay hash of a whole history only.
            final String hash = asOf.kind() == AsOf.Kind.LATEST ? copy.database().replayHash(run) : "-";
            final PrintWriter out = spec.commandLine().getOut();
            if (common.isJson)
            {
                out.println(Json.object().add("run", run.toString()).add("asOf", asOf.toString())
                    .add("changes", view.changeCount()).add("hash", hash).add("view", view.toJson()).build());
            }
            else
            {
                out.println("run      " + run + "  " + asOf + "  " + view.changeCount() + " changes applied");
                out.println("hash     " + hash);
                out.println(Json.pretty(view.toJson()));
            }
            return Tally.OK;
        }
    }
}
