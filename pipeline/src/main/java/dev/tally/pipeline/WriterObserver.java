/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

/**
 * Told by the log's writer thread of each force and each segment roll, so that a metrics system can keep
 * distributions the counters of the database's {@code stats()} cannot (frames and bytes per force, every force's
 * latency). Set with the engine's {@code DatabaseBuilder.writerObserver}; without one the writer calls nothing.
 * Called on the writer thread, and for a Buffered database's periodic forces on the log's helper thread
 * ({@code tally-wal-spare}), so two calls may overlap: an implementation must be thread-safe, return quickly and never
 * block, since commits wait behind it. An exception it throws is logged once and ignored; it never fails the database.
 */
public interface WriterObserver
{
    /**
     * A force completed and made durable everything appended before it; called on the writer or the helper thread.
     *
     * @param frames     the frames the force made durable (the writer batch or batches since the last force; a
     *                   background force counts the frames appended before the writer handed it over).
     * @param bytes      the frame bytes the force made durable.
     * @param forceNanos how long the force took.
     */
    default void onForce(final int frames, final long bytes, final long forceNanos)
    {
    }

    /**
     * The writer appended the first frame of a new log segment (not called for the segment the database opened in);
     * called on the writer thread.
     *
     * @param segmentBasePosition the log position at which the new segment starts.
     */
    default void onSegmentRoll(final long segmentBasePosition)
    {
    }
}
