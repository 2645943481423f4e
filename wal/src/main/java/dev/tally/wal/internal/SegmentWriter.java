/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal.internal;

import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.Unmapper;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.SegmentForcer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The single owner of one mapped segment: writes frames and the durable slot, and forces ranges. Used only from the
 * writer's owner thread. Mapped stores may throw {@link InternalError} or {@link java.io.UncheckedIOException} on an
 * I/O fault; the caller catches them and fails stop.
 */
public final class SegmentWriter
{
    private static final VarHandle FRAME_LENGTH =
        MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final long segmentBasePosition;
    private final int segmentLength;
    private final MappedByteBuffer mapped;
    private final ByteBuffer buffer;
    private final ByteBuffer crcView;
    private final FrameChecksum checksum;
    private final SegmentForcer forcer;

    /**
     * Wraps a mapping; owner thread only.
     *
     * @param file                the segment file.
     * @param segmentBasePosition the base position.
     * @param mapped              the read-write mapping of the whole segment.
     * @param checksum            the owner's frame checksum.
     * @param forcer              how ranges are forced.
     */
    public SegmentWriter(
        final Path file,
        final long segmentBasePosition,
        final MappedByteBuffer mapped,
        final FrameChecksum checksum,
        final SegmentForcer forcer)
    {
        this.file = file;
        this.segmentBasePosition = segmentBasePosition;
        this.segmentLength = mapped.capacity();
        this.mapped = mapped;
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        this.buffer = mapped;
        this.crcView = mapped.duplicate();
        this.checksum = checksum;
        this.forcer = forcer;
    }

    /**
     * The segment file.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The base position.
     *
     * @return the position at offset 0.
     */
    public long segmentBasePosition()
    {
        return segmentBasePosition;
    }

    /**
     * The whole mapping, little-endian; for header validation on open.
     *
     * @return the buffer.
     */
    public ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * Whether no frame has been published at an offset (its length field is zero); owner thread only.
     *
     * @param offset the frame offset.
     * @return {@code true} when the slot is free.
     */
    public boolean isFrameSlotEmpty(final int offset)
    {
        return offset + FrameDescriptor.HEADER_LENGTH > segmentLength || buffer.getLong(offset) == 0;
    }

    /**
     * Writes one frame: header fields, payload, padding and CRC, then publishes the length last; owner thread only.
     *
     * @param offset        the frame offset, aligned and free.
     * @param position      the frame's log position.
     * @param typeCode      the entry type code, 0 to 255.
     * @param txId          the transaction id.
     * @param runId         the run id.
     * @param payload       the record source.
     * @param payloadOffset the first record byte in {@code payload}.
     * @param payloadLength the record length.
     */
    public void writeFrame(
        final int offset,
        final long position,
        final int typeCode,
        final TxId txId,
        final RunId runId,
        final byte[] payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final ByteBuffer buffer = this.buffer;
        final int frameLength = FrameDescriptor.frameLength(payloadLength);
        final int frameEnd = offset + frameLength;
        final int alignedEnd = offset + FrameDescriptor.alignedLength(frameLength);
        assert (offset & (FrameDescriptor.FRAME_ALIGNMENT - 1)) == 0 && alignedEnd <= segmentLength;
        assert buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET) == 0 : "frame slot in use: " + offset;

        buffer.putLong(offset + FrameDescriptor.POSITION_OFFSET, position);
        buffer.put(offset + FrameDescriptor.TYPE_OFFSET, (byte)typeCode);
        buffer.put(offset + FrameDescriptor.FLAGS_OFFSET, (byte)0);
        buffer.putShort(offset + FrameDescriptor.RESERVED_OFFSET, (short)0);
        buffer.putInt(offset + FrameDescriptor.RESERVED_OFFSET + 2, 0);
        buffer.putLong(offset + FrameDescriptor.TX_ID_OFFSET, txId.uuid().getMostSignificantBits());
        buffer.putLong(offset + FrameDescriptor.TX_ID_OFFSET + 8, txId.uuid().getLeastSignificantBits());
        buffer.putLong(offset + FrameDescriptor.RUN_ID_OFFSET, runId.uuid().getMostSignificantBits());
        buffer.putLong(offset + FrameDescriptor.RUN_ID_OFFSET + 8, runId.uuid().getLeastSignificantBits());
        buffer.put(offset + FrameDescriptor.PAYLOAD_OFFSET, payload, payloadOffset, payloadLength);
        for (int i = frameEnd; i < alignedEnd; i++)
        {
            buffer.put(i, (byte)0);
        }
        final int crc = checksum.compute(crcView, offset, frameLength);
        buffer.putInt(offset + FrameDescriptor.CRC_OFFSET, crc);
        // release: publishes the length last, after every other byte of the frame.
        FRAME_LENGTH.setRelease(buffer, offset + FrameDescriptor.FRAME_LENGTH_OFFSET, frameLength);
    }

    /**
     * Writes the durable slot of this segment's header; owner thread only. It lands with the next header force.
     *
     * @param durablePosition the value to persist.
     */
    public void writeDurablePosition(final long durablePosition)
    {
        SegmentDescriptor.writeDurablePosition(buffer, segmentBasePosition, durablePosition);
    }

    /**
     * Forces a range of frames; owner thread only.
     *
     * @param offset the first offset.
     * @param length the number of bytes.
     * @throws IOException when the forcer fails.
     */
    public void force(final int offset, final int length) throws IOException
    {
        if (length > 0)
        {
            forcer.force(mapped, offset, length);
        }
    }

    /**
     * Forces the segment header, carrying the durable slot; owner thread only.
     *
     * @throws IOException when the forcer fails.
     */
    public void forceHeader() throws IOException
    {
        forcer.force(mapped, 0, SegmentDescriptor.HEADER_LENGTH);
    }

    /**
     * Releases the mapping now (see {@link Unmapper}); owner thread only, once nothing will touch this segment again.
     * Every later call on this object crashes the JVM, so the caller drops it at once.
     *
     * @return whether the mapping was released now rather than by the collector.
     */
    public boolean unmap()
    {
        return Unmapper.unmap(mapped);
    }
}
