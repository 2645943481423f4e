/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import dev.tally.core.RunId;
import dev.tally.core.TxId;

/**
 * What the writer pipeline needs from the log: append a frame, force, and say where frames land. One implementation
 * wraps the segmented WAL; tests wrap it to count or fail forces. Called only from the pipeline's writer thread,
 * except {@link #framePosition} and {@link #frameEnd}, which are pure and called by committing threads.
 */
public interface LogWriter extends AutoCloseable
{
    /**
     * Appends a frame; writer thread only.
     *
     * @param typeCode the entry type code.
     * @param txId     the transaction.
     * @param runId    the run.
     * @param payload  the payload.
     * @return the frame's log position.
     */
    long append(int typeCode, TxId txId, RunId runId, byte[] payload);

    /** Forces every frame written so far to the storage device; writer thread only. */
    void force();

    /**
     * The position below which every byte is durable; the writer thread, and the helper thread after {@link
     * #forceInBackground}.
     *
     * @return the durable position.
     */
    long durablePosition();

    /**
     * Where the next frame goes; any thread before the writer starts, then the writer thread.
     *
     * @return the next position.
     */
    long nextPosition();

    /**
     * The position a frame with this payload length gets when the log's next position is {@code nextPosition}
     * (after a segment roll if it does not fit); pure, any thread.
     *
     * @param nextPosition  the log's next position.
     * @param payloadLength the payload length.
     * @return the frame position.
     */
    long framePosition(long nextPosition, int payloadLength);

    /**
     * The position just after such a frame, which is the log's next position once it is written; pure, any thread.
     *
     * @param framePosition the frame position from {@link #framePosition}.
     * @param payloadLength the payload length.
     * @return the end position.
     */
    long frameEnd(long framePosition, int payloadLength);

    /**
     * The largest payload one frame can hold; pure, any thread.
     *
     * @return the length in bytes.
     */
    int payloadLengthMax();

    /**
     * Prepares the next segment ahead of its roll; the pipeline's preparing thread, while the writer thread appends.
     * Wrappers that do not delegate prepare nothing, and their rolls create segments on the writer thread.
     *
     * @return whether a spare segment is ready.
     */
    default boolean prepareSpare()
    {
        return false;
    }

    /**
     * Whether {@link #forceInBackground} works for this log; any thread. Wrappers that do not delegate say no, and
     * the writer thread then runs the periodic force itself.
     *
     * @return {@code true} when the log can be forced from another thread while the writer appends.
     */
    default boolean canForceInBackground()
    {
        return false;
    }

    /**
     * Forces every frame complete when the call starts, from the pipeline's helper thread while the writer thread
     * keeps appending; only when {@link #canForceInBackground} says so.
     */
    default void forceInBackground()
    {
        throw new UnsupportedOperationException("this log is forced on the writer thread only");
    }

    /**
     * Deletes the log segments wholly before a position no reader needs any more; writer thread only. Wrappers that
     * do not delegate keep every segment.
     *
     * @param position the lowest position still needed.
     * @return the number of segments deleted.
     */
    default int releaseBefore(final long position)
    {
        return 0;
    }

    /** Forces and releases the log; writer thread, or any thread once the writer has stopped. */
    @Override
    void close();
}
