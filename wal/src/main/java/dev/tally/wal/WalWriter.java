/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.StorageFailures;
import dev.tally.core.ClosedException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.TxId;
import dev.tally.wal.internal.FrameChecksum;
import dev.tally.wal.internal.SegmentHeaders;
import dev.tally.wal.internal.SegmentWriter;
import dev.tally.wal.internal.Segments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Appends frames to the log and makes them durable. The single-writer contract: one owner thread calls {@link
 * #append}, {@link #force()} and {@link #releaseBefore(long)} (asserted under {@code -ea}, the owner being the first
 * thread to call one of them); {@link #durablePosition()} and {@link #isFailed()} may be read from any thread; {@link
 * #close()} may be called from any thread once the owner has stopped using the writer; {@link #prepareSpare()} and
 * {@link #forceWritten()} (a force of what is written while the owner goes on appending) from any thread.
 * <p>
 * Design note: durability is tracked twice. In memory, {@link #durablePosition()} advances only after a force
 * succeeds. On disk, the active segment's header slot holds a durable position: after each force of frames the slot
 * is rewritten in the mapping with the position that force made durable, so wherever the page lands it never vouches
 * for data that is not on the device. The header page itself is forced only when the frames forced since its last
 * force exceed {@link WalOptions#durableSlotWindow()} bytes: one msync per force instead of two, at the price that
 * recovery may take up to that many bytes of acknowledged frames for a possible torn tail rather than for corruption
 * (docs/FORMAT.md states the window). With a window of 0 every force forces the header and the slot is exact.
 * {@link #open} and {@link #close()} persist the exact value. A roll forces the old segment completely, and persists
 * its exact durable position, before the new segment is created.
 * <p>
 * Design note: spare segments. Creating a segment allocates and forces a whole segment (so that a full disk fails
 * there and never in the mapping), which takes up to tens of milliseconds for 64 MiB: on the owner thread it would
 * stall every append behind the roll. {@link #prepareSpare()}, called from any thread ahead of the roll, makes that
 * file under a temporary name; the roll then only writes the header, renames and forces the directory. Without a
 * ready spare the roll creates the segment itself, as before.
 * <p>
 * Fail-stop: a failed force, an {@link IOException} or a fault in a mapped store puts the writer in a failed state.
 * The failing call throws {@link StorageException} with {@link ErrorCode#STORAGE_IO} or {@link
 * ErrorCode#STORAGE_FULL} and the cause; every later append or force throws {@link ErrorCode#LOG_FAILED}, and {@link
 * #durablePosition()} never covers data a failed force covered. Only a reopen, after a scan, clears it.
 * <p>
 * Mappings: a roll unmaps the segment it leaves, and {@link #close()} unmaps the active one when called from the
 * owner thread or after the owner ended (see {@link dev.tally.core.Unmapper}); otherwise the mapping is
 * released when the garbage collector reclaims the buffer.
 */
public final class WalWriter implements AutoCloseable
{
    private static final VarHandle PUBLISHED_POSITION;

    static
    {
        try
        {
            PUBLISHED_POSITION =
                MethodHandles.lookup().findVarHandle(WalWriter.class, "publishedPosition", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Path directory;
    private final UUID databaseId;
    private final int segmentLength;
    private final SegmentStorage storage;
    private final SegmentForcer forcer;
    private final FrameChecksum checksum;
    private final int durableSlotWindow;

    private SegmentWriter active;
    private long activeBasePosition;
    private long writtenPosition;
    private int forcedOffset;
    private int slotForcedOffset; // the offset the durable slot vouched for when the header was last forced
    private volatile long durablePosition;
    private volatile boolean isFailed;
    private volatile boolean isClosed;
    private Throwable failure;
    private volatile Thread owner; // bound on first use; read by close() to decide whether it may unmap
    private final Object forceLock = new Object(); // forces, rolls and close: the active segment and durable state
    private long publishedPosition; // the end of the last complete frame, released for forceWritten()
    private final Object spareLock = new Object();
    private Path spare; // guarded by spareLock: an allocated, forced spare ready for the next roll, or null
    private long spareCount; // guarded by spareLock: numbers the spares' file names

    private WalWriter(final WalOptions options)
    {
        this.directory = options.directory();
        this.databaseId = options.databaseId();
        this.segmentLength = options.segmentLength();
        this.storage = options.segmentStorage();
        this.forcer = options.segmentForcer();
        this.checksum = new FrameChecksum(databaseId);
        this.durableSlotWindow = options.durableSlotWindow();
    }

    /**
     * Opens the log for appending at {@code nextPosition}, the end a scan reported ({@link ScanResult#endPosition()}),
     * or 0 for a new log. Any thread; the owner thread is bound on first use. Concludes the options.
     *
     * @param options      the options.
     * @param nextPosition where the next frame may go: the end of the last valid frame.
     * @return the writer, its durable position equal to {@code nextPosition} (the existing segment is forced).
     * @throws InvalidArgumentException when {@code nextPosition} is not the end of the log on disk.
     * @throws CorruptLogException      when the active segment's header is bad.
     * @throws StorageException         when a segment cannot be created, mapped or forced.
     */
    public static WalWriter open(final WalOptions options, final long nextPosition)
    {
        options.conclude();
        final WalWriter writer = new WalWriter(options);
        writer.openAt(nextPosition);
        return writer;
    }

    /**
     * Where a frame carrying a record of this length will land when the log ends at {@code nextPosition}: rolled to
     * the next segment when it does not fit. Pure; any thread. {@link #append} returns exactly this.
     *
     * @param nextPosition  the end of the log ({@link #nextPosition()}).
     * @param payloadLength the record length.
     * @param segmentLength the segment length.
     * @return the frame's position.
     * @throws InvalidArgumentException with {@link ErrorCode#RECORD_TOO_LARGE} when the record cannot fit.
     */
    public static long framePosition(final long nextPosition, final int payloadLength, final int segmentLength)
    {
        FrameDescriptor.checkPayloadLength(payloadLength, segmentLength);
        final long mask = segmentLength - 1;
        long base = nextPosition & ~mask;
        long offset = nextPosition & mask;
        if (offset < SegmentDescriptor.HEADER_LENGTH)
        {
            offset = SegmentDescriptor.HEADER_LENGTH;
        }
        if (offset + FrameDescriptor.alignedLength(FrameDescriptor.frameLength(payloadLength)) > segmentLength)
        {
            base += segmentLength;
            offset = SegmentDescriptor.HEADER_LENGTH;
        }
        return base + offset;
    }

    /**
     * The end of the log after appending a record of this length at {@code nextPosition}. Pure; any thread.
     *
     * @param nextPosition  the end of the log ({@link #nextPosition()}).
     * @param payloadLength the record length.
     * @param segmentLength the segment length.
     * @return the frame's position plus its aligned length: the next frame's {@code nextPosition}.
     * @throws InvalidArgumentException with {@link ErrorCode#RECORD_TOO_LARGE} when the record cannot fit.
     */
    public static long frameEndPosition(final long nextPosition, final int payloadLength, final int segmentLength)
    {
        return framePosition(nextPosition, payloadLength, segmentLength) +
            FrameDescriptor.alignedLength(FrameDescriptor.frameLength(payloadLength));
    }

    /**
     * Appends one frame; owner thread only. The frame is published (its length written last) but not durable
     * until a {@link #force()} covers it.
     *
     * @param typeCode      the entry type code, 0 to 255.
     * @param txId          the transaction id.
     * @param runId         the run id.
     * @param payload       the record source.
     * @param offset        the first record byte in {@code payload}.
     * @param length        the record length.
     * @return the frame's log position, as {@link #framePosition} predicts.
     * @throws InvalidArgumentException with {@link ErrorCode#RECORD_TOO_LARGE} when the record cannot fit; nothing
     *                                  is written.
     * @throws StorageException         when the writer fails or has failed.
     */
    public long append(
        final int typeCode,
        final TxId txId,
        final RunId runId,
        final byte[] payload,
        final int offset,
        final int length)
    {
        final boolean isOwner = isOwnerThread(); // always bound, not only under -ea: close() relies on it
        assert isOwner : "WalWriter used from a second thread: " + Thread.currentThread();
        checkWritable();
        checkAppendArguments(typeCode, txId, runId, payload, offset, length);
        final long position = framePosition(writtenPosition, length, segmentLength);
        final long base = position & ~(long)(segmentLength - 1);
        if (base != activeBasePosition)
        {
            roll(base);
        }
        try
        {
            active.writeFrame((int)(position - base), position, typeCode, txId, runId, payload, offset, length);
        }
        catch (final InternalError | UncheckedIOException ex)
        {
            throw fail("mapped write failed: position=" + position, ex);
        }
        writtenPosition = position + FrameDescriptor.alignedLength(FrameDescriptor.frameLength(length));
        PUBLISHED_POSITION.setRelease(this, writtenPosition); // after the frame's bytes: forceWritten() may cover it
        return position;
    }

    /**
     * Forces every frame written since the last force, with the header slot, then advances {@link
     * #durablePosition()} to {@link #writtenPosition()}; owner thread only.
     *
     * @throws StorageException when the force fails (the writer is then failed) or the writer has failed.
     */
    public void force()
    {
        final boolean isOwner = isOwnerThread(); // always bound, not only under -ea: close() relies on it
        assert isOwner : "WalWriter used from a second thread: " + Thread.currentThread();
        checkWritable();
        synchronized (forceLock)
        {
            forceActive(writtenPosition);
        }
    }

    /**
     * Forces every frame appended so far, as {@link #force()} does, but from any thread while the owner keeps
     * appending: the force covers the frames complete when it starts and waits for a roll or a close in progress. A
     * no-op once the writer is closed.
     *
     * @throws StorageException when the force fails (the writer is then failed) or the writer has failed.
     */
    public void forceWritten()
    {
        synchronized (forceLock)
        {
            if (isClosed)
            {
                return;
            }
            checkWritable();
            forceActive((long)PUBLISHED_POSITION.getAcquire(this));
        }
    }

    /**
     * Deletes the segments that lie wholly before {@code position}, never the active one; owner thread only.
     *
     * @param position the lowest position a caller still needs.
     * @return the number of segments deleted.
     * @throws StorageException with {@link ErrorCode#STORAGE_IO} when a delete fails (the writer stays usable).
     */
    public int releaseBefore(final long position)
    {
        final boolean isOwner = isOwnerThread(); // always bound, not only under -ea: close() relies on it
        assert isOwner : "WalWriter used from a second thread: " + Thread.currentThread();
        checkNotClosed();
        final long[] bases = Segments.list(directory);
        int deletedCount = 0;
        for (final long base : bases)
        {
            if (base + segmentLength <= position && base != activeBasePosition)
            {
                final Path file = directory.resolve(SegmentDescriptor.fileName(base));
                try
                {
                    storage.delete(file);
                }
                catch (final IOException ex)
                {
                    throw StorageFailures.storageFailure("cannot delete segment: file=" + file.getFileName(), ex);
                }
                deletedCount++;
            }
        }
        return deletedCount;
    }

    /**
     * The end of the last appended frame: where the next frame may go. Owner thread only.
     *
     * @return the written position.
     */
    public long writtenPosition()
    {
        return writtenPosition;
    }

    /**
     * Same as {@link #writtenPosition()}, for symmetry with {@link #open}'s argument. Owner thread only.
     *
     * @return the written position.
     */
    public long nextPosition()
    {
        return writtenPosition;
    }

    /**
     * Every frame below this position is durable; any thread.
     *
     * @return the durable position, never beyond data a failed force covered.
     */
    public long durablePosition()
    {
        return durablePosition;
    }

    /**
     * Whether the writer has failed and refuses writes until reopened; any thread.
     *
     * @return {@code true} once failed.
     */
    public boolean isFailed()
    {
        return isFailed;
    }

    /**
     * The segment length in use; any thread.
     *
     * @return the segment length.
     */
    public int segmentLength()
    {
        return segmentLength;
    }

    /**
     * Forces what was written, persists the exact durable position and drops the mapping; a failed writer is only
     * dropped. Any thread once the owner has stopped; idempotent.
     *
     * @throws StorageException when the final force fails.
     */
    @Override
    public void close()
    {
        if (isClosed)
        {
            return;
        }
        try
        {
            synchronized (forceLock)
            {
                closeActive();
            }
        }
        finally
        {
            synchronized (spareLock)
            {
                if (spare != null)
                {
                    deleteQuietly(spare);
                    spare = null;
                }
            }
        }
    }

    private void closeActive()
    {
        try
        {
            if (!isFailed && active != null)
            {
                forceActive(writtenPosition);
                persistExactDurablePosition();
            }
        }
        finally
        {
            isClosed = true;
            if (active != null && isOwnerGone())
            {
                active.unmap();
            }
            active = null;
        }
    }

    private void openAt(final long nextPosition)
    {
        final long mask = segmentLength - 1;
        final long base = nextPosition & ~mask;
        final int offset = (int)(nextPosition & mask);
        if (nextPosition < 0 || (nextPosition & (FrameDescriptor.FRAME_ALIGNMENT - 1)) != 0 ||
            (offset != 0 && offset < SegmentDescriptor.HEADER_LENGTH))
        {
            throw new InvalidArgumentException(
                ErrorCode.INVALID_ARGUMENT, "nextPosition is not a frame boundary: nextPosition=" + nextPosition);
        }
        try
        {
            Files.createDirectories(directory);
            Segments.deleteTemporaryFiles(directory);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot prepare log directory", ex);
        }
        checkNoLaterSegments(base, nextPosition);
        final Path file = directory.resolve(SegmentDescriptor.fileName(base));
        final int startOffset = Math.max(offset, SegmentDescriptor.HEADER_LENGTH);
        if (Files.exists(file))
        {
            mapExisting(file, base, startOffset);
        }
        else if (startOffset == SegmentDescriptor.HEADER_LENGTH)
        {
            createSegment(base);
        }
        else
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "nextPosition is inside a missing segment: nextPosition=" + nextPosition + ", segment=" +
                file.getFileName());
        }
        writtenPosition = base + startOffset;
        publishedPosition = writtenPosition;
        durablePosition = writtenPosition;
        persistExactDurablePosition();
    }

    private void checkNoLaterSegments(final long base, final long nextPosition)
    {
        final long[] bases = Segments.list(directory);
        if (bases.length > 0 && bases[bases.length - 1] > base)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "segments exist after nextPosition; scan and repair the log first: nextPosition=" + nextPosition +
                ", lastSegment=" + SegmentDescriptor.fileName(bases[bases.length - 1]));
        }
    }

    private void mapExisting(final Path file, final long base, final int startOffset)
    {
        final MappedByteBuffer mapped;
        try
        {
            mapped = storage.map(file, segmentLength);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot map segment: file=" + file.getFileName(), ex);
        }
        final SegmentWriter segment = new SegmentWriter(file, base, mapped, checksum, forcer);
        SegmentHeaders.validate(segment.buffer(), file.getFileName().toString(), mapped.capacity(), databaseId);
        if (!segment.isFrameSlotEmpty(startOffset))
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "nextPosition is not the end of the log; scan and repair the log first: nextPosition=" +
                (base + startOffset));
        }
        activate(segment);
        try
        {
            // A killed predecessor may have left frames in the page cache only: make them durable before counting,
            // then vouch for them exactly.
            segment.force(SegmentDescriptor.HEADER_LENGTH, startOffset - SegmentDescriptor.HEADER_LENGTH);
            segment.writeDurablePosition(base + startOffset);
            segment.forceHeader();
        }
        catch (final IOException | InternalError | UncheckedIOException ex)
        {
            throw fail("cannot force segment on open: file=" + file.getFileName(), ex);
        }
        forcedOffset = startOffset;
        slotForcedOffset = startOffset;
    }

    /**
     * Prepares a spare segment for the next roll, so that the roll renames a file made ahead instead of writing and
     * forcing a whole segment of zeros on the owner thread; any thread, typically a helper while the owner writes.
     * A no-op when a spare is ready, the storage does not prepare spares, or the writer is closed or failed. A failure
     * (a full disk, for one) only removes the spare: the roll then creates its segment itself and reports the error.
     *
     * @return whether a spare is ready.
     */
    public boolean prepareSpare()
    {
        synchronized (spareLock)
        {
            if (spare != null)
            {
                return true;
            }
            if (isClosed || isFailed)
            {
                return false;
            }
            final Path file = directory.resolve(SegmentDescriptor.spareFileName(++spareCount));
            try
            {
                if (storage.createSpare(file, segmentLength))
                {
                    spare = file;
                    return true;
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                deleteQuietly(file);
            }
            return false;
        }
    }

    private void roll(final long newBase)
    {
        synchronized (forceLock)
        {
            forceActive(writtenPosition);
            persistExactDurablePosition();
            final SegmentWriter previous = active;
            openNext(newBase);
            // Only once the next segment is active: a failed roll leaves the previous one mapped and in use.
            previous.unmap();
        }
    }

    private void openNext(final long newBase)
    {
        final Path ready;
        synchronized (spareLock)
        {
            ready = spare;
            spare = null;
        }
        if (ready == null || !activateSpare(ready, newBase))
        {
            createSegment(newBase);
        }
    }

    private boolean activateSpare(final Path ready, final long base)
    {
        final Path file = directory.resolve(SegmentDescriptor.fileName(base));
        final ByteBuffer header = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        SegmentDescriptor.writeHeader(header, segmentLength, databaseId, base, base);
        try
        {
            storage.activateSpare(ready, file, header);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            if (Files.exists(file))
            {
                // Renamed, but not made durable (the directory force failed): creating it again cannot help.
                throw fail("cannot activate spare segment: file=" + file.getFileName(), ex);
            }
            // The spare is not usable; the roll creates the segment the usual way (which reports a real failure).
            deleteQuietly(ready);
            return false;
        }
        final MappedByteBuffer mapped;
        try
        {
            mapped = storage.map(file, segmentLength);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw fail("cannot map segment: file=" + file.getFileName(), ex);
        }
        activate(new SegmentWriter(file, base, mapped, checksum, forcer));
        forcedOffset = SegmentDescriptor.HEADER_LENGTH;
        slotForcedOffset = 0; // the new header vouches for the segment base
        return true;
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // A leftover spare is deleted by the next open (its name ends with the temporary suffix).
        }
    }

    private void createSegment(final long base)
    {
        final Path file = directory.resolve(SegmentDescriptor.fileName(base));
        final ByteBuffer header = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        SegmentDescriptor.writeHeader(header, segmentLength, databaseId, base, base);
        final MappedByteBuffer mapped;
        try
        {
            storage.create(file, header, segmentLength);
            mapped = storage.map(file, segmentLength);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw fail("cannot create segment: file=" + file.getFileName(), ex);
        }
        activate(new SegmentWriter(file, base, mapped, checksum, forcer));
        forcedOffset = SegmentDescriptor.HEADER_LENGTH;
        slotForcedOffset = 0; // the new header vouches for the segment base
    }

    private void activate(final SegmentWriter segment)
    {
        active = segment;
        activeBasePosition = segment.segmentBasePosition();
    }

    private void forceActive(final long target) // forceLock held
    {
        final int toOffset = (int)(target - activeBasePosition);
        if (toOffset <= forcedOffset)
        {
            return;
        }
        try
        {
            active.force(forcedOffset, toOffset - forcedOffset);
            active.writeDurablePosition(target); // only now: wherever the header page lands, its data is durable
            if (toOffset - slotForcedOffset > durableSlotWindow)
            {
                active.forceHeader();
                slotForcedOffset = toOffset;
            }
        }
        catch (final IOException | InternalError | UncheckedIOException ex)
        {
            throw fail("force failed: durablePosition=" + durablePosition + ", writtenPosition=" + target, ex);
        }
        forcedOffset = toOffset;
        durablePosition = target; // release: only after the force returned
    }

    private void persistExactDurablePosition()
    {
        try
        {
            active.writeDurablePosition(durablePosition);
            active.forceHeader();
        }
        catch (final IOException | InternalError | UncheckedIOException ex)
        {
            throw fail("cannot persist durable position: durablePosition=" + durablePosition, ex);
        }
        slotForcedOffset = forcedOffset;
    }

    private StorageException fail(final String message, final Throwable cause)
    {
        isFailed = true;
        failure = cause;
        final Throwable ioCause = cause instanceof UncheckedIOException ? cause.getCause() : cause;
        final StorageException exception = StorageFailures.storageFailure(message, ioCause);
        if (ioCause != cause)
        {
            exception.addSuppressed(cause);
        }
        return exception;
    }

    private void checkWritable()
    {
        checkNotClosed();
        if (isFailed)
        {
            throw new StorageException(
                ErrorCode.LOG_FAILED, "the log failed earlier and refuses writes until reopened", failure);
        }
    }

    private void checkNotClosed()
    {
        if (isClosed)
        {
            throw new ClosedException(ErrorCode.CLOSED, "WAL writer is closed");
        }
    }

    private void checkAppendArguments(
        final int typeCode,
        final TxId txId,
        final RunId runId,
        final byte[] payload,
        final int offset,
        final int length)
    {
        if (typeCode < 0 || typeCode > 0xFF || txId == null || runId == null || payload == null || offset < 0 ||
            length < 0 || offset > payload.length - length)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "invalid append: typeCode=" + typeCode +
                ", offset=" + offset + ", length=" + length + ", payloadLength=" +
                (payload == null ? -1 : payload.length));
        }
    }

    /** Whether no other thread can still touch the mapping: called from the owner, or the owner has ended. */
    private boolean isOwnerGone()
    {
        final Thread current = owner;
        return current == null || current == Thread.currentThread() || !current.isAlive();
    }

    private boolean isOwnerThread()
    {
        final Thread current = Thread.currentThread();
        if (owner == null)
        {
            owner = current;
        }
        return owner == current;
    }
}
