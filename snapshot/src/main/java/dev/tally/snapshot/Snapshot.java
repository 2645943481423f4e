/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot read from a file that passed every check, so all its sections can be loaded. The engine hands each
 * section to the primitive whose {@code primitiveTypeId()} equals the section's type id, and decides itself what a
 * section without a registered primitive means. Immutable as long as nobody changes the section arrays; any thread.
 */
public final class Snapshot
{
    private final Path file;
    private final SnapshotHeader header;
    private final List<SnapshotSection> sections;
    private final SnapshotSection[] sectionByTypeId = new SnapshotSection[SnapshotDescriptor.SECTION_TYPE_ID_MAX + 1];

    /**
     * Creates a snapshot value; called by the reader after validating the whole file, any thread.
     *
     * @param file     the file it was read from.
     * @param header   the header fields.
     * @param sections the sections, in strictly ascending type id order.
     * @throws IllegalArgumentException when the sections are not in strictly ascending type id order or their count
     *                                  differs from the header's.
     */
    public Snapshot(final Path file, final SnapshotHeader header, final List<SnapshotSection> sections)
    {
        this.file = Objects.requireNonNull(file, "file");
        this.header = Objects.requireNonNull(header, "header");
        if (sections.size() != header.sectionCount())
        {
            throw new IllegalArgumentException("section count differs from header: count=" + sections.size() +
                ", sectionCount=" + header.sectionCount());
        }
        int previousTypeId = 0;
        for (final SnapshotSection section : sections)
        {
            if (section.typeId() <= previousTypeId)
            {
                throw new IllegalArgumentException("sections not in ascending type id order: typeId=" +
                    section.typeId() + ", previousTypeId=" + previousTypeId);
            }
            previousTypeId = section.typeId();
            sectionByTypeId[section.typeId()] = section;
        }
        this.sections = Collections.unmodifiableList(new ArrayList<>(sections));
    }

    /**
     * The file this snapshot was read from; any thread.
     *
     * @return the path as given to the reader.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The header fields (version, timestamp, WAL position, database id, section count); any thread.
     *
     * @return the header.
     */
    public SnapshotHeader header()
    {
        return header;
    }

    /**
     * Every section in ascending type id order, including those of type ids the caller does not know; any thread.
     *
     * @return an unmodifiable list.
     */
    public List<SnapshotSection> sections()
    {
        return sections;
    }

    /**
     * The bytes of the section with a type id, for that primitive's {@code snapshotDeserialize}; any thread.
     *
     * @param typeId the primitive type id.
     * @return the array itself, not a copy (do not change it), or {@code null} when the snapshot has no such section.
     */
    public byte[] section(final int typeId)
    {
        if (typeId < 0 || typeId >= sectionByTypeId.length)
        {
            return null;
        }
        final SnapshotSection section = sectionByTypeId[typeId];
        return section == null ? null : section.data();
    }

    /**
     * Whether the snapshot has a section with a type id; any thread.
     *
     * @param typeId the primitive type id.
     * @return {@code true} when it does.
     */
    public boolean hasSection(final int typeId)
    {
        return section(typeId) != null;
    }

    /**
     * The contents of this snapshot, for writing it again (for example to another directory); any thread.
     *
     * @return the contents, sharing the section arrays.
     */
    public SnapshotContents toContents()
    {
        return new SnapshotContents(header.databaseId(), header.timestampMicros(), header.walPosition(), sections);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "Snapshot{file=" + file + ", header=" + header + ", sections=" + sections + "}";
    }
}
