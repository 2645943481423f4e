/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.PrimitiveStorageExt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a snapshot holds: the database id, the time it was taken, the WAL position it covers and one section per
 * primitive, kept in ascending type id order. Immutable as long as nobody changes the section arrays; any thread.
 */
public final class SnapshotContents
{
    private final UUID databaseId;
    private final long timestampMicros;
    private final long walPosition;
    private final List<SnapshotSection> sections;

    /**
     * Creates the contents, sorting the sections by type id; any thread. The section arrays are kept, not copied.
     *
     * @param databaseId      the database the snapshot belongs to.
     * @param timestampMicros when it was taken, in microseconds since the epoch (from the engine's clock).
     * @param walPosition     every WAL frame before this position is in the snapshot, none at or after it.
     * @param sections        the sections, in any order, each type id at most once.
     * @throws IllegalArgumentException when the timestamp or position is negative, or a type id repeats.
     * @throws NullPointerException     when an argument or section is {@code null}.
     */
    public SnapshotContents(
        final UUID databaseId, final long timestampMicros, final long walPosition, final List<SnapshotSection> sections)
    {
        this.databaseId = Objects.requireNonNull(databaseId, "databaseId");
        if (timestampMicros < 0)
        {
            throw new IllegalArgumentException("negative timestampMicros=" + timestampMicros);
        }
        if (walPosition < 0)
        {
            throw new IllegalArgumentException("negative walPosition=" + walPosition);
        }
        this.timestampMicros = timestampMicros;
        this.walPosition = walPosition;
        this.sections = sortedUnique(sections);
    }

    /**
     * Serializes each primitive into its section, in the calling thread; the caller makes sure the primitives do
     * not change meanwhile (the engine's commit path or a consistent copy).
     *
     * @param databaseId      the database the snapshot belongs to.
     * @param timestampMicros when it was taken, in microseconds since the epoch.
     * @param walPosition     every WAL frame before this position is in the snapshot, none at or after it.
     * @param primitives      the primitives; their type ids must differ.
     * @return the contents.
     * @throws IllegalArgumentException when a type id repeats or is out of range.
     */
    public static SnapshotContents fromPrimitives(
        final UUID databaseId,
        final long timestampMicros,
        final long walPosition,
        final List<? extends PrimitiveStorageExt> primitives)
    {
        final List<SnapshotSection> sections = new ArrayList<>(primitives.size());
        for (final PrimitiveStorageExt primitive : primitives)
        {
            sections.add(new SnapshotSection(primitive.primitiveTypeId(), primitive.snapshotSerialize()));
        }
        return new SnapshotContents(databaseId, timestampMicros, walPosition, sections);
    }

    /**
     * The database the snapshot belongs to; any thread.
     *
     * @return the id.
     */
    public UUID databaseId()
    {
        return databaseId;
    }

    /**
     * When the snapshot was taken; any thread. For display only: recovery never orders by it.
     *
     * @return microseconds since the epoch.
     */
    public long timestampMicros()
    {
        return timestampMicros;
    }

    /**
     * The WAL position covered: every frame before it is in the snapshot, none at or after it; any thread.
     *
     * @return the position, also the number in the file name.
     */
    public long walPosition()
    {
        return walPosition;
    }

    /**
     * The sections in ascending type id order; any thread.
     *
     * @return an unmodifiable list.
     */
    public List<SnapshotSection> sections()
    {
        return sections;
    }

    /**
     * The number of bytes the snapshot file of these contents takes; any thread.
     *
     * @return header, section headers, section bytes and trailer.
     */
    public long fileLength()
    {
        long length = SnapshotDescriptor.HEADER_LENGTH + SnapshotDescriptor.TRAILER_LENGTH;
        for (final SnapshotSection section : sections)
        {
            length += SnapshotDescriptor.SECTION_HEADER_LENGTH + (long)section.length();
        }
        return length;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "SnapshotContents{databaseId=" + databaseId + ", timestampMicros=" + timestampMicros +
            ", walPosition=" + walPosition + ", sections=" + sections + "}";
    }

    private static List<SnapshotSection> sortedUnique(final List<SnapshotSection> sections)
    {
        final List<SnapshotSection> sorted = new ArrayList<>(sections.size());
        for (final SnapshotSection section : sections)
        {
            sorted.add(Objects.requireNonNull(section, "section"));
        }
        sorted.sort(Comparator.comparingInt(SnapshotSection::typeId));
        for (int i = 1; i < sorted.size(); i++)
        {
            if (sorted.get(i).typeId() == sorted.get(i - 1).typeId())
            {
                throw new IllegalArgumentException("duplicate section type id: typeId=" + sorted.get(i).typeId());
            }
        }
        return Collections.unmodifiableList(sorted);
    }
}
