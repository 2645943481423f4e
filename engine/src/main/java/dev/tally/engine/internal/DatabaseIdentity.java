/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.wal.SegmentDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The identity file {@code tally.db}: the database id every segment and snapshot must carry, and the segment length
 * fixed when the database was created. Written once (temporary file, force, rename, directory force), when a directory
 * that holds no log segment, snapshot or history file is opened; read at every open. Missing beside such files, it is
 * never recreated: the open is refused without writing. Stored on disk; changing it needs a new format version.
 *
 * <pre>
 *   0                   8          12                             28         32         36
 *  +-------------------+----------+------------------------------+----------+----------+
 *  | magic "TALLYDB1"  | version  | database id (16 bytes)       | segment  | CRC32 of |
 *  |                   | (int)    |                              | length   | bytes    |
 *  |                   |          |                              | (int)    | 0..31    |
 *  +-------------------+----------+------------------------------+----------+----------+
 *  little-endian
 * </pre>
 *
 * @param databaseId    the database id.
 * @param segmentLength the WAL segment length.
 */
public record DatabaseIdentity(UUID databaseId, int segmentLength)
{
    /** The file name in the database directory. */
    public static final String FILE_NAME = "tally.db";

    private static final long MAGIC = 0x3142_4459_4c4c_4154L; // "TALLYDB1" little-endian
    private static final int VERSION = 1;
    private static final int LENGTH = 36;

    /**
     * Reads the identity of an existing database, or creates one; opening thread only.
     *
     * @param directory     the database directory.
     * @param newDatabaseId the id to give a new database.
     * @param segmentLength the segment length to give a new database.
     * @return the identity.
     */
    public static DatabaseIdentity readOrCreate(final Path directory, final UUID newDatabaseId,
        final int segmentLength)
    {
        final Path file = directory.resolve(FILE_NAME);
        try
        {
            return read(file);
        }
        catch (final NoSuchFileException ex)
        {
            final String found = databaseFileIn(directory);
            if (found != null)
            {
                // A new identity could never match the files there: refuse before writing a byte.
                throw new CorruptDataException(ErrorCode.FOREIGN_DATABASE, "the identity file " + FILE_NAME
                    + " is missing, yet the directory holds a database's files: directory=" + directory + ", file="
                    + found);
            }
            final DatabaseIdentity identity = new DatabaseIdentity(newDatabaseId, segmentLength);
            identity.write(directory);
            return identity;
        }
        catch (final IOException ex)
        {
            throw new StorageException(ErrorCode.STORAGE_IO, "cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Reads the identity of an existing database without creating or changing anything; any thread.
     *
     * @param directory the database directory.
     * @return the identity, or {@code null} when the directory has no identity file.
     * @throws CorruptDataException when the file is damaged.
     * @throws StorageException     when it cannot be read.
     */
    public static DatabaseIdentity readExisting(final Path directory)
    {
        final Path file = directory.resolve(FILE_NAME);
        try
        {
            return read(file);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new StorageException(ErrorCode.STORAGE_IO, "cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** The name of a log segment, snapshot or history file in the directory, or {@code null} when it holds none. */
    private static String databaseFileIn(final Path directory)
    {
        if (!SnapshotDirectory.list(directory).isEmpty() || !HistoryFile.list(directory).isEmpty())
        {
            return "a snapshot or history file";
        }
        final String glob = "*" + SegmentDescriptor.SEGMENT_SUFFIX;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob))
        {
            for (final Path entry : entries)
            {
                if (SegmentDescriptor.parseFileName(entry.getFileName().toString()) >= 0)
                {
                    return entry.getFileName().toString();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new StorageException(ErrorCode.STORAGE_IO, "cannot list the database directory: " + directory, ex);
        }
        return null;
    }

    private static DatabaseIdentity read(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != LENGTH)
        {
            throw corrupt(file, "length=" + bytes.length);
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, LENGTH - 4);
        if (buffer.getLong(0) != MAGIC || (int)crc.getValue() != buffer.getInt(LENGTH - 4))
        {
            throw corrupt(file, "bad magic or checksum");
        }
        if (buffer.getInt(8) != VERSION)
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_FORMAT_VERSION,
                "unknown identity file version: file=" + file + ", version=" + buffer.getInt(8));
        }
        return new DatabaseIdentity(new UUID(buffer.getLong(12), buffer.getLong(20)), buffer.getInt(28));
    }

    private void write(final Path directory)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(0, MAGIC).putInt(8, VERSION).putLong(12, databaseId.getMostSignificantBits())
            .putLong(20, databaseId.getLeastSignificantBits()).putInt(28, segmentLength);
        final CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, LENGTH - 4);
        buffer.putInt(LENGTH - 4, (int)crc.getValue());
        final Path tmp = directory.resolve(FILE_NAME + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(tmp, directory.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
            {
                dir.force(true);
            }
        }
        catch (final IOException ex)
        {
            throw new StorageException(ErrorCode.STORAGE_IO, "cannot write identity file: " + ex.getMessage(), ex);
        }
    }

    private static CorruptDataException corrupt(final Path file, final String reason)
    {
        return new CorruptDataException(ErrorCode.CORRUPT_DATA, "identity file is corrupt: file=" + file + ", "
            + reason);
    }
}
