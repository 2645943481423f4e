/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal.internal;

import dev.tally.core.Unmapper;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.SegmentStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Segment files on the local file system. Stateless; any thread, though the writer calls it from its owner thread.
 * <p>
 * Design note: a segment's space is allocated when it is created, never by {@code setLength} or a sparse mapping, so
 * that a full disk is reported as an {@link IOException} here instead of a {@code SIGBUS} on the first store into the
 * mapping. It is reserved with {@code posix_fallocate} where {@link NativeSpace} is available (blocks allocated, no
 * byte written: forces into them cost less than half of forces into zero-filled blocks on ext4), and otherwise by
 * writing zeros through the channel.
 */
public final class FileSegmentStorage implements SegmentStorage
{
    /** The shared instance: reserves space natively where it can, writes zeros elsewhere. */
    public static final FileSegmentStorage INSTANCE = new FileSegmentStorage(true);
    /** The instance that always writes zeros, for comparison and for file systems where reservation misbehaves. */
    public static final FileSegmentStorage ZERO_FILLED = new FileSegmentStorage(false);

    private static final int ZERO_CHUNK_LENGTH = 1024 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK_LENGTH).asReadOnlyBuffer();

    private final boolean reservesNatively;

    private FileSegmentStorage(final boolean reservesNatively)
    {
        this.reservesNatively = reservesNatively;
    }

    /**
     * How this storage allocates a segment's space on this JVM; any thread.
     *
     * @return {@code "posix_fallocate"} or {@code "zeros"}.
     */
    public String spaceReservation()
    {
        return reservesNatively && NativeSpace.isAvailable() ? "posix_fallocate" : "zeros";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void create(final Path file, final ByteBuffer header, final int segmentLength) throws IOException
    {
        if (Files.exists(file))
        {
            throw new FileAlreadyExistsException(file.toString());
        }
        final Path temporary = file.resolveSibling(file.getFileName() + SegmentDescriptor.TEMPORARY_SUFFIX);
        try
        {
            try (FileChannel channel = FileChannel.open(temporary,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer headerView = header.duplicate();
                headerView.clear().limit(SegmentDescriptor.HEADER_LENGTH);
                writeFully(channel, headerView, 0);
                allocate(channel, temporary, SegmentDescriptor.HEADER_LENGTH, segmentLength);
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean createSpare(final Path spare, final int segmentLength) throws IOException
    {
        Files.deleteIfExists(spare);
        try (FileChannel channel = FileChannel.open(spare, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            allocate(channel, spare, 0, segmentLength);
            channel.force(true);
        }
        return true;
    }

    private void allocate(final FileChannel channel, final Path file, final long fromOffset, final int segmentLength)
        throws IOException
    {
        if (!reservesNatively || !NativeSpace.reserve(file, segmentLength))
        {
            writeZeros(channel, fromOffset, segmentLength);
        }
        else if (channel.size() != segmentLength)
        {
            throw new IOException("reserved segment has the wrong length: file=" + file.getFileName() + ", size=" +
                channel.size() + ", segmentLength=" + segmentLength);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void activateSpare(final Path spare, final Path file, final ByteBuffer header) throws IOException
    {
        if (Files.exists(file))
        {
            throw new FileAlreadyExistsException(file.toString());
        }
        try (FileChannel channel = FileChannel.open(spare, StandardOpenOption.WRITE))
        {
            final ByteBuffer headerView = header.duplicate();
            headerView.clear().limit(SegmentDescriptor.HEADER_LENGTH);
            writeFully(channel, headerView, 0);
            channel.force(false);
        }
        Files.move(spare, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public MappedByteBuffer map(final Path file, final int segmentLength) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            if (size != segmentLength)
            {
                throw new IOException("segment file has the wrong length: file=" + file.getFileName() +
                    ", size=" + size + ", segmentLength=" + segmentLength);
            }
            return Unmapper.map(channel, FileChannel.MapMode.READ_WRITE, 0, segmentLength);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void delete(final Path file) throws IOException
    {
        Files.delete(file);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Forces a directory so that a create, rename or delete in it is durable; any thread.
     *
     * @param directory the directory.
     * @throws IOException when the directory cannot be opened or forced.
     */
    public static void forceDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    /**
     * Writes zeros through a channel over {@code [fromOffset, toOffset)}; any thread.
     *
     * @param channel    the channel, open for writing.
     * @param fromOffset the first offset.
     * @param toOffset   the end offset, exclusive.
     * @throws IOException when a write fails.
     */
    public static void writeZeros(final FileChannel channel, final long fromOffset, final long toOffset)
        throws IOException
    {
        long offset = fromOffset;
        while (offset < toOffset)
        {
            final ByteBuffer chunk = ZEROS.duplicate();
            chunk.limit((int)Math.min(ZERO_CHUNK_LENGTH, toOffset - offset));
            writeFully(channel, chunk, offset);
            offset += chunk.limit();
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer source, final long offset)
        throws IOException
    {
        long at = offset;
        // Bounded: each pass writes at least one byte or throws, and the source is finite.
        while (source.hasRemaining())
        {
            at += channel.write(source, at);
        }
    }
}
