/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.util.Objects;

/**
 * One primitive's section of a snapshot: its type id ({@code PrimitiveStorageExt.primitiveTypeId()}) and the bytes
 * made by its {@code snapshotSerialize()}. Immutable as long as nobody changes the array; any thread.
 * <p>
 * Design note: the bytes are not copied, because sections may be hundreds of megabytes. Whoever hands an array in
 * gives it up, and whoever takes one out must not change it.
 */
public final class SnapshotSection
{
    private final int typeId;
    private final byte[] data;

    /**
     * Creates a section; any thread. The array is kept, not copied.
     *
     * @param typeId the primitive type id, {@link SnapshotDescriptor#SECTION_TYPE_ID_MIN} to
     *               {@link SnapshotDescriptor#SECTION_TYPE_ID_MAX}.
     * @param data   the section bytes, at most {@link SnapshotDescriptor#SECTION_LENGTH_MAX} long.
     * @throws IllegalArgumentException when the type id is out of range or the data too long.
     * @throws NullPointerException     when the data is {@code null}.
     */
    public SnapshotSection(final int typeId, final byte[] data)
    {
        if (typeId < SnapshotDescriptor.SECTION_TYPE_ID_MIN || typeId > SnapshotDescriptor.SECTION_TYPE_ID_MAX)
        {
            throw new IllegalArgumentException("section type id out of range: typeId=" + typeId +
                ", min=" + SnapshotDescriptor.SECTION_TYPE_ID_MIN + ", max=" + SnapshotDescriptor.SECTION_TYPE_ID_MAX);
        }
        Objects.requireNonNull(data, "data");
        if (data.length > SnapshotDescriptor.SECTION_LENGTH_MAX)
        {
            throw new IllegalArgumentException("section too long: typeId=" + typeId + ", length=" + data.length +
                ", sectionLengthMax=" + SnapshotDescriptor.SECTION_LENGTH_MAX);
        }
        this.typeId = typeId;
        this.data = data;
    }

    /**
     * The primitive type id this section belongs to; any thread.
     *
     * @return 1 to 255.
     */
    public int typeId()
    {
        return typeId;
    }

    /**
     * The section bytes, for {@code snapshotDeserialize}; any thread.
     *
     * @return the array itself, not a copy; do not change it.
     */
    public byte[] data()
    {
        return data;
    }

    /**
     * The number of section bytes; any thread.
     *
     * @return the length.
     */
    public int length()
    {
        return data.length;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "SnapshotSection{typeId=" + typeId + ", length=" + data.length + "}";
    }
}
