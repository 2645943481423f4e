/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.StorageFailures;
import dev.tally.core.Unmapper;
import dev.tally.core.WalEntryType;
import dev.tally.wal.internal.FileSegmentStorage;
import dev.tally.wal.internal.FrameChecksum;
import dev.tally.wal.internal.SegmentHeaders;
import dev.tally.wal.internal.Segments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * Reads the log forward from a position, validating every segment header and frame, and classifies how it ends. Not
 * thread-safe: one thread per scanner. Never run it on a directory a live writer is appending to in {@link
 * ScanMode#REPAIR}.
 * <p>
 * Damage is any frame that fails a check: a length out of bounds, a zero length followed by non-zero bytes, a CRC
 * mismatch, a position other than expected, non-zero padding. Damage at or after the durable position recorded in
 * the segment headers is a torn tail: the scan stops there and returns {@link ScanResult.Classification#TORN_TAIL},
 * cutting it in {@link ScanMode#REPAIR}. Damage before the durable position is corruption and throws {@link
 * CorruptLogException}. A bad segment header, a foreign database id, an unknown format version, a frame with a valid
 * CRC but an unaccepted type, and a missing segment are corruption wherever they are; so are frames that end cleanly
 * before the durable position their segment records (durable data was lost). Segment-level damage (a bad header, a
 * foreign database id, an unknown version, a missing segment) is thrown only after every frame before it was
 * delivered, so the frames a scan delivered before any corruption are always the committed prefix before it.
 * <p>
 * Design note: each segment is mapped read-only while it is scanned and unmapped as soon as the scan moves past it
 * or the scanner closes ({@code Unmapper}), so a scan leaves no mapping behind. Reading it into a buffer instead cost
 * a zeroed allocation of a whole segment and a copy of every byte through the kernel, also of the empty rest of the
 * last segment, which recovery after a snapshot otherwise barely touches. A frame's payload view is valid during its
 * handler call only, as {@link WalFrame#payload()} says: the mapping behind it is gone afterwards.
 */
public final class WalScanner implements AutoCloseable
{
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(64 * 1024).asReadOnlyBuffer();

    private final Path directory;
    private final UUID databaseId;
    private final IntPredicate typeAccepted;
    private final FrameChecksum checksum;
    private final WalFrame frame = new WalFrame();
    private final ByteBuffer header =
        ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);

    private MappedByteBuffer mapping;
    private ByteBuffer segment;
    private ByteBuffer crcView;
    private ByteBuffer payloadView;
    private CorruptionReason damageReason;
    private int damageExpectedCrc;
    private int damageActualCrc;
    private String damageDetail;
    private CorruptLogException headerDamage;
    private long frameCount;
    private boolean stopped;

    /**
     * Creates a scanner; any thread, then used on one thread.
     *
     * @param directory    the log directory.
     * @param databaseId   the id every segment must carry.
     * @param typeAccepted accepts the entry type codes that may appear (built-in plus registered extensions).
     */
    public WalScanner(final Path directory, final UUID databaseId, final IntPredicate typeAccepted)
    {
        this.directory = directory;
        this.databaseId = databaseId;
        this.typeAccepted = typeAccepted;
        this.checksum = new FrameChecksum(databaseId);
    }

    /**
     * Accepts the built-in {@link WalEntryType} codes only; any thread.
     *
     * @return the predicate.
     */
    public static IntPredicate builtInTypes()
    {
        return code -> WalEntryType.lookup(code) != null;
    }

    /**
     * Scans from a frame position to the end of the log, delivering each valid frame in order; the scanner's
     * thread only.
     *
     * @param fromPosition the position of the first frame wanted, or 0 (or a segment base) for the first frame.
     * @param mode         whether a torn tail is cut.
     * @param handler      receives the frames.
     * @return how the log ends.
     * @throws CorruptLogException when the log is corrupt; see the class description.
     * @throws dev.tally.core.StorageException when a file cannot be read or repaired.
     */
    public ScanResult scan(final long fromPosition, final ScanMode mode, final FrameHandler handler)
    {
        return controlledScan(fromPosition, mode, frame ->
        {
            handler.onFrame(frame);
            return ControlledFrameHandler.Action.CONTINUE;
        });
    }

    /**
     * Scans from a frame position as {@link #scan(long, ScanMode, FrameHandler)} does, until the end of the log or
     * until the handler returns {@link ControlledFrameHandler.Action#STOP}; the scanner's thread only. A stopped scan
     * returns {@link ScanResult.Classification#STOPPED} with the position of the frame it stopped at, and reads
     * nothing after it: damage or a torn tail beyond the stop is neither reported nor cut.
     *
     * @param fromPosition the position of the first frame wanted, or 0 (or a segment base) for the first frame.
     * @param mode         whether a torn tail is cut.
     * @param handler      receives the frames and says whether to go on.
     * @return how the scan ended.
     * @throws CorruptLogException when the log is corrupt before the stop; see the class description.
     * @throws dev.tally.core.StorageException when a file cannot be read or repaired.
     */
    public ScanResult controlledScan(final long fromPosition, final ScanMode mode,
        final ControlledFrameHandler handler)
    {
        if (fromPosition < 0 || (fromPosition & (FrameDescriptor.FRAME_ALIGNMENT - 1)) != 0)
        {
            throw new InvalidArgumentException(
                ErrorCode.INVALID_ARGUMENT, "fromPosition is not a frame boundary: fromPosition=" + fromPosition);
        }
        frameCount = 0;
        final long[] bases = Segments.list(directory);
        int first = 0;
        while (first < bases.length - 1 && bases[first + 1] <= fromPosition)
        {
            first++;
        }
        if (bases.length == 0)
        {
            return new ScanResult(ScanResult.Classification.CLEAN_END, fromPosition, fromPosition, 0, 0, 0);
        }
        if (fromPosition < bases[first])
        {
            throw new CorruptLogException(CorruptionReason.MISSING_SEGMENT, SegmentDescriptor.fileName(bases[first]), 0,
                fromPosition, CorruptLogException.NO_CRC, CorruptLogException.NO_CRC,
                "the segment holding the scan start is missing: fromPosition=" + fromPosition);
        }
        final int[] segmentLengths = new int[bases.length];
        final long[] segmentDurablePositions = new long[bases.length];
        headerDamage = null;
        final int validEnd = readHeaders(bases, first, segmentLengths, segmentDurablePositions);
        final long durablePosition = durablePosition(bases, validEnd, segmentDurablePositions);
        if (validEnd == first)
        {
            throw headerDamage;
        }
        for (int i = first; i < validEnd; i++)
        {
            final long base = bases[i];
            final int segmentLength = segmentLengths[i];
            readSegment(base, segmentLength);
            final int startOffset = i == first ?
                (int)Math.min(Math.max(fromPosition - base, SegmentDescriptor.HEADER_LENGTH), segmentLength) :
                SegmentDescriptor.HEADER_LENGTH;
            final int endOffset = scanSegment(base, segmentLength, startOffset, handler);
            if (stopped)
            {
                return new ScanResult(ScanResult.Classification.STOPPED, base + endOffset, durablePosition, 0, 0,
                    frameCount);
            }
            if (damageReason != null)
            {
                return onDamage(base, segmentLength, endOffset, durablePosition, mode);
            }
            final long endPosition = Math.max(base + endOffset, fromPosition);
            if (endPosition < segmentDurablePositions[i])
            {
                throw new CorruptLogException(CorruptionReason.TRUNCATED, SegmentDescriptor.fileName(base), endOffset,
                    base + endOffset, CorruptLogException.NO_CRC, CorruptLogException.NO_CRC,
                    "frames end before the durable position: durablePosition=" + segmentDurablePositions[i]);
            }
            if (i == validEnd - 1 && headerDamage != null)
            {
                // Every frame before the first damaged segment was delivered: the damage is the end of the prefix.
                throw headerDamage;
            }
            if (i == bases.length - 1)
            {
                return new ScanResult(
                    ScanResult.Classification.CLEAN_END, endPosition, durablePosition, 0, 0, frameCount);
            }
        }
        throw new IllegalStateException("unreachable: the last segment always returns");
    }

    /**
     * Whether any valid frame (length in bounds, CRC matching, its own position equal to where it lies, type
     * accepted) exists after a damaged position, in its segment or any later one; the scanner's thread. Recovery
     * uses it to tell damage that ends the log (nothing valid follows) from damage in the middle of it.
     *
     * @param damagedPosition the position of the damage, as {@link CorruptLogException#position()} reports it.
     * @return whether a valid frame follows; bounded by the log's length.
     */
    public boolean hasValidFrameAfter(final long damagedPosition)
    {
        final long[] bases = Segments.list(directory);
        for (final long base : bases)
        {
            final int segmentLength;
            try (FileChannel channel = FileChannel.open(directory.resolve(SegmentDescriptor.fileName(base)),
                StandardOpenOption.READ))
            {
                segmentLength = (int)Math.min(channel.size(), Integer.MAX_VALUE);
            }
            catch (final IOException ex)
            {
                throw StorageFailures.storageFailure("cannot open segment: base=" + base, ex);
            }
            if (base + segmentLength <= damagedPosition || segmentLength < SegmentDescriptor.HEADER_LENGTH)
            {
                continue;
            }
            readSegment(base, segmentLength);
            final long startPosition = Math.max(base + SegmentDescriptor.HEADER_LENGTH,
                damagedPosition + FrameDescriptor.FRAME_ALIGNMENT);
            final int start = (int)(startPosition - base + FrameDescriptor.FRAME_ALIGNMENT - 1) &
                -FrameDescriptor.FRAME_ALIGNMENT;
            for (int offset = start; offset <= segmentLength - FrameDescriptor.HEADER_LENGTH;
                offset += FrameDescriptor.FRAME_ALIGNMENT)
            {
                if (looksLikeFrameAt(base, segmentLength, offset))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Where the log's frames stop on the way to a position; the scanner's thread. Follows the frames of the segment
     * holding the position from its first frame, by their lengths and their own positions (not their CRCs, which a
     * scan from there checks), and returns the position itself when a frame ends exactly there, or where the frames
     * stop short of it: a zero length (the log ends there) or a frame that runs past it (the position is no frame
     * boundary of this log). Bytes that are no frame header, and a segment whose header fails, are damage the walk
     * cannot see past: it then returns the position and leaves the damage to the scan. Recovery uses it to refuse a
     * snapshot that lies ahead of the log's last frame.
     *
     * @param position a frame boundary.
     * @return {@code position}, or the earlier position where the log's frames stop; bounded by one segment.
     */
    public long lastFrameEndAtOrBefore(final long position)
    {
        final long[] bases = Segments.list(directory);
        int index = bases.length - 1;
        while (index >= 0 && bases[index] > position)
        {
            index--;
        }
        if (index < 0)
        {
            return position;
        }
        final int[] segmentLengths = new int[bases.length];
        try
        {
            readHeader(bases, index, index, segmentLengths, new long[bases.length]);
        }
        catch (final CorruptLogException ex)
        {
            return position;
        }
        final long base = bases[index];
        final int segmentLength = segmentLengths[index];
        if (position - base <= SegmentDescriptor.HEADER_LENGTH || position - base > segmentLength)
        {
            return position;
        }
        readSegment(base, segmentLength);
        return base + walkFrames(base, segmentLength, (int)(position - base));
    }

    /** The offset where the frames from the segment's first one stop on the way to a target offset. */
    private int walkFrames(final long base, final int segmentLength, final int targetOffset)
    {
        final ByteBuffer buffer = segment;
        int offset = SegmentDescriptor.HEADER_LENGTH;
        // Bounded: every pass advances by at least one frame header towards the target, inside the segment.
        while (offset < targetOffset)
        {
            if (offset > segmentLength - FrameDescriptor.HEADER_LENGTH)
            {
                return offset;
            }
            final int frameLength = buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET);
            if (frameLength == 0)
            {
                return offset;
            }
            if (frameLength < FrameDescriptor.HEADER_LENGTH || frameLength > segmentLength - offset ||
                buffer.getLong(offset + FrameDescriptor.POSITION_OFFSET) != base + offset)
            {
                return targetOffset;
            }
            final int next = offset + FrameDescriptor.alignedLength(frameLength);
            if (next > targetOffset)
            {
                return offset;
            }
            offset = next;
        }
        return targetOffset;
    }

    /**
     * Cuts the log at a position: zeroes everything from it to the end of its segment (lowering that segment's
     * durable slot to the cut), deletes every later segment, and forces; the scanner's thread, only when no writer
     * is open. Recovery uses it when the caller's policy tolerates damage that ends the log.
     *
     * @param position a frame boundary; the log ends here afterwards.
     * @return the number of bytes zeroed or deleted.
     */
    public long cutFrom(final long position)
    {
        final long[] bases = Segments.list(directory);
        long cut = 0;
        for (final long base : bases)
        {
            final Path file = directory.resolve(SegmentDescriptor.fileName(base));
            try
            {
                final long size = java.nio.file.Files.size(file);
                if (base >= position)
                {
                    java.nio.file.Files.delete(file);
                    cut += size;
                }
                else if (base + size > position)
                {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
                        StandardOpenOption.WRITE))
                    {
                        FileSegmentStorage.writeZeros(channel, position - base, size);
                        final ByteBuffer slot = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH)
                            .order(ByteOrder.LITTLE_ENDIAN);
                        readFully(channel, slot, 0);
                        if (SegmentDescriptor.durablePosition(slot) > position)
                        {
                            SegmentDescriptor.writeDurablePosition(slot, base, position);
                            slot.clear();
                            channel.write(slot, 0);
                        }
                        channel.force(false);
                    }
                    cut += size - (position - base);
                }
            }
            catch (final IOException ex)
            {
                throw StorageFailures.storageFailure("cannot cut the log: file=" + file + ", position=" + position, ex);
            }
        }
        return cut;
    }

    /**
     * Unmaps the segment read last; the scanner's thread. The scanner may be used again afterwards.
     */
    @Override
    public void close()
    {
        release();
    }

    /**
     * Reads the headers from the scan's first segment on, stopping at the first one that is damaged (or follows a
     * missing segment) and keeping its corruption in {@link #headerDamage}.
     *
     * @return the index of that segment, or the segment count when every header is valid.
     */
    private int readHeaders(
        final long[] bases, final int first, final int[] segmentLengths, final long[] segmentDurablePositions)
    {
        for (int i = first; i < bases.length; i++)
        {
            try
            {
                readHeader(bases, first, i, segmentLengths, segmentDurablePositions);
            }
            catch (final CorruptLogException ex)
            {
                headerDamage = ex;
                return i;
            }
        }
        return bases.length;
    }

    /**
     * The highest durable position the valid headers record. A segment exists only once its predecessor was fully
     * forced, so the base of a damaged segment, or of the one after a missing segment, is durable too: damage before
     * it is corruption, never a torn tail to cut.
     */
    private static long durablePosition(final long[] bases, final int validEnd, final long[] segmentDurablePositions)
    {
        long durablePosition = validEnd < bases.length ? bases[validEnd] : 0;
        for (int i = 0; i < validEnd; i++)
        {
            durablePosition = Math.max(durablePosition, segmentDurablePositions[i]);
        }
        return durablePosition;
    }

    private void readHeader(final long[] bases, final int first, final int i, final int[] segmentLengths,
        final long[] segmentDurablePositions)
    {
        final String fileName = SegmentDescriptor.fileName(bases[i]);
        if (i > first && bases[i] != bases[i - 1] + segmentLengths[i - 1])
        {
            throw new CorruptLogException(CorruptionReason.MISSING_SEGMENT, fileName, 0,
                bases[i - 1] + segmentLengths[i - 1], CorruptLogException.NO_CRC, CorruptLogException.NO_CRC,
                "a segment is missing before this one: previous=" + SegmentDescriptor.fileName(bases[i - 1]));
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(fileName), StandardOpenOption.READ))
        {
            final long size = channel.size();
            header.clear();
            if (size < header.capacity())
            {
                // A file shorter than a header is corruption, not an I/O error: validate the zero-filled rest.
                for (int j = (int)size; j < header.capacity(); j++)
                {
                    header.put(j, (byte)0);
                }
                header.limit((int)size);
            }
            readFully(channel, header, 0);
            header.clear();
            segmentLengths[i] = SegmentHeaders.validate(header, fileName, size, databaseId);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot read segment header: file=" + fileName, ex);
        }
        segmentDurablePositions[i] = SegmentDescriptor.durablePosition(header);
    }

    private void readSegment(final long base, final int segmentLength)
    {
        release();
        final String fileName = SegmentDescriptor.fileName(base);
        try (FileChannel channel = FileChannel.open(directory.resolve(fileName), StandardOpenOption.READ))
        {
            if (channel.size() < segmentLength)
            {
                throw new IOException("unexpected end of file: size=" + channel.size() + ", segmentLength=" +
                    segmentLength);
            }
            mapping = Unmapper.map(channel, FileChannel.MapMode.READ_ONLY, 0, segmentLength);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot read segment: file=" + fileName, ex);
        }
        segment = mapping.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        crcView = segment.duplicate();
        payloadView = segment.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Unmaps the segment read last, once no view of it is handed out any more. */
    private void release()
    {
        segment = null;
        crcView = null;
        payloadView = null;
        frame.wrap(null, null, 0, 0, 0);
        final MappedByteBuffer released = mapping;
        mapping = null;
        Unmapper.unmap(released);
    }

    private int scanSegment(final long base, final int segmentLength, final int startOffset,
        final ControlledFrameHandler handler)
    {
        final ByteBuffer buffer = segment;
        damageReason = null;
        stopped = false;
        int offset = startOffset;
        // Bounded: every pass either returns or advances offset by at least one frame header within the segment.
        while (true)
        {
            if (offset > segmentLength - FrameDescriptor.HEADER_LENGTH ||
                buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET) == 0)
            {
                if (nonZeroEnd(offset, segmentLength) != offset)
                {
                    damage(CorruptionReason.BAD_LENGTH, 0, 0,
                        "no frame here, yet non-zero bytes follow before the segment end");
                }
                return offset;
            }
            final int frameLength = validateFrame(base, segmentLength, offset);
            if (frameLength < 0)
            {
                return offset;
            }
            final int typeCode = buffer.get(offset + FrameDescriptor.TYPE_OFFSET) & 0xFF;
            if (!typeAccepted.test(typeCode))
            {
                throw new CorruptLogException(CorruptionReason.UNKNOWN_TYPE, SegmentDescriptor.fileName(base), offset,
                    base + offset, buffer.getInt(offset + FrameDescriptor.CRC_OFFSET),
                    buffer.getInt(offset + FrameDescriptor.CRC_OFFSET),
                    "frame carries an entry type code nobody registered: typeCode=0x" + Integer.toHexString(typeCode));
            }
            frame.wrap(buffer, payloadView, offset, frameLength, base + offset);
            if (handler.onFrame(frame) == ControlledFrameHandler.Action.STOP)
            {
                stopped = true;
                return offset;
            }
            frameCount++;
            offset += FrameDescriptor.alignedLength(frameLength);
        }
    }

    private int validateFrame(final long base, final int segmentLength, final int offset)
    {
        final ByteBuffer buffer = segment;
        final int frameLength = buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET);
        if (frameLength < FrameDescriptor.HEADER_LENGTH)
        {
            return damage(CorruptionReason.BAD_LENGTH, 0, 0, "frameLength shorter than a header: frameLength=" +
                frameLength);
        }
        if (frameLength > segmentLength - offset)
        {
            return damage(CorruptionReason.BAD_LENGTH, 0, 0, "frame straddles the segment end: frameLength=" +
                frameLength + ", room=" + (segmentLength - offset));
        }
        final int alignedEnd = offset + FrameDescriptor.alignedLength(frameLength);
        final int storedCrc = buffer.getInt(offset + FrameDescriptor.CRC_OFFSET);
        final int actualCrc = checksum.compute(crcView, offset, frameLength);
        if (storedCrc != actualCrc)
        {
            return damage(CorruptionReason.CRC_MISMATCH, storedCrc, actualCrc, "frameLength=" + frameLength);
        }
        final long storedPosition = buffer.getLong(offset + FrameDescriptor.POSITION_OFFSET);
        final long expectedPosition = base + offset;
        if (storedPosition != expectedPosition)
        {
            return damage(storedPosition < expectedPosition ? CorruptionReason.STALE_FRAME :
                CorruptionReason.POSITION_MISMATCH, storedCrc, actualCrc,
                "frame carries another position: framePosition=" + storedPosition);
        }
        for (int i = offset + frameLength; i < alignedEnd; i++)
        {
            if (buffer.get(i) != 0)
            {
                return damage(CorruptionReason.BAD_PADDING, storedCrc, actualCrc, "non-zero padding at offset=" + i);
            }
        }
        return frameLength;
    }

    private boolean looksLikeFrameAt(final long base, final int segmentLength, final int offset)
    {
        final ByteBuffer buffer = segment;
        final int frameLength = buffer.getInt(offset + FrameDescriptor.FRAME_LENGTH_OFFSET);
        if (frameLength < FrameDescriptor.HEADER_LENGTH || frameLength > segmentLength - offset ||
            buffer.getLong(offset + FrameDescriptor.POSITION_OFFSET) != base + offset ||
            !typeAccepted.test(buffer.get(offset + FrameDescriptor.TYPE_OFFSET) & 0xFF))
        {
            return false;
        }
        return buffer.getInt(offset + FrameDescriptor.CRC_OFFSET) == checksum.compute(crcView, offset, frameLength);
    }

    private int damage(final CorruptionReason reason, final int expectedCrc, final int actualCrc, final String detail)
    {
        damageReason = reason;
        damageExpectedCrc = expectedCrc;
        damageActualCrc = actualCrc;
        damageDetail = detail;
        return -1;
    }

    private ScanResult onDamage(
        final long base,
        final int segmentLength,
        final int offset,
        final long durablePosition,
        final ScanMode mode)
    {
        final long position = base + offset;
        final String fileName = SegmentDescriptor.fileName(base);
        if (position < durablePosition)
        {
            throw new CorruptLogException(damageReason, fileName, offset, position, damageExpectedCrc,
                damageActualCrc, damageDetail + ", durablePosition=" + durablePosition);
        }
        final int tailEnd = nonZeroEnd(offset, segmentLength);
        final long tailLength = tailEnd - offset;
        long bytesCut = 0;
        if (mode == ScanMode.REPAIR && tailLength > 0)
        {
            try (FileChannel channel = FileChannel.open(directory.resolve(fileName), StandardOpenOption.WRITE))
            {
                FileSegmentStorage.writeZeros(channel, offset, tailEnd);
                channel.force(false);
            }
            catch (final IOException ex)
            {
                throw StorageFailures.storageFailure("cannot cut torn tail: file=" + fileName + ", offset=" + offset,
                    ex);
            }
            bytesCut = tailLength;
        }
        return new ScanResult(
            ScanResult.Classification.TORN_TAIL, position, durablePosition, tailLength, bytesCut, frameCount);
    }

    private int nonZeroEnd(final int fromOffset, final int toOffset)
    {
        if (isAllZero(fromOffset, toOffset))
        {
            return fromOffset;
        }
        final ByteBuffer buffer = segment;
        int end = toOffset;
        while (end - Long.BYTES >= fromOffset && buffer.getLong(end - Long.BYTES) == 0)
        {
            end -= Long.BYTES;
        }
        while (end > fromOffset && buffer.get(end - 1) == 0)
        {
            end--;
        }
        return end;
    }

    /** Compares against zeros in chunks with the JDK's vectorized mismatch; the common case at the end of a log. */
    private boolean isAllZero(final int fromOffset, final int toOffset)
    {
        final ByteBuffer zeros = ZEROS.duplicate();
        final ByteBuffer view = segment.duplicate();
        // Bounded: each pass advances by at least one byte towards toOffset.
        for (int offset = fromOffset; offset < toOffset; offset += zeros.capacity())
        {
            final int length = Math.min(zeros.capacity(), toOffset - offset);
            view.limit(offset + length).position(offset);
            zeros.limit(length).position(0);
            if (view.mismatch(zeros) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void readFully(final FileChannel channel, final ByteBuffer target, final long offset)
        throws IOException
    {
        long at = offset;
        // Bounded by the target's remaining bytes; a short file ends the loop with an error.
        while (target.hasRemaining())
        {
            final int count = channel.read(target, at);
            if (count < 0)
            {
                throw new IOException("unexpected end of file: offset=" + at);
            }
            at += count;
        }
    }
}
