/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.engine.Database;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SnapshotDescriptor;
import dev.tally.wal.DirectoryLock;
import dev.tally.wal.SegmentDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The database directory a command names: checked to be a path, not a flag, an existing folder and a Tally database,
 * with its files listed by the modules' own name rules. Immutable; the command's thread.
 *
 * @param path       the directory.
 * @param databaseId the id from its identity file.
 */
record DatabaseDirectory(Path path, UUID databaseId)
{
    /** The identity file's name, as the engine writes it. */
    static final String IDENTITY_FILE_NAME = "tally.db";

    /** The kernel's table of file locks (Linux). */
    private static final Path LOCK_TABLE = Path.of("/proc/locks");

    /** One log segment file. */
    record Segment(String fileName, long basePosition, long length)
    {
    }

    /**
     * Checks an argument that names an existing database directory.
     *
     * @param argument the argument as typed.
     * @return the directory.
     * @throws CommandFailure with {@link Tally#USAGE} when it is a flag, missing, not a folder or not a database.
     */
    static DatabaseDirectory open(final String argument)
    {
        final Path path = existingFolder(argument);
        final UUID id = Database.databaseId(path).orElseThrow(() -> new CommandFailure(Tally.USAGE,
            "not a Tally database (no " + IDENTITY_FILE_NAME + "): " + path));
        return new DatabaseDirectory(path, id);
    }

    /**
     * Checks an argument that names a path, refusing one that looks like a flag.
     *
     * @param argument the argument as typed.
     * @return the path.
     */
    static Path pathArgument(final String argument)
    {
        if (argument.startsWith("-"))
        {
            throw new CommandFailure(Tally.USAGE, "refusing a path that looks like a flag: " + argument
                + " (write ./" + argument + " if a file is really named so)");
        }
        return Path.of(argument);
    }

    static Path existingFolder(final String argument)
    {
        final Path path = pathArgument(argument);
        if (!Files.exists(path))
        {
            throw new CommandFailure(Tally.USAGE, "no such directory: " + path);
        }
        if (!Files.isDirectory(path))
        {
            throw new CommandFailure(Tally.USAGE, "not a directory: " + path);
        }
        return path;
    }

    /**
     * The log segments, lowest base position first.
     *
     * @return the segments.
     */
    List<Segment> segments()
    {
        final List<Segment> segments = new ArrayList<>();
        for (final Path file : files())
        {
            final String name = file.getFileName().toString();
            final long base = SegmentDescriptor.parseFileName(name);
            if (base >= 0)
            {
                segments.add(new Segment(name, base, size(file)));
            }
        }
        segments.sort((a, b) -> Long.compare(a.basePosition(), b.basePosition()));
        return segments;
    }

    /**
     * The files that are neither a segment, a snapshot, a history file, the identity nor the lock.
     *
     * @return their names, sorted.
     */
    List<String> otherFiles()
    {
        final List<String> others = new ArrayList<>();
        for (final Path file : files())
        {
            final String name = file.getFileName().toString();
            if (SegmentDescriptor.parseFileName(name) < 0 && SnapshotDescriptor.parseFileName(name) < 0
                && HistoryFile.parseFileName(name) < 0 && !IDENTITY_FILE_NAME.equals(name)
                && !DirectoryLock.LOCK_FILE_NAME.equals(name))
            {
                others.add(name);
            }
        }
        others.sort(String::compareTo);
        return others;
    }

    /**
     * The first position the log still holds: the base of its first segment, or 0 without one.
     *
     * @return the position.
     */
    long firstPosition()
    {
        final List<Segment> segments = segments();
        return segments.isEmpty() ? 0 : segments.get(0).basePosition();
    }

    /**
     * The process holding the writer's lock, found in the kernel's lock table by the lock file's inode. The lock file
     * is never opened: opening and closing it would change nothing on disk, but would drop a lock this same process
     * holds on it (POSIX locks belong to the process), and the read-only commands must leave a live writer alone.
     *
     * @return the holder's pid, or empty when nobody holds it or the system has no lock table to read (not Linux).
     */
    OptionalLong heldBy()
    {
        final Path lockFile = path.resolve(DirectoryLock.LOCK_FILE_NAME);
        if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(LOCK_TABLE))
        {
            return OptionalLong.empty();
        }
        final String inode;
        try
        {
            inode = ":" + Files.getAttribute(lockFile, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException ex)
        {
            return OptionalLong.empty();
        }
        try (Stream<String> lines = Files.lines(LOCK_TABLE))
        {
            // "1: POSIX  ADVISORY  WRITE 4242 fe:00:2146334 0 EOF"; a waiter's line has "->" after the number.
            return lines.map(line -> line.strip().split("\\s+"))
                .filter(fields -> fields.length >= 6 && !"->".equals(fields[1]) && fields[5].endsWith(inode))
                .mapToLong(fields -> Long.parseLong(fields[4]))
                .findFirst();
        }
        catch (final IOException | UncheckedIOException | NumberFormatException ex)
        {
            return OptionalLong.empty();
        }
    }

    /**
     * Takes the writer's lock, for the commands that change bytes.
     *
     * @return the held lock.
     * @throws CommandFailure with {@link Tally#DAMAGED_OR_LOCKED} when another process holds the directory.
     */
    DirectoryLock lock()
    {
        refuseIfHeld();
        try
        {
            return DirectoryLock.acquire(path);
        }
        catch (final dev.tally.core.StorageException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, inUse(OptionalLong.empty()), ex);
        }
    }

    /**
     * Refuses, before anything is read or written, a directory the lock table shows held by another process; the
     * commands that change bytes call it, and {@link #lock()} refuses as well where the table cannot be read.
     *
     * @throws CommandFailure with {@link Tally#DAMAGED_OR_LOCKED} when another process holds the directory.
     */
    void refuseIfHeld()
    {
        final OptionalLong holder = heldBy();
        if (holder.isPresent() && holder.getAsLong() != ProcessHandle.current().pid())
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, inUse(holder));
        }
    }

    private String inUse(final OptionalLong holder)
    {
        return "the database is in use by another process" + (holder.isPresent() ? " (pid " + holder.getAsLong()
            + ")" : "") + ", which holds " + DirectoryLock.LOCK_FILE_NAME + "; nothing was changed: " + path;
    }

    static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private List<Path> files()
    {
        try (Stream<Path> entries = Files.list(path))
        {
            return entries.filter(Files::isRegularFile).toList();
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "cannot list " + path + ": " + ex.getMessage(), ex);
        }
    }
}
