/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.WalWriter;

/**
 * The {@link LogWriter} over the segmented WAL. Writer thread only, except the pure position functions.
 */
public final class WalLogWriter implements LogWriter
{
    private final WalWriter writer;
    private final int segmentLength;

    /**
     * Wraps an open writer.
     *
     * @param writer the writer, positioned at the end of the log.
     */
    public WalLogWriter(final WalWriter writer)
    {
        this.writer = writer;
        this.segmentLength = writer.segmentLength();
    }

    /** {@inheritDoc} */
    @Override
    public long append(final int typeCode, final TxId txId, final RunId runId, final byte[] payload)
    {
        return writer.append(typeCode, txId, runId, payload, 0, payload.length);
    }

    /** {@inheritDoc} */
    @Override
    public void force()
    {
        writer.force();
    }

    /** {@inheritDoc} */
    @Override
    public boolean canForceInBackground()
    {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public void forceInBackground()
    {
        writer.forceWritten();
    }

    /** {@inheritDoc} */
    @Override
    public long durablePosition()
    {
        return writer.durablePosition();
    }

    /** {@inheritDoc} */
    @Override
    public long nextPosition()
    {
        return writer.nextPosition();
    }

    /** {@inheritDoc} */
    @Override
    public long framePosition(final long nextPosition, final int payloadLength)
    {
        return WalWriter.framePosition(nextPosition, payloadLength, segmentLength);
    }

    /** {@inheritDoc} */
    @Override
    public long frameEnd(final long framePosition, final int payloadLength)
    {
        return WalWriter.frameEndPosition(framePosition, payloadLength, segmentLength);
    }

    /** {@inheritDoc} */
    @Override
    public int payloadLengthMax()
    {
        return FrameDescriptor.payloadLengthMax(segmentLength);
    }

    /** {@inheritDoc} */
    @Override
    public boolean prepareSpare()
    {
        return writer.prepareSpare();
    }

    /** {@inheritDoc} */
    @Override
    public int releaseBefore(final long position)
    {
        return writer.releaseBefore(position);
    }

    /** {@inheritDoc} */
    @Override
    public void close()
    {
        writer.close();
    }
}
