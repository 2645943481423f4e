/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.TallyException;
import dev.tally.core.TxId;

/**
 * The log as the engine's commit path sees it: reserve a position, publish the frame, wait for its durability. Two
 * implementations: {@link LogPipeline}, the writer thread over the segmented WAL (Buffered and Strict), and {@link
 * NoCommitLog}, which writes nothing (InMemory, and a database recovery opened read-only), so the engine never asks
 * which mode it is in.
 *
 * <p>Threading: {@link #reserve}, {@link #reservedEnd}, {@link #committedEnd} and {@link #publish} are called by the
 * holder of the engine's commit lock, which is what makes log order equal commit order; everything else by any
 * thread, and the wait methods only by a thread that does not hold the commit lock.
 */
public interface CommitLog extends AutoCloseable
{
    /**
     * Whether frames reach files: false for a log that writes nothing; any thread.
     *
     * @return whether frames are written.
     */
    boolean writesFrames();

    /**
     * Reserves the log position of the next frame; commit-lock holder only.
     *
     * @param payloadLength the payload length.
     * @return the frame position; {@link #reservedEnd()} is then the frame's end.
     * @throws StorageException with {@link ErrorCode#LOG_FAILED} when the log has failed.
     */
    long reserve(int payloadLength);

    /**
     * The end of the last reserved frame; commit-lock holder only.
     *
     * @return the position.
     */
    long reservedEnd();

    /**
     * A bound above every position committed so far, what readers may have seen; commit-lock holder only.
     *
     * @return the position.
     */
    long committedEnd();

    /**
     * Publishes a frame reserved with {@link #reserve}; commit-lock holder only, in reservation order.
     *
     * @param typeCode the frame type code.
     * @param txId     the transaction.
     * @param runId    the run.
     * @param payload  the payload; not copied, must not change.
     * @param position the reserved position.
     * @param end      the reserved end.
     * @param waiter   the thread to wake when the frame is durable, or {@code null}.
     */
    void publish(int typeCode, TxId txId, RunId runId, byte[] payload, long position, long end, Thread waiter);

    /**
     * The end of the last published frame; any thread.
     *
     * @return the position, 0 for a log that writes nothing.
     */
    long publishedEnd();

    /**
     * Waits until the caller's own frame, published with this thread as its waiter, is durable; the committing
     * thread, after it released the commit lock.
     *
     * @param end the frame's end position.
     * @throws StorageException with {@link ErrorCode#LOG_FAILED} when the log failed before the frame was durable.
     */
    void awaitFrameDurable(long end);

    /**
     * Waits until a position is durable; any thread not holding the commit lock.
     *
     * @param target the position.
     * @throws StorageException with {@link ErrorCode#LOG_FAILED} when the log failed before the position was durable.
     */
    void awaitDurable(long target);

    /**
     * Waits until every frame below a position was appended to the files (not necessarily forced), so a reader of
     * the files sees it; any thread not holding the commit lock.
     *
     * @param target the position, at most the published end.
     */
    void awaitWritten(long target);

    /**
     * Forces now and waits until everything below a position is durable; any thread not holding the commit lock.
     *
     * @param target the position (the reserved end read under the commit lock).
     */
    void flush(long target);

    /**
     * Deletes the log segments wholly before a position, after every frame published before the call; any thread
     * not holding the commit lock.
     *
     * @param position the lowest position still needed.
     */
    void releaseBefore(long position);

    /**
     * The position below which every published byte is durable; any thread.
     *
     * @return the durable position, 0 for a log that writes nothing.
     */
    long durablePosition();

    /**
     * The failure that stopped the log, if any; any thread.
     *
     * @return the failure, or {@code null}.
     */
    TallyException failure();

    /**
     * Throws when the log has failed; any thread.
     *
     * @throws StorageException with {@link ErrorCode#LOG_FAILED} when it has.
     */
    void checkNotFailed();

    /**
     * The writer's counters; any thread.
     *
     * @return the stats, all zero for a log that writes nothing.
     */
    PipelineStats stats();

    /**
     * Stops writing and releases the log; any thread not holding the commit lock, once nothing more is published.
     */
    @Override
    void close();
}
