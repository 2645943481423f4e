/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Unmapper;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SectionAccess;
import dev.tally.snapshot.SectionBytes;
import dev.tally.snapshot.SectionLoader;
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
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * Validates a whole snapshot file and, when asked, loads its sections. Stateless; any thread, one call per file.
 * <p>
 * Design note: damage is always reported as damage, whatever field it hit: a header field or section length that
 * fails a check, or a section a loader refuses, counts as a structural error only when the CRC of the whole file
 * matches; otherwise the file is reported as failing its CRC. Verifying checks the CRC first, then the structure.
 * Loading ({@link #load}) reads the file once: the file is mapped, the header and the section table are checked
 * against the file length before anything is allocated, and each section is handed over as its loader asks for it
 * ({@link SectionBytes}): copied out in chunks, so the loader checks each chunk while it is still in the cache, or read
 * in place in the mapping, which then stays mapped for as long as the loader keeps a buffer over it. The CRC is
 * computed over the very bytes handed over, in file order: on a helper thread when the sections are large and a
 * second processor is there (behind the copy, or up to {@link #HELPER_LEAD} ahead of a loader reading in place), else
 * as the loader takes each chunk; it is compared before the load returns. A file larger than one mapping is read with
 * two passes (checksum, then sections) and handed over whole.
 */
public final class SnapshotParser
{
    private static final int READ_CHUNK_LENGTH = 256 * 1024;
    /** Sections of this many bytes in all or more are checksummed on a helper thread behind the copy. */
    private static final long HELPER_CRC_MIN = 8 << 20;
    /** How often the checksum helper polls for more copied bytes before it parks. */
    private static final int HELPER_SPINS = 200;
    private static final long HELPER_PARK_NANOS = 20_000;
    /**
     * How far the checksum helper may run ahead of the loader in a section read in place: it then brings the bytes
     * into the shared cache (and takes the page faults) just before the loader reads them, and stays well within a
     * last-level cache of its lead.
     */
    private static final int HELPER_LEAD = 4 << 20;
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
            final Framing framing = readFraming(channel, file);
            final ByteBuffer header = framing.header();
            final long crcOffset = framing.crcOffset();
            final int storedCrc = framing.storedCrc();
            final int computedCrc = checksum(channel, file, crcOffset);
            if (storedCrc != computedCrc)
            {
                throw crcMismatch(file, crcOffset, storedCrc, computedCrc);
            }
            final SnapshotHeader parsedHeader = parseHeader(file, header, expectedDatabaseId, crcOffset);
            return parseSections(channel, file, parsedHeader, header, crcOffset, storedCrc, isLoading);
        }
    }

    /**
     * Loads a snapshot file section by section into a loader; the calling thread does the I/O and runs the loader,
     * a helper thread may compute the CRC. See the class description for the order of checks.
     *
     * @param file               the file.
     * @param expectedDatabaseId the database it must belong to.
     * @param loader             takes the header and the sections.
     * @param access             whether sections are copied or read in place from the mapping.
     * @return the header, once every section was handed over and the CRC matched.
     * @throws CorruptDataException as {@link #parse} does, and what the loader throws when the CRC matches.
     * @throws IOException          when the file cannot be read.
     */
    public static SnapshotHeader load(final Path file, final UUID expectedDatabaseId, final SectionLoader loader,
        final SectionAccess access) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() > Integer.MAX_VALUE)
            {
                return loadWhole(file, expectedDatabaseId, loader);
            }
            final Framing framing = readFraming(channel, file);
            final ByteBuffer header = framing.header();
            final long crcOffset = framing.crcOffset();
            final int storedCrc = framing.storedCrc();
            final MappedByteBuffer mapping = Unmapper.map(channel, FileChannel.MapMode.READ_ONLY, 0, crcOffset);
            final boolean isInPlace = access == SectionAccess.IN_PLACE;
            final Loaded loaded;
            try
            {
                loaded = loadMapped(file, mapping, header, expectedDatabaseId, crcOffset, loader, isInPlace);
            }
            catch (final RuntimeException ex)
            {
                // A failed check or a loader's refusal stands only if the file is intact; else the damage is the cause.
                final int computedCrc = checksum(mapping, crcOffset);
                if (computedCrc != storedCrc)
                {
                    final CorruptDataException mismatch = crcMismatch(file, crcOffset, storedCrc, computedCrc);
                    mismatch.addSuppressed(ex);
                    throw mismatch;
                }
                throw ex;
            }
            finally
            {
                if (!isInPlace)
                {
                    Unmapper.unmap(mapping);
                }
                // else a loader may hold buffers over the mapping, also after a failure: the collector unmaps it
            }
            if (loaded.computedCrc != storedCrc)
            {
                throw crcMismatch(file, crcOffset, storedCrc, loaded.computedCrc);
            }
            return loaded.header;
        }
    }

    /** The fixed frame of a snapshot file: its header bytes, where the CRC trailer starts and the CRC it holds. */
    private record Framing(ByteBuffer header, long crcOffset, int storedCrc)
    {
    }

    /** Reads the header and the trailer, checking the file's length and magic first. */
    private static Framing readFraming(final FileChannel channel, final Path file) throws IOException
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
        return new Framing(header, crcOffset, storedCrc);
    }

    /** What a mapped load found: the header and the CRC of the bytes copied. */
    private record Loaded(SnapshotHeader header, int computedCrc)
    {
    }

    /** A file too large to map: verified whole first, then its sections handed over filled. */
    private static SnapshotHeader loadWhole(final Path file, final UUID expectedDatabaseId,
        final SectionLoader loader) throws IOException
    {
        final Parsed parsed = parse(file, expectedDatabaseId, true);
        loader.begin(parsed.header(), parsed.typeIds().clone());
        for (int index = 0; index < parsed.typeIds().length; index++)
        {
            loader.load(SectionBytes.of(parsed.typeIds()[index], parsed.data()[index]));
        }
        return parsed.header();
    }

    private static Loaded loadMapped(final Path file, final MappedByteBuffer mapping, final ByteBuffer header,
        final UUID expectedDatabaseId, final long crcOffset, final SectionLoader loader, final boolean isInPlace)
        throws IOException
    {
        final SnapshotHeader parsedHeader = parseHeader(file, header, expectedDatabaseId, crcOffset);
        final SectionTable table = readSectionTable(null, mapping, file, parsedHeader, crcOffset);
        loader.begin(parsedHeader, table.typeIds.clone());
        final int count = table.typeIds.length;
        long total = 0;
        for (int index = 0; index < count; index++)
        {
            total += table.lengths[index];
        }
        final ChecksumHelper wanted = total >= HELPER_CRC_MIN && Runtime.getRuntime().availableProcessors() > 1 ?
            new ChecksumHelper(header.array(), table.headers, count) : null;
        Thread helperThread = wanted == null ? null : startHelper(wanted);
        final ChecksumHelper helper = helperThread == null ? null : wanted; // no thread to be had: checksum here
        final CRC32 crc = helper == null ? new CRC32() : null;
        try
        {
            if (crc != null)
            {
                crc.update(header.array(), 0, SnapshotDescriptor.HEADER_LENGTH);
            }
            for (int index = 0; index < count; index++)
            {
                final MappedSection section = isInPlace ?
                    new MappedSection(table.typeIds[index], mapping, (int)table.offsets[index],
                        (int)table.lengths[index], crc) :
                    new MappedSection(table.typeIds[index], new byte[(int)table.lengths[index]], mapping,
                        (int)table.offsets[index], crc);
                if (helper != null)
                {
                    helper.sections.set(index, section);
                }
                else
                {
                    crc.update(table.headers[index], 0, SnapshotDescriptor.SECTION_HEADER_LENGTH);
                }
                loader.load(section);
                section.fillAll();
            }
            final int computedCrc;
            if (helper != null)
            {
                joinUninterruptibly(helperThread);
                helperThread = null;
                helper.rethrowFailure();
                computedCrc = helper.crc;
            }
            else
            {
                computedCrc = (int)crc.getValue();
            }
            return new Loaded(parsedHeader, computedCrc);
        }
        finally
        {
            if (helperThread != null)
            {
                helper.cancelled = true;
                joinUninterruptibly(helperThread);
            }
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
        final Path file,
        final SnapshotHeader header,
        final ByteBuffer headerBytes,
        final long crcOffset,
        final int storedCrc,
        final boolean isLoading) throws IOException
    {
        final SectionTable table = readSectionTable(channel, null, file, header, crcOffset);
        final int sectionCount = table.typeIds.length;
        final byte[][] data = new byte[sectionCount][];
        if (!isLoading)
        {
            return new Parsed(header, table.typeIds, table.lengths, data);
        }
        final CRC32 loadedCrc = new CRC32();
        loadedCrc.update(headerBytes.array(), 0, SnapshotDescriptor.HEADER_LENGTH);
        for (int index = 0; index < sectionCount; index++)
        {
            loadedCrc.update(table.headers[index], 0, SnapshotDescriptor.SECTION_HEADER_LENGTH);
            data[index] = readSection(channel, file, table.offsets[index], (int)table.lengths[index], loadedCrc);
        }
        if ((int)loadedCrc.getValue() != storedCrc)
        {
            throw corrupt(file, "snapshot changed while being read: storedCrc=" + hex(storedCrc) + ", loadedCrc=" +
                hex((int)loadedCrc.getValue()));
        }
        return new Parsed(header, table.typeIds, table.lengths, data);
    }

    /**
     * Reads and checks every section header, from the channel or the mapping, without reading any section's bytes:
     * type ids unique and ascending, lengths within the file, nothing after the last section.
     */
    private static SectionTable readSectionTable(final FileChannel channel, final MappedByteBuffer mapping,
        final Path file, final SnapshotHeader header, final long crcOffset) throws IOException
    {
        final int sectionCount = header.sectionCount();
        final SectionTable table = new SectionTable(sectionCount);
        long offset = SnapshotDescriptor.HEADER_LENGTH;
        int previousTypeId = 0;
        for (int index = 0; index < sectionCount; index++)
        {
            if (crcOffset - offset < SnapshotDescriptor.SECTION_HEADER_LENGTH)
            {
                throw corrupt(file, "snapshot section header overruns the file: index=" + index +
                    ", offset=" + offset + ", crcOffset=" + crcOffset);
            }
            final ByteBuffer sectionHeader = ByteBuffer.wrap(table.headers[index]);
            if (mapping != null)
            {
                mapping.get((int)offset, table.headers[index], 0, SnapshotDescriptor.SECTION_HEADER_LENGTH);
            }
            else
            {
                readFully(channel, file, sectionHeader, offset);
            }
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
            table.typeIds[index] = typeId;
            table.lengths[index] = length;
            table.offsets[index] = offset;
            offset += length;
            previousTypeId = typeId;
        }
        if (offset != crcOffset)
        {
            throw corrupt(file, "snapshot has bytes after its last section: offset=" + offset +
                ", crcOffset=" + crcOffset);
        }
        return table;
    }

    private static byte[] readSection(
        final FileChannel channel, final Path file, final long offset, final int length, final CRC32 crc)
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

    /** Starts the checksum helper's thread, or returns {@code null} when the JVM cannot create one. */
    private static Thread startHelper(final ChecksumHelper helper)
    {
        final Thread thread = new Thread(helper, "tally-snapshot-crc");
        thread.setDaemon(true);
        try
        {
            thread.start();
            return thread;
        }
        catch (final OutOfMemoryError ex)
        {
            return null;
        }
    }

    private static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        // Bounded: the helper ends once the copy it follows ends or it is cancelled; an interrupt only delays this.
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

    /** The section headers of a file, as read and checked: type id, length, where the bytes start, the raw header. */
    private static final class SectionTable
    {
        final int[] typeIds;
        final long[] lengths;
        final long[] offsets;
        final byte[][] headers;

        SectionTable(final int count)
        {
            typeIds = new int[count];
            lengths = new long[count];
            offsets = new long[count];
            headers = new byte[count][SnapshotDescriptor.SECTION_HEADER_LENGTH];
        }
    }

    /**
     * A section copied out of the mapping, or read in place in it, as its loader asks; the loading thread. Each chunk
     * taken is checksummed at once when no helper does it, else published to the helper through {@link #published}.
     */
    private static final class MappedSection extends SectionBytes
    {
        private final MappedByteBuffer mapping;
        private final int offset;
        private final boolean isInPlace;
        private final CRC32 crc;
        /** How many bytes are taken (copied), for the checksum helper; written after the bytes (a release). */
        volatile int published;

        /** A section copied into {@code data}. */
        MappedSection(final int typeId, final byte[] data, final MappedByteBuffer mapping, final int offset,
            final CRC32 crc)
        {
            super(typeId, data, 0);
            this.mapping = mapping;
            this.offset = offset;
            this.isInPlace = false;
            this.crc = crc;
        }

        /** A section read in place. */
        MappedSection(final int typeId, final MappedByteBuffer mapping, final int offset, final int length,
            final CRC32 crc)
        {
            super(typeId, mapping.slice(offset, length));
            this.mapping = mapping;
            this.offset = offset;
            this.isInPlace = true;
            this.crc = crc;
        }

        @Override
        protected void supply(final int from, final int to)
        {
            if (!isInPlace)
            {
                mapping.get(offset + from, array(), from, to - from);
            }
            if (crc != null)
            {
                checksum(crc, from, to);
            }
            else
            {
                published = to;
            }
        }

        /**
         * How far the helper may checksum: what the loader took of a copied section; for one read in place, the file's
         * bytes are there already, so up to {@link #HELPER_LEAD} past what the loader took. The helper.
         */
        int readyForChecksum()
        {
            final int taken = published;
            return isInPlace ? (int)Math.min(length(), (long)taken + HELPER_LEAD) : taken;
        }

        /** Adds {@code [from, to)} of the section, as taken, to a checksum; the loading thread or the helper. */
        void checksum(final CRC32 checksum, final int from, final int to)
        {
            if (isInPlace)
            {
                checksum.update(mapping.slice(offset + from, to - from));
            }
            else
            {
                checksum.update(array(), from, to - from);
            }
        }
    }

    /**
     * Computes the CRC of a file being loaded on its own thread, following the copy: the header, then each section's
     * header and the bytes its loader has taken so far. It reads only bytes the loading thread published: copied
     * arrays, or the mapping itself for sections read in place.
     */
    private static final class ChecksumHelper implements Runnable
    {
        final AtomicReferenceArray<MappedSection> sections;
        volatile boolean cancelled;
        int crc;
        private final byte[] header;
        private final byte[][] sectionHeaders;
        private Throwable failure;

        ChecksumHelper(final byte[] header, final byte[][] sectionHeaders, final int count)
        {
            this.header = header;
            this.sectionHeaders = sectionHeaders;
            this.sections = new AtomicReferenceArray<>(count);
        }

        @Override
        public void run()
        {
            try
            {
                final CRC32 checksum = new CRC32();
                checksum.update(header, 0, SnapshotDescriptor.HEADER_LENGTH);
                for (int index = 0; index < sectionHeaders.length; index++)
                {
                    MappedSection section;
                    int idle = 0;
                    // Bounded: the loading thread publishes every section in turn or cancels.
                    while ((section = sections.get(index)) == null)
                    {
                        if (!pause(idle++))
                        {
                            return;
                        }
                    }
                    checksum.update(sectionHeaders[index], 0, SnapshotDescriptor.SECTION_HEADER_LENGTH);
                    final int length = section.length();
                    int done = 0;
                    idle = 0;
                    // Bounded: the loading thread takes the whole section in the end, or cancels.
                    while (done < length)
                    {
                        final int ready = section.readyForChecksum();
                        if (ready > done)
                        {
                            final int to = Math.min(ready, done + SectionBytes.FILL_CHUNK_LENGTH);
                            section.checksum(checksum, done, to);
                            done = to;
                            idle = 0;
                        }
                        else if (!pause(idle++))
                        {
                            return;
                        }
                    }
                }
                crc = (int)checksum.getValue();
            }
            catch (final RuntimeException | Error ex)
            {
                failure = ex;
            }
        }

        /** Waits a little for the loading thread; false when the load was given up. */
        private boolean pause(final int idle)
        {
            if (cancelled)
            {
                return false;
            }
            if (idle < HELPER_SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(HELPER_PARK_NANOS);
            }
            return true;
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
        return snapshotPosition >= 0 ? snapshotPosition : HistoryFile.parseFileName(fileName);
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
