/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Unmapper;
import dev.tally.snapshot.SnapshotDescriptor;
import dev.tally.snapshot.SnapshotHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Validates a whole snapshot file and, when asked, loads its sections. Stateless; any thread, one call per file.
 * <p>
 * Design note: damage is always reported as damage, whatever field it hit: a header field or section length that
 * fails a check counts as a structural error only when the CRC of the whole file matches; otherwise the file is
 * reported as failing its CRC. Verifying checks the CRC first, then the structure. Loading reads the file once: the
 * file is mapped, every length is checked against the file length before anything is allocated, the sections are
 * copied out and the CRC is computed over the very bytes copied, in file order, and compared at the end; no section
 * is handed out before it matches. (Loading used to read and checksum the file twice, a third of the time to open
 * from a snapshot.) A section of 8 MiB or more is copied and checksummed in two halves on two threads, and the halves'
 * CRCs joined ({@link Crc32Combine}). A file larger than one mapping is loaded with the two passes.
 */
public final class SnapshotParser
{
    private static final int READ_CHUNK_LENGTH = 256 * 1024;
    /** Sections at least this long are copied in two halves on two threads. */
    private static final int PARALLEL_COPY_MIN = 8 << 20;
    private static final byte[] MAGIC_BYTES = SnapshotDescriptor.magicBytes();

    private SnapshotParser()
    {
    }

    /**
     * What a parse found: the header and, per section, its type id, length and (when loading) bytes.
     *
     * @param header  the header.
     * @param typeIds the section type ids, ascending.
     * @param lengths the section lengths, by index.
     * @param data    the section bytes by index, or {@code null} entries when not loading.
     */
    public record Parsed(SnapshotHeader header, int[] typeIds, long[] lengths, byte[][] data)
    {
    }

    /**
     * Validates a snapshot file; the calling thread does the I/O.
     *
     * @param file               the file.
     * @param expectedDatabaseId the database it must belong to, or {@code null} to accept any.
     * @param isLoading          whether to load the section bytes.
     * @return the header and sections.
     * @throws CorruptDataException with {@link ErrorCode#CORRUPT_SNAPSHOT}, {@link ErrorCode#UNKNOWN_FORMAT_VERSION}
     *                              or {@link ErrorCode#FOREIGN_DATABASE} when the file fails a check.
     * @throws IOException          when the file cannot be read.
     */
    public static Parsed parse(final Path file, final UUID expectedDatabaseId, final boolean isLoading)
        throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long fileLength = channel.size();
            if (fileLength < SnapshotDescriptor.FILE_LENGTH_MIN)
            {
                throw corrupt(file, "snapshot shorter than header and trailer: fileLength=" + fileLength +
                    ", fileLengthMin=" + SnapshotDescriptor.FILE_LENGTH_MIN);
            }
            final ByteBuffer header = ByteBuffer.allocate(SnapshotDescriptor.HEADER_LENGTH);
            readFully(channel, file, header, 0);
            if (!hasMagic(header))
            {
                throw corrupt(file, "not a snapshot, magic missing: magic=" +
                    hex(header, SnapshotDescriptor.MAGIC_LENGTH));
            }
            final long crcOffset = fileLength - SnapshotDescriptor.TRAILER_LENGTH;
            final ByteBuffer trailer = ByteBuffer.allocate(SnapshotDescriptor.TRAILER_LENGTH);
            readFully(channel, file, trailer, crcOffset);
            final int storedCrc = trailer.getInt(0);
            if (isLoading && fileLength <= Integer.MAX_VALUE)
            {
                return load(channel, file, header, expectedDatabaseId, crcOffset, storedCrc);
            }
            final int computedCrc = checksum(channel, file, crcOffset);
            if (storedCrc != computedCrc)
            {
                throw crcMismatch(file, crcOffset, storedCrc, computedCrc);
            }
            final SnapshotHeader parsedHeader = parseHeader(file, header, expectedDatabaseId, crcOffset);
            return parseSections(channel, null, file, parsedHeader, header, crcOffset, storedCrc, isLoading);
        }
    }

    private static Parsed load(final FileChannel channel, final Path file, final ByteBuffer header,
        final UUID expectedDatabaseId, final long crcOffset, final int storedCrc) throws IOException
    {
        final MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, crcOffset);
        try
        {
            final SnapshotHeader parsedHeader = parseHeader(file, header, expectedDatabaseId, crcOffset);
            return parseSections(channel, mapping, file, parsedHeader, header, crcOffset, storedCrc, true);
        }
        catch (final CorruptDataException ex)
        {
            final int computedCrc = checksum(mapping, crcOffset);
            if (computedCrc != storedCrc)
            {
                throw crcMismatch(file, crcOffset, storedCrc, computedCrc);
            }
            throw ex;
        }
        finally
        {
            Unmapper.unmap(mapping);
        }
    }

    private static CorruptDataException crcMismatch(final Path file, final long crcOffset, final int storedCrc,
        final int computedCrc)
    {
        return corrupt(file, "snapshot CRC mismatch: crcOffset=" + crcOffset + ", storedCrc=" + hex(storedCrc) +
            ", computedCrc=" + hex(computedCrc));
    }

    private static SnapshotHeader parseHeader(
        final Path file, final ByteBuffer header, final UUID expectedDatabaseId, final long crcOffset)
    {
        final int formatVersion = header.getInt(SnapshotDescriptor.FORMAT_VERSION_OFFSET);
        if (formatVersion != SnapshotDescriptor.FORMAT_VERSION)
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_FORMAT_VERSION, "snapshot format version not readable " +
                "by this build: file=" + file + ", formatVersion=" + formatVersion + ", supported=" +
                SnapshotDescriptor.FORMAT_VERSION);
        }
        final long timestampMicros = header.getLong(SnapshotDescriptor.TIMESTAMP_OFFSET);
        final long walPosition = header.getLong(SnapshotDescriptor.WAL_POSITION_OFFSET);
        final UUID databaseId = new UUID(header.getLong(SnapshotDescriptor.DATABASE_ID_OFFSET),
            header.getLong(SnapshotDescriptor.DATABASE_ID_OFFSET + Long.BYTES));
        final int sectionCount = header.getInt(SnapshotDescriptor.SECTION_COUNT_OFFSET);
        if (expectedDatabaseId != null && !expectedDatabaseId.equals(databaseId))
        {
            throw new CorruptDataException(ErrorCode.FOREIGN_DATABASE, "snapshot belongs to another database: file=" +
                file + ", databaseId=" + databaseId + ", expectedDatabaseId=" + expectedDatabaseId);
        }
        if (timestampMicros < 0 || walPosition < 0)
        {
            throw corrupt(file, "negative snapshot header field: timestampMicros=" + timestampMicros +
                ", walPosition=" + walPosition);
        }
        final long sectionBytesMax = crcOffset - SnapshotDescriptor.HEADER_LENGTH;
        if (sectionCount < 0 || sectionCount > SnapshotDescriptor.SECTION_COUNT_MAX ||
            (long)sectionCount * SnapshotDescriptor.SECTION_HEADER_LENGTH > sectionBytesMax)
        {
            throw corrupt(file, "snapshot section count out of range: sectionCount=" + sectionCount +
                ", sectionCountMax=" + SnapshotDescriptor.SECTION_COUNT_MAX + ", sectionBytes=" + sectionBytesMax);
        }
        final Path fileName = file.getFileName();
        final long namedPosition = fileName == null ? -1 : namedPosition(fileName.toString());
        if (namedPosition >= 0 && namedPosition != walPosition)
        {
            throw corrupt(file, "snapshot WAL position differs from its file name: walPosition=" + walPosition +
                ", namedPosition=" + namedPosition);
        }
        return new SnapshotHeader(formatVersion, timestampMicros, walPosition, databaseId, sectionCount);
    }

    private static Parsed parseSections(
        final FileChannel channel,
        final MappedByteBuffer mapping,
        final Path file,
        final SnapshotHeader header,
        final ByteBuffer headerBytes,
        final long crcOffset,
        final int storedCrc,
        final boolean isLoading) throws IOException
    {
        final int sectionCount = header.sectionCount();
        final int[] typeIds = new int[sectionCount];
        final long[] lengths = new long[sectionCount];
        final byte[][] data = new byte[sectionCount][];
        final JoinedCrc loadedCrc = new JoinedCrc();
        loadedCrc.update(headerBytes.array(), 0, SnapshotDescriptor.HEADER_LENGTH);
        final ByteBuffer sectionHeader = ByteBuffer.allocate(SnapshotDescriptor.SECTION_HEADER_LENGTH);
        long offset = SnapshotDescriptor.HEADER_LENGTH;
        int previousTypeId = 0;
        for (int index = 0; index < sectionCount; index++)
        {
            if (crcOffset - offset < SnapshotDescriptor.SECTION_HEADER_LENGTH)
            {
                throw corrupt(file, "snapshot section header overruns the file: index=" + index +
                    ", offset=" + offset + ", crcOffset=" + crcOffset);
            }
            sectionHeader.clear();
            if (mapping != null)
            {
                mapping.get((int)offset, sectionHeader.array(), 0, SnapshotDescriptor.SECTION_HEADER_LENGTH);
            }
            else
            {
                readFully(channel, file, sectionHeader, offset);
            }
            loadedCrc.update(sectionHeader.array(), 0, SnapshotDescriptor.SECTION_HEADER_LENGTH);
            final int typeId = sectionHeader.get(SnapshotDescriptor.SECTION_TYPE_ID_OFFSET) & 0xFF;
            final long length = sectionHeader.getLong(SnapshotDescriptor.SECTION_LENGTH_OFFSET);
            if (typeId < SnapshotDescriptor.SECTION_TYPE_ID_MIN || typeId <= previousTypeId)
            {
                throw corrupt(file, "snapshot section type ids not unique and ascending: index=" + index +
                    ", offset=" + offset + ", typeId=" + typeId + ", previousTypeId=" + previousTypeId);
            }
            offset += SnapshotDescriptor.SECTION_HEADER_LENGTH;
            if (length < 0 || length > SnapshotDescriptor.SECTION_LENGTH_MAX || length > crcOffset - offset)
            {
                throw corrupt(file, "snapshot section length out of range: index=" + index + ", typeId=" + typeId +
                    ", offset=" + offset + ", sectionLength=" + length + ", remaining=" + (crcOffset - offset));
            }
            typeIds[index] = typeId;
            lengths[index] = length;
            if (isLoading)
            {
                data[index] = mapping != null ? copySection(mapping, (int)offset, (int)length, loadedCrc)
                    : readSection(channel, file, offset, (int)length, loadedCrc);
            }
            offset += length;
            previousTypeId = typeId;
        }
        if (offset != crcOffset)
        {
            throw corrupt(file, "snapshot has bytes after its last section: offset=" + offset +
                ", crcOffset=" + crcOffset);
        }
        if (isLoading && loadedCrc.value() != storedCrc)
        {
            throw mapping != null ? crcMismatch(file, crcOffset, storedCrc, loadedCrc.value())
                : corrupt(file, "snapshot changed while being read: storedCrc=" + hex(storedCrc) + ", loadedCrc=" +
                hex(loadedCrc.value()));
        }
        return new Parsed(header, typeIds, lengths, data);
    }

    private static byte[] readSection(
        final FileChannel channel, final Path file, final long offset, final int length, final JoinedCrc crc)
        throws IOException
    {
        final byte[] data = new byte[length];
        int done = 0;
        // Bounded: each pass reads a non-empty slice fully or throws, and the section is finite.
        while (done < length)
        {
            final int chunkLength = Math.min(READ_CHUNK_LENGTH, length - done);
            readFully(channel, file, ByteBuffer.wrap(data, done, chunkLength), offset + done);
            done += chunkLength;
        }
        crc.update(data, 0, length);
        return data;
    }

    /**
     * Copies a section out of the mapping in chunks, each checksummed while it is still in the cache. A large section
     * is copied in two halves, the second on a helper thread, and the two CRCs are joined: loading is bound by copying
     * and checksumming, and a second core halves it. The helper is always joined before this returns or throws, so
     * nothing reads the mapping after the caller unmaps it.
     */
    private static byte[] copySection(final MappedByteBuffer mapping, final int offset, final int length,
        final JoinedCrc crc)
    {
        final byte[] data = new byte[length];
        if (length < PARALLEL_COPY_MIN || Runtime.getRuntime().availableProcessors() < 2)
        {
            final CRC32 whole = new CRC32();
            copyChunks(mapping, offset, data, 0, length, whole);
            crc.join((int)whole.getValue(), length);
            return data;
        }
        final int split = length >>> 1;
        final SecondHalf second = new SecondHalf(mapping, offset, data, split);
        final Thread helper = new Thread(second, "tally-snapshot-load");
        helper.setDaemon(true);
        boolean started = false;
        try
        {
            helper.start();
            started = true;
        }
        catch (final OutOfMemoryError ex)
        {
            second.run(); // no thread to be had: copy it here
        }
        final CRC32 first = new CRC32();
        try
        {
            copyChunks(mapping, offset, data, 0, split, first);
        }
        finally
        {
            if (started)
            {
                joinUninterruptibly(helper);
            }
        }
        second.rethrowFailure();
        crc.join(Crc32Combine.combine((int)first.getValue(), second.crc, length - split), length);
        return data;
    }

    /** Copies {@code data[from, to)} from the section at {@code offset} in 256 KiB chunks, checksumming each. */
    private static void copyChunks(final MappedByteBuffer mapping, final int offset, final byte[] data, final int from,
        final int to, final CRC32 crc)
    {
        // Bounded: each pass copies a non-empty chunk and the range is finite.
        for (int done = from; done < to; done += READ_CHUNK_LENGTH)
        {
            final int chunkLength = Math.min(READ_CHUNK_LENGTH, to - done);
            mapping.get(offset + done, data, done, chunkLength);
            crc.update(data, done, chunkLength);
        }
    }

    private static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        // Bounded: the helper copies a finite range and ends; an interrupt only delays the wait.
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The second half of a section's copy; written by the helper, read by the loader after the join. */
    private static final class SecondHalf implements Runnable
    {
        private final MappedByteBuffer mapping;
        private final int offset;
        private final byte[] data;
        private final int from;
        private int crc;
        private Throwable failure;

        SecondHalf(final MappedByteBuffer mapping, final int offset, final byte[] data, final int from)
        {
            this.mapping = mapping;
            this.offset = offset;
            this.data = data;
            this.from = from;
        }

        @Override
        public void run()
        {
            try
            {
                final CRC32 second = new CRC32();
                copyChunks(mapping, offset, data, from, data.length, second);
                crc = (int)second.getValue();
            }
            catch (final RuntimeException | Error ex)
            {
                failure = ex;
            }
        }

        void rethrowFailure()
        {
            if (failure instanceof RuntimeException)
            {
                throw (RuntimeException)failure;
            }
            if (failure instanceof Error)
            {
                throw (Error)failure;
            }
        }
    }

    private static int checksum(final MappedByteBuffer mapping, final long length)
    {
        final CRC32 crc = new CRC32();
        crc.update(mapping.duplicate().position(0).limit((int)length));
        return (int)crc.getValue();
    }

    private static int checksum(final FileChannel channel, final Path file, final long length) throws IOException
    {
        final CRC32 crc = new CRC32();
        final ByteBuffer buffer = ByteBuffer.allocate((int)Math.min(READ_CHUNK_LENGTH, length));
        long offset = 0;
        // Bounded: each pass reads a non-empty chunk fully or throws, and the length is finite.
        while (offset < length)
        {
            buffer.clear().limit((int)Math.min(buffer.capacity(), length - offset));
            readFully(channel, file, buffer, offset);
            crc.update(buffer.array(), 0, buffer.limit());
            offset += buffer.limit();
        }
        return (int)crc.getValue();
    }

    private static void readFully(
        final FileChannel channel, final Path file, final ByteBuffer target, final long offset) throws IOException
    {
        long at = offset;
        // Bounded: each pass reads at least one byte or ends at the end of the file.
        while (target.hasRemaining())
        {
            final int read = channel.read(target, at);
            if (read < 0)
            {
                throw corrupt(file, "snapshot ended early (it changed while being read): offset=" + at);
            }
            at += read;
        }
    }

    private static boolean hasMagic(final ByteBuffer header)
    {
        for (int i = 0; i < MAGIC_BYTES.length; i++)
        {
            if (header.get(SnapshotDescriptor.MAGIC_OFFSET + i) != MAGIC_BYTES[i])
            {
                return false;
            }
        }
        return true;
    }

    private static long namedPosition(final String fileName)
    {
        final long snapshotPosition = SnapshotDescriptor.parseFileName(fileName);
        return snapshotPosition >= 0 ? snapshotPosition : SnapshotDescriptor.parseHistoryFileName(fileName);
    }

    private static CorruptDataException corrupt(final Path file, final String message)
    {
        return new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, message + ", file=" + file);
    }

    private static String hex(final int value)
    {
        return String.format(Locale.ROOT, "0x%08x", value);
    }

    private static String hex(final ByteBuffer buffer, final int length)
    {
        final byte[] bytes = Arrays.copyOf(buffer.array(), length);
        final StringBuilder text = new StringBuilder(2 * length);
        for (final byte b : bytes)
        {
            text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return text.toString();
    }
}
