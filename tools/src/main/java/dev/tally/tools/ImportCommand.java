/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.StorageException;
import dev.tally.engine.Database;
import dev.tally.wal.DirectoryLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tally import DIR FILE}: checks a run bundle whole (every part against the manifest's SHA-256, the history
 * decoded) and only then writes the run into the database through {@code Database.importRun}, holding the writer's
 * lock; afterwards the run's replayed state must render as the bundle's {@code view.json} (the replay hash differs
 * between databases: it covers the frames' log positions). A directory that does not exist becomes a new
 * database. Picocli calls it on the main thread.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Write a run bundle into a database, after checking every part against its manifest. A damaged "
        + "bundle is refused whole; so is a directory another process holds.")
final class ImportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory (created if missing).")
    private String directoryArgument;

    @Parameters(index = "1", paramLabel = "FILE", description = "The bundle.")
    private String fileArgument;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final Path path = DatabaseDirectory.pathArgument(directoryArgument);
        final Path file = DatabaseDirectory.pathArgument(fileArgument);
        if (!Files.isRegularFile(file))
        {
            throw new CommandFailure(Tally.USAGE, "no such bundle: " + file);
        }
        if (Files.exists(path))
        {
            // A held database is refused with one line before the bundle is read (exit 3).
            DatabaseDirectory.open(directoryArgument).refuseIfHeld();
        }
        final RunBundle bundle = RunBundle.read(file);
        final String replayedView;
        try (Database db = Database.open(path))
        {
            db.importRun(bundle.runId(), bundle.frames());
            replayedView = db.replayRun(bundle.runId()).toJsonText();
        }
        catch (final StorageException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, ex.code() == dev.tally.core.ErrorCode.DIRECTORY_LOCKED
                ? "the database is in use by another process, which holds " + DirectoryLock.LOCK_FILE_NAME
                + "; nothing was changed: " + path : ex.getMessage(), ex);
        }
        final boolean matches = replayedView.equals(bundle.viewJson());
        final String line = "imported run " + bundle.runId() + ": " + bundle.frames().size() + " frames into " + path
            + "; its replayed state " + (matches ? "matches the bundle's view.json" : "DIFFERS from the bundle's "
            + "view.json");
        if (common.isJson)
        {
            spec.commandLine().getOut().println(Json.object().add("run", bundle.runId().toString())
                .add("directory", path.toString()).add("frames", bundle.frames().size())
                .add("matches", matches).build());
        }
        else
        {
            spec.commandLine().getOut().println(line);
        }
        return matches ? Tally.OK : Tally.CHECK_FAILED;
    }
}
