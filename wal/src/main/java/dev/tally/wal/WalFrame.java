/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.RunId;
import dev.tally.core.TxId;

import java.nio.ByteBuffer;

/**
 * A flyweight over one validated frame, handed to {@link FrameHandler#onFrame}. Valid only during that call and only
 * on the scanning thread; the accessors returning primitives do not allocate.
 */
public final class WalFrame
{
    private ByteBuffer buffer;
    private ByteBuffer payloadView;
    private int offset;
    private int frameLength;
    private long position;

    WalFrame()
    {
    }

    void wrap(final ByteBuffer buffer, final ByteBuffer payloadView, final int offset, final int frameLength,
        final long position)
    {
        this.buffer = buffer;
        this.payloadView = payloadView;
        this.offset = offset;
        this.frameLength = frameLength;
        this.position = position;
    }

    /**
     * The frame's log position.
     *
     * @return the position.
     */
    public long position()
    {
        return position;
    }

    /**
     * The entry type code.
     *
     * @return 0 to 255.
     */
    public int typeCode()
    {
        return buffer.get(offset + FrameDescriptor.TYPE_OFFSET) & 0xFF;
    }

    /**
     * The frame length, header plus payload, excluding padding.
     *
     * @return the frame length.
     */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * The record length.
     *
     * @return the payload length.
     */
    public int payloadLength()
    {
        return frameLength - FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * The high half of the transaction id, without allocating.
     *
     * @return the most significant bits.
     */
    public long txIdMostSignificantBits()
    {
        return buffer.getLong(offset + FrameDescriptor.TX_ID_OFFSET);
    }

    /**
     * The low half of the transaction id, without allocating.
     *
     * @return the least significant bits.
     */
    public long txIdLeastSignificantBits()
    {
        return buffer.getLong(offset + FrameDescriptor.TX_ID_OFFSET + 8);
    }

    /**
     * The high half of the run id, without allocating.
     *
     * @return the most significant bits.
     */
    public long runIdMostSignificantBits()
    {
        return buffer.getLong(offset + FrameDescriptor.RUN_ID_OFFSET);
    }

    /**
     * The low half of the run id, without allocating.
     *
     * @return the least significant bits.
     */
    public long runIdLeastSignificantBits()
    {
        return buffer.getLong(offset + FrameDescriptor.RUN_ID_OFFSET + 8);
    }

    /**
     * The transaction id; allocates.
     *
     * @return the id.
     */
    public TxId txId()
    {
        return TxId.of(txIdMostSignificantBits(), txIdLeastSignificantBits());
    }

    /**
     * The run id; allocates.
     *
     * @return the id.
     */
    public RunId runId()
    {
        return RunId.of(runIdMostSignificantBits(), runIdLeastSignificantBits());
    }

    /**
     * A read-only little-endian view over the segment whose position and limit bound the record; the same view is
     * reused for every frame (no allocation), so read it during the call only and use relative or bounded access.
     *
     * @return the view.
     */
    public ByteBuffer payload()
    {
        payloadView.clear();
        payloadView.position(offset + FrameDescriptor.PAYLOAD_OFFSET).limit(offset + frameLength);
        return payloadView;
    }

    /**
     * Copies the record into an array.
     *
     * @param target       the destination.
     * @param targetOffset where the first byte goes.
     */
    public void copyPayload(final byte[] target, final int targetOffset)
    {
        buffer.get(offset + FrameDescriptor.PAYLOAD_OFFSET, target, targetOffset, payloadLength());
    }

    /**
     * A copy of the record; allocates.
     *
     * @return a new array.
     */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payloadLength()];
        copyPayload(bytes, 0);
        return bytes;
    }
}
