/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.CorruptDataException;
import dev.tally.engine.Database;
import dev.tally.wal.DirectoryLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A database opened on a private copy of a directory's files in a temporary folder, for the commands that read
 * through {@link Database} (replay, diff, export). The engine has no read-only open: opening takes the writer's lock
 * (writing this pid into the lock file) and may cut a torn tail, so the copy is opened instead and the original is
 * never locked and never changed; the lock file is not copied. A copy taken beside a live writer may end in a torn
 * tail (a write in flight), which the copy's recovery cuts. Closed by the command's thread.
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

    /** Copies tried before giving up when a live writer deletes a file between the listing and its copy. */
    private static final int COPY_ATTEMPTS = 3;

    static PrivateCopy open(final DatabaseDirectory directory)
    {
        final Path copy;
        try
        {
            copy = Files.createTempDirectory("tally-read-");
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "cannot create a temporary folder to read "
                + directory.path() + " in: " + ex.getMessage(), ex);
        }
        try
        {
            copyFiles(directory, copy);
            return new PrivateCopy(copy, Database.open(copy));
        }
        catch (final CorruptDataException ex)
        {
            delete(copy);
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "the database is damaged and does not open to be read: "
                + ex.getMessage() + " (tally verify names the damage; tally recover --dry-run --policy tells what an "
                + "open could do)", ex);
        }
        catch (final RuntimeException ex)
        {
            delete(copy);
            throw ex;
        }
    }

    private static void copyFiles(final DatabaseDirectory directory, final Path copy)
    {
        for (int attempt = 1; ; attempt++)
        {
            try (Stream<Path> files = Files.list(directory.path()))
            {
                for (final Path file : files.filter(Files::isRegularFile).toList())
                {
                    // The lock file is never opened: closing any descriptor of it would drop a lock this process
                    // holds, and it is no part of the state.
                    if (!DirectoryLock.LOCK_FILE_NAME.equals(file.getFileName().toString()))
                    {
                        Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return;
            }
            catch (final NoSuchFileException ex)
            {
                // A live writer deleted a segment or a snapshot it no longer needs; list again.
                if (attempt == COPY_ATTEMPTS)
                {
                    throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "cannot copy " + directory.path() + " for "
                        + "reading: its files kept changing under a live writer (" + ex.getFile() + " vanished)", ex);
                }
                delete(copy);
                recreate(copy);
            }
            catch (final IOException ex)
            {
                throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "cannot copy " + directory.path()
                    + " to a temporary folder for reading: " + ex.getMessage(), ex);
            }
        }
    }

    private static void recreate(final Path copy)
    {
        try
        {
            Files.createDirectories(copy);
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "cannot create " + copy + ": " + ex.getMessage(), ex);
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
