/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.engine.Database;
import dev.tally.wal.DirectoryLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A database opened on a private copy of a directory's files in a temporary folder, for the commands that read
 * through {@link Database} (replay, diff, export). The engine has no read-only open: opening takes the writer's lock
 * and may cut a torn tail, so the copy is opened instead and the original is never locked and never changed. A copy
 * taken beside a live writer may end in a torn tail, which the copy's recovery cuts. Closed by the command's thread.
 */
final class PrivateCopy implements AutoCloseable
{
    private final Path copy;
    private final Database database;

    private PrivateCopy(final Path copy, final Database database)
    {
        this.copy = copy;
        this.database = database;
    }

    static PrivateCopy open(final DatabaseDirectory directory)
    {
        final Path copy;
        try
        {
            copy = Files.createTempDirectory("tally-read-");
            try (Stream<Path> files = Files.list(directory.path()))
            {
                for (final Path file : files.filter(Files::isRegularFile).toList())
                {
                    if (!DirectoryLock.LOCK_FILE_NAME.equals(file.getFileName().toString()))
                    {
                        Files.copy(file, copy.resolve(file.getFileName()));
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "cannot copy " + directory.path()
                + " to a temporary folder for reading: " + ex.getMessage(), ex);
        }
        try
        {
            return new PrivateCopy(copy, Database.open(copy));
        }
        catch (final RuntimeException ex)
        {
            delete(copy);
            throw ex;
        }
    }

    Database database()
    {
        return database;
    }

    @Override
    public void close()
    {
        try
        {
            database.close();
        }
        finally
        {
            delete(copy);
        }
    }

    static void delete(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // A leftover temporary folder is harmless; the command's result stands.
        }
    }
}
