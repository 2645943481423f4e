/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.replay.HistorySection;
import dev.tally.snapshot.SnapshotContents;
import dev.tally.snapshot.SnapshotDescriptor;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.snapshot.SnapshotSection;
import dev.tally.snapshot.SnapshotWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The run history files: {@code <position>.hist}, in the snapshot layout with one HISTORY section
 * ({@link HistorySection#TYPE_ID}), next to the snapshot of the same position. Stateless; any thread.
 *
 * <p>Design note: the history is kept out of the {@code .snap} so that recovery, which never needs it, does not read
 * and checksum it. The history file is written before its snapshot, so a snapshot never exists without its history;
 * a history file without its snapshot is harmless and deleted at open. A {@code .snap} with no {@code .hist} was
 * written before the split and may still hold the section itself, so it is read as its own history file.
 */
final class HistoryFiles
{
    private HistoryFiles()
    {
    }

    /**
     * Writes the history file of a position durably; the snapshot thread, before the snapshot of that position.
     *
     * @param writer          the snapshot writer.
     * @param directory       the database directory.
     * @param databaseId      the database id.
     * @param timestampMicros the snapshot's timestamp.
     * @param position        the snapshot's position.
     * @param history         the encoded HISTORY section.
     */
    static void write(final SnapshotWriter writer, final Path directory, final UUID databaseId,
        final long timestampMicros, final long position, final byte[] history)
    {
        final SnapshotContents contents = new SnapshotContents(databaseId, timestampMicros, position,
            List.of(new SnapshotSection(HistorySection.TYPE_ID, history)));
        writer.write(directory, contents, SnapshotDescriptor.historyFileName(position));
    }

    /**
     * The files history can be read from, newest first: every history file, and every snapshot without one (written
     * before the split); any thread.
     *
     * @param directory the database directory.
     * @return a new list.
     */
    static List<SnapshotFile> sources(final Path directory)
    {
        final List<SnapshotFile> sources = new ArrayList<>(SnapshotDirectory.listHistory(directory));
        for (final SnapshotFile snapshot : SnapshotDirectory.list(directory))
        {
            if (!Files.exists(historyPath(directory, snapshot.walPosition())))
            {
                sources.add(snapshot);
            }
        }
        sources.sort(Comparator.comparingLong(SnapshotFile::walPosition).reversed());
        return sources;
    }

    /**
     * The history file of a position, whether or not it exists; any thread.
     *
     * @param directory the database directory.
     * @param position  the snapshot position.
     * @return the path.
     */
    static Path historyPath(final Path directory, final long position)
    {
        return directory.resolve(SnapshotDescriptor.historyFileName(position));
    }

    /**
     * Reads the HISTORY section of a history file (or of a snapshot written before the split); any thread.
     *
     * @param file       the file.
     * @param databaseId the database id.
     * @return the section, or {@code null} when the file has none.
     * @throws CorruptDataException when the file is damaged or foreign.
     */
    static byte[] read(final Path file, final UUID databaseId)
    {
        return SnapshotReader.read(file, databaseId).section(HistorySection.TYPE_ID);
    }
}
