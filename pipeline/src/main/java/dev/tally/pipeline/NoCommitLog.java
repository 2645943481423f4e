/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.TxId;

/**
 * The log of a database that writes none: InMemory mode, and a database recovery opened read-only (whose engine
 * refuses every commit before it reaches the log). Positions are a counter, one per commit, so a commit's position
 * still orders it; nothing is ever durable and no wait waits. Threading as {@link CommitLog} says.
 */
public final class NoCommitLog implements CommitLog
{
    private final PipelineStats stats = new PipelineStats();
    private long lastPosition;

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean writesFrames()
    {
        return false;
    }

    /**
     * {@inheritDoc} Here: one more than the last position, whatever the length.
     */
    @Override
    public long reserve(final int payloadLength)
    {
        return ++lastPosition;
    }

    /**
     * {@inheritDoc} Here: the last reserved position itself; a frame here has no length.
     */
    @Override
    public long reservedEnd()
    {
        return lastPosition;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long committedEnd()
    {
        return lastPosition + 1;
    }

    /**
     * {@inheritDoc} Here: nothing.
     */
    @Override
    public void publish(final int typeCode, final TxId txId, final RunId runId, final byte[] payload,
        final long position, final long end, final Thread waiter)
    {
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long publishedEnd()
    {
        return 0;
    }

    /**
     * {@inheritDoc} Here: returns at once.
     */
    @Override
    public void awaitFrameDurable(final long end)
    {
    }

    /**
     * {@inheritDoc} Here: returns at once.
     */
    @Override
    public void awaitDurable(final long target)
    {
    }

    /**
     * {@inheritDoc} Here: returns at once.
     */
    @Override
    public void awaitWritten(final long target)
    {
    }

    /**
     * {@inheritDoc} Here: returns at once.
     */
    @Override
    public void flush(final long target)
    {
    }

    /**
     * {@inheritDoc} Here: nothing.
     */
    @Override
    public void releaseBefore(final long position)
    {
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long durablePosition()
    {
        return 0;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public TallyException failure()
    {
        return null;
    }

    /**
     * {@inheritDoc} Here: never throws.
     */
    @Override
    public void checkNotFailed()
    {
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public PipelineStats stats()
    {
        return stats;
    }

    /**
     * {@inheritDoc} Here: nothing.
     */
    @Override
    public void close()
    {
    }
}
