/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.tally.snapshot.SnapshotTestSupport.DATABASE_ID;
import static dev.tally.snapshot.SnapshotTestSupport.OTHER_DATABASE_ID;
import static dev.tally.snapshot.SnapshotTestSupport.TIMESTAMP_MICROS;
import static dev.tally.snapshot.SnapshotTestSupport.smallContents;
import static dev.tally.snapshot.SnapshotTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SnapshotDirectoryTest
{
    @TempDir
    Path directory;

    private Path path(final long walPosition)
    {
        return directory.resolve(SnapshotDescriptor.fileName(walPosition));
    }

    private List<Long> listedPositions()
    {
        return SnapshotDirectory.list(directory).stream().map(SnapshotFile::walPosition).toList();
    }

    private void corrupt(final long walPosition)
    {
        final byte[] image = FileBytes.read(path(walPosition));
        image[SnapshotDescriptor.HEADER_LENGTH] ^= 1;
        FileBytes.write(path(walPosition), image);
    }

    @Test
    void shouldListNewestFirstByPositionWhenWrittenOutOfOrder() throws IOException
    {
        for (final long position : new long[] {20, 5, 1_000_000_000_000L, 100, 0})
        {
            write(directory, smallContents(position));
        }
        FileBytes.write(directory.resolve(SnapshotDescriptor.temporaryFileName(2_000_000_000_000L)), new byte[10]);
        FileBytes.write(directory.resolve("00000000000000000007.wal"), new byte[10]);
        FileBytes.write(directory.resolve("notes.snap"), new byte[10]);
        Files.createDirectory(directory.resolve(SnapshotDescriptor.fileName(3_000_000_000_000L)));

        assertEquals(List.of(1_000_000_000_000L, 100L, 20L, 5L, 0L), listedPositions());
        assertEquals(path(100), SnapshotDirectory.list(directory).get(1).path());
    }

    @Test
    void shouldReturnEmptyListWhenDirectoryDoesNotExist()
    {
        assertTrue(SnapshotDirectory.list(directory.resolve("missing")).isEmpty());
    }

    @Test
    void shouldDeleteOnlyTemporaryFilesWhenCleaningLeftovers()
    {
        write(directory, smallContents(10));
        final Path leftover = directory.resolve(SnapshotDescriptor.temporaryFileName(30));
        final Path otherTmp = directory.resolve("00000000000000000030.wal.tmp");
        FileBytes.write(leftover, new byte[7]);
        FileBytes.write(otherTmp, new byte[7]);

        final List<Path> deleted = SnapshotDirectory.deleteTemporaryFiles(directory);

        assertEquals(List.of(leftover), deleted);
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(otherTmp), "only snapshot temporaries are ours to delete");
        assertEquals(List.of(10L), listedPositions());
    }

    @Test
    void shouldKeepNewestKWhenRetaining()
    {
        for (long position = 100; position <= 500; position += 100)
        {
            write(directory, smallContents(position));
        }

        final List<Path> deleted = SnapshotDirectory.retain(directory, 2, DATABASE_ID);

        assertEquals(List.of(path(300), path(200), path(100)), deleted);
        assertEquals(List.of(500L, 400L), listedPositions());
        assertEquals(List.of(), SnapshotDirectory.retain(directory, 2, DATABASE_ID));
    }

    @Test
    void shouldNotCountCorruptNewerSnapshotWhenRetaining()
    {
        for (long position = 100; position <= 500; position += 100)
        {
            write(directory, smallContents(position));
        }
        corrupt(500);
        corrupt(300);

        final List<Path> deleted = SnapshotDirectory.retain(directory, 1, DATABASE_ID);

        assertEquals(List.of(path(300), path(200), path(100)), deleted);
        assertEquals(List.of(500L, 400L), listedPositions());
        assertTrue(SnapshotReader.verify(path(400), DATABASE_ID).isValid(), "the newest valid snapshot is kept");
    }

    @Test
    void shouldDeleteNothingWhenFewerValidSnapshotsThanKeepCount()
    {
        write(directory, smallContents(100));
        write(directory, smallContents(200));
        write(directory, new SnapshotContents(OTHER_DATABASE_ID, TIMESTAMP_MICROS, 300, List.of()));
        corrupt(200);

        assertEquals(List.of(), SnapshotDirectory.retain(directory, 2, DATABASE_ID));
        assertEquals(List.of(300L, 200L, 100L), listedPositions());
    }

    @Test
    void shouldIgnoreTemporaryFileWhenRetaining()
    {
        write(directory, smallContents(100));
        write(directory, smallContents(200));
        final Path leftover = directory.resolve(SnapshotDescriptor.temporaryFileName(300));
        FileBytes.write(leftover, new byte[3]);

        final List<Path> deleted = SnapshotDirectory.retain(directory, 1, DATABASE_ID);

        assertEquals(List.of(path(100)), deleted);
        assertTrue(Files.exists(leftover));
    }

    @Test
    void shouldDeleteHistoryFilesOlderThanOldestKeptSnapshotWhenRetaining()
    {
        for (long position = 100; position <= 300; position += 100)
        {
            write(directory, smallContents(position));
            writeHistory(position);
        }
        writeHistory(50);

        final List<Path> deleted = SnapshotDirectory.retain(directory, 2, DATABASE_ID);

        assertEquals(List.of(path(100)), deleted, "only snapshots are reported");
        assertEquals(List.of(300L, 200L), listedHistoryPositions());
    }

    @Test
    void shouldDeleteOrphanAndTemporaryHistoryFiles()
    {
        write(directory, smallContents(100));
        writeHistory(100);
        writeHistory(200);
        final Path leftover = directory.resolve(HistoryFile.fileName(300) +
            SnapshotDescriptor.TEMPORARY_SUFFIX);
        FileBytes.write(leftover, new byte[3]);

        assertEquals(List.of(leftover), SnapshotDirectory.deleteTemporaryFiles(directory));
        assertEquals(List.of(history(200)), SnapshotDirectory.deleteOrphanHistoryFiles(directory));
        assertEquals(List.of(100L), listedHistoryPositions());
        assertEquals(List.of(100L), listedPositions());
    }

    private Path history(final long walPosition)
    {
        return directory.resolve(HistoryFile.fileName(walPosition));
    }

    private void writeHistory(final long walPosition)
    {
        new SnapshotWriter().write(directory, smallContents(walPosition),
            HistoryFile.fileName(walPosition));
    }

    private List<Long> listedHistoryPositions()
    {
        return HistoryFile.list(directory).stream().map(SnapshotFile::walPosition).toList();
    }

    @Test
    void shouldRefuseKeepCountBelowOne()
    {
        write(directory, smallContents(100));

        assertThrows(IllegalArgumentException.class, () -> SnapshotDirectory.retain(directory, 0, DATABASE_ID));
        assertEquals(List.of(100L), listedPositions());
    }

    @Test
    void shouldListNothingButLeftoverWhenOnlyTemporaryFileExists() throws IOException
    {
        FileBytes.write(directory.resolve(SnapshotDescriptor.temporaryFileName(1)), new byte[3]);

        assertTrue(SnapshotDirectory.list(directory).isEmpty());
        try (Stream<Path> entries = Files.list(directory))
        {
            assertEquals(1, entries.count());
        }
    }
}
