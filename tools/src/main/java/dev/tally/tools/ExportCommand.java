/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.engine.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tally export DIR RUN FILE}: writes a run bundle ({@link RunBundle}) from a private copy of the directory
 * ({@link PrivateCopy}). Reads the database only. Picocli calls it on the main thread.
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Write a run's history and state to a bundle with a manifest of SHA-256 checksums. Reads only.")
final class ExportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    private String directoryArgument;

    @Parameters(index = "1", paramLabel = "RUN", description = "The run id.")
    private String runArgument;

    @Parameters(index = "2", paramLabel = "FILE", description = "The bundle to write; must not exist.")
    private String fileArgument;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final DatabaseDirectory directory = DatabaseDirectory.open(directoryArgument);
        final RunId run = DumpCommand.parseRun(runArgument);
        final Path file = DatabaseDirectory.pathArgument(fileArgument);
        if (Files.exists(file))
        {
            throw new CommandFailure(Tally.USAGE, "refusing to overwrite " + file);
        }
        final RunBundle bundle;
        try (PrivateCopy copy = PrivateCopy.open(directory))
        {
            final Database db = copy.database();
            bundle = new RunBundle(run, db.runHistory(run), db.replayRun(run).toJsonText(), db.replayHash(run));
        }
        bundle.write(file);
        final String line = "exported run " + run + ": " + bundle.frames().size() + " frames, replay hash "
            + bundle.replayHash() + ", to " + file + " (" + DatabaseDirectory.size(file) + " bytes)";
        if (common.isJson)
        {
            spec.commandLine().getOut().println(Json.object().add("run", run.toString()).add("file", file.toString())
                .add("frames", bundle.frames().size()).add("replayHash", bundle.replayHash())
                .add("length", DatabaseDirectory.size(file)).build());
        }
        else
        {
            spec.commandLine().getOut().println(line);
        }
        return Tally.OK;
    }
}
