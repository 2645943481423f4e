/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

/**
 * What one snapshot wrote. Immutable.
 *
 * @param fileName         the snapshot file's name in the database directory.
 * @param walPosition      every frame before this log position is in the snapshot, none after.
 * @param timestampMicros  when it was taken, by the database's clock.
 * @param lengthBytes      the file's length.
 * @param durationNs       how long taking it took (no writer waited for it).
 * @param snapshotsDeleted older snapshots deleted by retention.
 * @param releasedBefore   log segments wholly before this position were handed to the writer for deletion.
 */
public record SnapshotInfo(String fileName, long walPosition, long timestampMicros, long lengthBytes, long durationNs,
    int snapshotsDeleted, long releasedBefore)
{
}
