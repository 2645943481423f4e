/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.StorageFailures;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.snapshot.internal.SnapshotParser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads and verifies snapshot files in the layout of {@link SnapshotDescriptor}. Every header field and section
 * length is checked against the file length before anything is allocated or handed over. {@link #read} returns
 * sections only once the whole file matched its CRC; {@link #load} hands sections to a loader as they are copied and
 * compares the CRC before it returns, so a damaged snapshot still fails the load as a whole and the caller drops what
 * its loader built. {@link #verify} checks the CRC first, then the structure. Stateless; any thread, any number of
 * reads at once.
 */
public final class SnapshotReader
{
    private SnapshotReader()
    {
    }

    /**
     * Reads a whole snapshot; the calling thread does the I/O. Sections of type ids the caller does not know are
     * returned like the others: what they mean is the caller's decision.
     *
     * @param file               the snapshot file. When its name is a snapshot name, the WAL position in it must
     *                           equal the header's.
     * @param expectedDatabaseId the database it must belong to.
     * @return the snapshot with all its sections.
     * @throws CorruptDataException with {@link ErrorCode#CORRUPT_SNAPSHOT} when the file is damaged (bad magic, CRC,
     *                              truncated, lengths overrunning the file, section ids not unique and ascending,
     *                              trailing bytes), {@link ErrorCode#UNKNOWN_FORMAT_VERSION} when it was written in a
     *                              format version this build does not read, {@link ErrorCode#FOREIGN_DATABASE} when
     *                              it belongs to another database.
     * @throws StorageException     with {@link ErrorCode#STORAGE_IO} when the file cannot be read.
     */
    public static Snapshot read(final Path file, final UUID expectedDatabaseId)
    {
        final List<SnapshotSection> sections = new ArrayList<>();
        final SnapshotHeader header = load(file, expectedDatabaseId, new SectionLoader()
        {
            @Override
            public void begin(final SnapshotHeader header, final int[] typeIds)
            {
                sections.clear();
            }

            @Override
            public void load(final SectionBytes section)
            {
                section.fillAll();
                sections.add(new SnapshotSection(section.typeId(), section.array()));
            }
        });
        return new Snapshot(file, header, sections);
    }

    /**
     * Loads a snapshot section by section into a loader, copying each section out of the file as the loader reads it
     * and checking the file's CRC meanwhile; the calling thread does the I/O and runs the loader, and a helper thread
     * may compute the CRC. The header, the section table and the database id are checked before the loader sees
     * anything; the CRC is compared before this returns, so what the loader built must be dropped when this throws.
     *
     * @param file               the snapshot file. When its name is a snapshot name, the WAL position in it must
     *                           equal the header's.
     * @param expectedDatabaseId the database it must belong to.
     * @param loader             takes the header and the sections.
     * @return the header, once every section was loaded and the CRC matched.
     * @throws CorruptDataException as {@link #read(Path, UUID)} does; what the loader throws is reported as it is
     *                              when the file's CRC matches, and as a CRC mismatch when it does not.
     * @throws StorageException     with {@link ErrorCode#STORAGE_IO} when the file cannot be read.
     */
    public static SnapshotHeader load(final Path file, final UUID expectedDatabaseId, final SectionLoader loader)
    {
        return load(file, expectedDatabaseId, loader, SectionAccess.COPIED);
    }

    /**
     * Loads a snapshot section by section into a loader as {@link #load(Path, UUID, SectionLoader)} does, with the
     * sections copied or read in place from the file's mapping; the calling thread, a helper thread may compute the
     * CRC. Read in place, a section the loader keeps keeps the mapping alive, also when this throws.
     *
     * @param file               the snapshot file.
     * @param expectedDatabaseId the database it must belong to.
     * @param loader             takes the header and the sections.
     * @param access             how the sections reach the loader; a file too large to map is always copied.
     * @return the header, once every section was loaded and the CRC matched.
     * @throws CorruptDataException as {@link #load(Path, UUID, SectionLoader)} does.
     * @throws StorageException     with {@link ErrorCode#STORAGE_IO} when the file cannot be read.
     */
    public static SnapshotHeader load(final Path file, final UUID expectedDatabaseId, final SectionLoader loader,
        final SectionAccess access)
    {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expectedDatabaseId, "expectedDatabaseId");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(access, "access");
        try
        {
            return SnapshotParser.load(file, expectedDatabaseId, loader, access);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot read snapshot: file=" + file, ex);
        }
    }

    /**
     * Checks a whole snapshot without loading its sections and without checking whose it is, for tools; the calling
     * thread does the I/O.
     *
     * @param file the snapshot file.
     * @return valid with the header, or invalid with the code and reason; damage never throws.
     * @throws StorageException with {@link ErrorCode#STORAGE_IO} when the file cannot be read at all.
     */
    public static SnapshotVerification verify(final Path file)
    {
        return verifyOwned(file, null);
    }

    /**
     * Checks a whole snapshot without loading its sections, including that it belongs to a database; the calling
     * thread does the I/O.
     *
     * @param file               the snapshot file.
     * @param expectedDatabaseId the database it must belong to.
     * @return valid with the header, or invalid with the code and reason, as {@link #read(Path, UUID)} would report
     *         it; damage never throws.
     * @throws StorageException with {@link ErrorCode#STORAGE_IO} when the file cannot be read at all.
     */
    public static SnapshotVerification verify(final Path file, final UUID expectedDatabaseId)
    {
        return verifyOwned(file, Objects.requireNonNull(expectedDatabaseId, "expectedDatabaseId"));
    }

    private static SnapshotVerification verifyOwned(final Path file, final UUID expectedDatabaseId)
    {
        final SnapshotParser.Parsed parsed;
        try
        {
            parsed = parse(file, expectedDatabaseId, false);
        }
        catch (final CorruptDataException ex)
        {
            return SnapshotVerification.invalid(file, ex.code(), ex.getMessage());
        }
        final Map<Integer, Long> lengths = new LinkedHashMap<>();
        for (int index = 0; index < parsed.typeIds().length; index++)
        {
            lengths.put(parsed.typeIds()[index], parsed.lengths()[index]);
        }
        return SnapshotVerification.valid(file, parsed.header(), lengths);
    }

    private static SnapshotParser.Parsed parse(final Path file, final UUID expectedDatabaseId, final boolean isLoading)
    {
        Objects.requireNonNull(file, "file");
        try
        {
            return SnapshotParser.parse(file, expectedDatabaseId, isLoading);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot read snapshot: file=" + file, ex);
        }
    }
}
