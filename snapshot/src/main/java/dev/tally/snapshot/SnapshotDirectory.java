/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.core.StorageFailures;
import dev.tally.snapshot.internal.FileSnapshotStorage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Finds and prunes the snapshots of a directory, and the history files next to them, by their file names
 * ({@link SnapshotDescriptor#fileName(long)}, {@link HistoryFile#fileName(long)}). Stateless; any
 * thread, but {@link #deleteTemporaryFiles(Path)}, {@link #deleteOrphanHistoryFiles(Path)} and
 * {@link #retain(Path, int, UUID)} must not run while a {@link SnapshotWriter} writes into the same directory (the
 * engine calls them from its snapshot thread, or at open under the directory lock).
 */
public final class SnapshotDirectory
{
    private SnapshotDirectory()
    {
    }

    /**
     * The snapshot files of a directory, newest (highest WAL position) first, without reading them; any thread.
     * Temporary files and other names are ignored.
     *
     * @param directory the directory.
     * @return a new list, empty when the directory has no snapshot or does not exist.
     * @throws StorageException with {@link ErrorCode#STORAGE_IO} when the directory cannot be listed.
     */
    public static List<SnapshotFile> list(final Path directory)
    {
        return list(directory, false);
    }

    /** The snapshot or the history files of a directory, newest first; any thread. */
    static List<SnapshotFile> list(final Path directory, final boolean isHistory)
    {
        final List<SnapshotFile> files = new ArrayList<>();
        for (final Path path : entries(directory))
        {
            final String name = path.getFileName().toString();
            final long walPosition = isHistory ? HistoryFile.parseFileName(name)
                : SnapshotDescriptor.parseFileName(name);
            if (walPosition >= 0 && Files.isRegularFile(path))
            {
                files.add(new SnapshotFile(path, walPosition));
            }
        }
        files.sort(Comparator.comparingLong(SnapshotFile::walPosition).reversed());
        return files;
    }

    /**
     * Deletes the {@code .snap.tmp} and {@code .hist.tmp} files an interrupted write left behind, then forces the
     * directory.
     *
     * @param directory the directory.
     * @return the files deleted, in name order.
     * @throws StorageException with {@link ErrorCode#STORAGE_IO} when listing, a delete or the force fails.
     */
    public static List<Path> deleteTemporaryFiles(final Path directory)
    {
        final List<Path> temporaryFiles = new ArrayList<>();
        for (final Path path : entries(directory))
        {
            if (SnapshotDescriptor.isTemporaryFileName(path.getFileName().toString()))
            {
                temporaryFiles.add(path);
            }
        }
        Collections.sort(temporaryFiles);
        return delete(directory, temporaryFiles);
    }

    /**
     * Deletes the history files that have no snapshot file of the same position (a crash between writing the history
     * file and its snapshot leaves one), then forces the directory.
     *
     * @param directory the directory.
     * @return the files deleted, newest first.
     * @throws StorageException with {@link ErrorCode#STORAGE_IO} when listing, a delete or the force fails.
     */
    public static List<Path> deleteOrphanHistoryFiles(final Path directory)
    {
        final List<Path> orphans = new ArrayList<>();
        for (final SnapshotFile history : HistoryFile.list(directory))
        {
            if (!Files.exists(directory.resolve(SnapshotDescriptor.fileName(history.walPosition()))))
            {
                orphans.add(history.path());
            }
        }
        return delete(directory, orphans);
    }

    /**
     * Keeps the newest {@code keepCount} valid snapshots of a database and deletes every snapshot file older than the
     * oldest of them, valid or not, then forces the directory. A damaged, foreign or unreadable-version file newer
     * than that is kept (it does not count as one of the kept snapshots, and may be evidence to report), so the newest
     * valid snapshot is never deleted. With fewer valid snapshots than {@code keepCount}, nothing is deleted.
     * Snapshots are verified newest first, only until enough valid ones are found. The history files of every
     * position older than the oldest kept snapshot are deleted with them (and not returned).
     *
     * @param directory  the directory.
     * @param keepCount  how many valid snapshots to keep, at least 1.
     * @param databaseId the database whose snapshots count as valid.
     * @return the snapshot files deleted, newest first.
     * @throws IllegalArgumentException when {@code keepCount} is less than 1.
     * @throws StorageException         with {@link ErrorCode#STORAGE_IO} when listing, reading, a delete or the force
     *                                  fails; files deleted before the failure stay deleted.
     */
    public static List<Path> retain(final Path directory, final int keepCount, final UUID databaseId)
    {
        if (keepCount < 1)
        {
            throw new IllegalArgumentException("keepCount must be at least 1: keepCount=" + keepCount);
        }
        Objects.requireNonNull(databaseId, "databaseId");
        final List<SnapshotFile> files = list(directory);
        int validCount = 0;
        int index = 0;
        // Bounded by the listing; stops at the keepCount-th valid snapshot.
        while (index < files.size() && validCount < keepCount)
        {
            if (SnapshotReader.verify(files.get(index).path(), databaseId).isValid())
            {
                validCount++;
            }
            index++;
        }
        if (validCount < keepCount)
        {
            return new ArrayList<>();
        }
        final long oldestKept = files.get(index - 1).walPosition();
        final List<Path> older = new ArrayList<>();
        for (final SnapshotFile file : files.subList(index, files.size()))
        {
            older.add(file.path());
        }
        final List<Path> olderHistory = new ArrayList<>();
        for (final SnapshotFile history : HistoryFile.list(directory))
        {
            if (history.walPosition() < oldestKept)
            {
                olderHistory.add(history.path());
            }
        }
        final List<Path> deleted = delete(directory, older);
        delete(directory, olderHistory);
        return deleted;
    }

    private static List<Path> entries(final Path directory)
    {
        final List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
        {
            for (final Path path : stream)
            {
                entries.add(path);
            }
        }
        catch (final NoSuchFileException ex)
        {
            return entries;
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot list snapshot directory: directory=" + directory, ex);
        }
        return entries;
    }

    private static List<Path> delete(final Path directory, final List<Path> files)
    {
        final List<Path> deleted = new ArrayList<>(files.size());
        if (files.isEmpty())
        {
            return deleted;
        }
        try
        {
            for (final Path file : files)
            {
                if (Files.deleteIfExists(file))
                {
                    deleted.add(file);
                }
            }
            FileSnapshotStorage.forceDirectoryOf(directory);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot delete snapshot files: directory=" + directory +
                ", deleted=" + deleted.size() + ", toDelete=" + files.size(), ex);
        }
        return deleted;
    }
}
