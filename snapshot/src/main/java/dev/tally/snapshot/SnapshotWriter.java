/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.core.StorageFailures;
import dev.tally.core.StorageFullException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Writes snapshot files in the layout of {@link SnapshotDescriptor}: to {@code <walPosition>.snap.tmp}, forced,
 * renamed atomically to {@code <walPosition>.snap} (replacing a snapshot of the same position), then the directory
 * forced. A reader therefore sees under the final name either nothing or a complete, forced file. Stateless apart from
 * its storage; any thread, but only one write at a time per directory (the engine's snapshot thread).
 * <p>
 * Design note: sections are written straight from the caller's arrays in slices of {@link #WRITE_CHUNK_LENGTH} and
 * the CRC is computed while writing, so a snapshot of hundreds of megabytes never needs a second copy in memory, nor a
 * temporary direct buffer of its size inside the JDK.
 */
public final class SnapshotWriter
{
    /** The most bytes handed to the storage in one write. */
    public static final int WRITE_CHUNK_LENGTH = 1024 * 1024;

    private final SnapshotStorage storage;

    /**
     * Creates a writer on the local file system; any thread.
     */
    public SnapshotWriter()
    {
        this(SnapshotStorage.files());
    }

    /**
     * Creates a writer on a given storage, for example one that injects faults in tests; any thread.
     *
     * @param storage the file operations to use.
     */
    public SnapshotWriter(final SnapshotStorage storage)
    {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /**
     * Writes a snapshot durably into a directory; the calling thread does the I/O. When it returns, the file, its
     * name and its content have been forced.
     *
     * @param directory an existing directory.
     * @param contents  what to write.
     * @return the file written, named after the contents' WAL position.
     * @throws StorageFullException with {@link ErrorCode#STORAGE_FULL} when the disk is full, and
     *                              {@link StorageException} with {@link ErrorCode#STORAGE_IO} on another I/O failure.
     *                              Unless only the final directory force failed, the temporary file is deleted and
     *                              the final name is untouched; when the directory force failed, the file is complete
     *                              under its final name but may not survive a crash.
     */
    public SnapshotFile write(final Path directory, final SnapshotContents contents)
    {
        return write(directory, contents, SnapshotDescriptor.fileName(contents.walPosition()));
    }

    /**
     * Writes a file in the snapshot layout under another name, in the same way and with the same guarantees and
     * failures as {@link #write(Path, SnapshotContents)}: to {@code <fileName>.tmp}, forced, renamed, directory
     * forced. The engine writes its history file ({@link HistoryFile#fileName(long)}) this way.
     *
     * @param directory an existing directory.
     * @param contents  what to write.
     * @param fileName  the final file name, without directory; replaced if it exists.
     * @return the file written, with the contents' WAL position.
     */
    public SnapshotFile write(final Path directory, final SnapshotContents contents, final String fileName)
    {
        final long walPosition = contents.walPosition();
        final Path temporary = directory.resolve(fileName + SnapshotDescriptor.TEMPORARY_SUFFIX);
        final Path file = directory.resolve(fileName);
        try
        {
            writeAndForce(temporary, contents);
            storage.moveAtomically(temporary, file);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                storage.deleteIfExists(temporary);
            }
            catch (final IOException | RuntimeException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            if (ex instanceof IOException)
            {
                throw StorageFailures.storageFailure("cannot write snapshot: file=" + file, ex);
            }
            throw (RuntimeException)ex;
        }
        try
        {
            storage.forceDirectory(directory);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot force snapshot directory: directory=" + directory, ex);
        }
        return new SnapshotFile(file, walPosition);
    }

    /**
     * Encodes the fixed header of a snapshot into a big-endian buffer at index 0; any thread. Used by the writer and
     * by tools that build files byte by byte.
     *
     * @param buffer   a big-endian buffer with at least {@link SnapshotDescriptor#HEADER_LENGTH} bytes.
     * @param contents the header values and the section count.
     */
    public static void encodeHeader(final ByteBuffer buffer, final SnapshotContents contents)
    {
        buffer.put(SnapshotDescriptor.MAGIC_OFFSET, SnapshotDescriptor.MAGIC.getBytes(StandardCharsets.US_ASCII));
        buffer.putInt(SnapshotDescriptor.FORMAT_VERSION_OFFSET, SnapshotDescriptor.FORMAT_VERSION);
        buffer.putLong(SnapshotDescriptor.TIMESTAMP_OFFSET, contents.timestampMicros());
        buffer.putLong(SnapshotDescriptor.WAL_POSITION_OFFSET, contents.walPosition());
        buffer.putLong(SnapshotDescriptor.DATABASE_ID_OFFSET, contents.databaseId().getMostSignificantBits());
        buffer.putLong(SnapshotDescriptor.DATABASE_ID_OFFSET + Long.BYTES,
            contents.databaseId().getLeastSignificantBits());
        buffer.putInt(SnapshotDescriptor.SECTION_COUNT_OFFSET, contents.sections().size());
    }

    private void writeAndForce(final Path temporary, final SnapshotContents contents) throws IOException
    {
        final CRC32 crc = new CRC32();
        try (SnapshotOutput output = storage.create(temporary))
        {
            final ByteBuffer header = ByteBuffer.allocate(SnapshotDescriptor.HEADER_LENGTH);
            encodeHeader(header, contents);
            writeAndChecksum(output, crc, header.array(), 0, header.capacity());

            final ByteBuffer sectionHeader = ByteBuffer.allocate(SnapshotDescriptor.SECTION_HEADER_LENGTH);
            for (final SnapshotSection section : contents.sections())
            {
                sectionHeader.put(SnapshotDescriptor.SECTION_TYPE_ID_OFFSET, (byte)section.typeId());
                sectionHeader.putLong(SnapshotDescriptor.SECTION_LENGTH_OFFSET, section.length());
                writeAndChecksum(output, crc, sectionHeader.array(), 0, sectionHeader.capacity());
                writeAndChecksum(output, crc, section.data(), 0, section.length());
            }

            final ByteBuffer trailer = ByteBuffer.allocate(SnapshotDescriptor.TRAILER_LENGTH);
            trailer.putInt(0, (int)crc.getValue());
            output.write(trailer);
            output.force();
        }
    }

    private static void writeAndChecksum(
        final SnapshotOutput output, final CRC32 crc, final byte[] source, final int offset, final int length)
        throws IOException
    {
        crc.update(source, offset, length);
        int written = 0;
        // Bounded: each pass hands over a non-empty slice or ends, and the output writes every slice fully.
        while (written < length)
        {
            final int chunkLength = Math.min(WRITE_CHUNK_LENGTH, length - written);
            output.write(ByteBuffer.wrap(source, offset + written, chunkLength));
            written += chunkLength;
        }
    }
}
