/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.util.Objects;
import java.util.UUID;

/**
 * The validated header fields of a snapshot file, as described by {@link SnapshotDescriptor}. Immutable; any thread.
 */
public final class SnapshotHeader
{
    private final int formatVersion;
    private final long timestampMicros;
    private final long walPosition;
    private final UUID databaseId;
    private final int sectionCount;

    /**
     * Creates a header value; called by the reader, any thread.
     *
     * @param formatVersion   the format version of the file.
     * @param timestampMicros when the snapshot was taken, in microseconds since the epoch.
     * @param walPosition     the WAL position covered.
     * @param databaseId      the database the snapshot belongs to.
     * @param sectionCount    the number of sections.
     */
    public SnapshotHeader(
        final int formatVersion,
        final long timestampMicros,
        final long walPosition,
        final UUID databaseId,
        final int sectionCount)
    {
        this.formatVersion = formatVersion;
        this.timestampMicros = timestampMicros;
        this.walPosition = walPosition;
        this.databaseId = Objects.requireNonNull(databaseId, "databaseId");
        this.sectionCount = sectionCount;
    }

    /**
     * The format version the file was written in; any thread.
     *
     * @return 1 in this build.
     */
    public int formatVersion()
    {
        return formatVersion;
    }

    /**
     * When the snapshot was taken; any thread. For display only.
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
     * @return the position from which recovery scans the log.
     */
    public long walPosition()
    {
        return walPosition;
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
     * The number of sections in the file; any thread.
     *
     * @return 0 to 255.
     */
    public int sectionCount()
    {
        return sectionCount;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof SnapshotHeader))
        {
            return false;
        }
        final SnapshotHeader that = (SnapshotHeader)other;
        return formatVersion == that.formatVersion && timestampMicros == that.timestampMicros &&
            walPosition == that.walPosition && databaseId.equals(that.databaseId) && sectionCount == that.sectionCount;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int hashCode()
    {
        return Objects.hash(formatVersion, timestampMicros, walPosition, databaseId, sectionCount);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "SnapshotHeader{formatVersion=" + formatVersion + ", timestampMicros=" + timestampMicros +
            ", walPosition=" + walPosition + ", databaseId=" + databaseId + ", sectionCount=" + sectionCount + "}";
    }
}
