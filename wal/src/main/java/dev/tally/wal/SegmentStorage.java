/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.wal.internal.FileSegmentStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * Creates, maps and deletes segment files: the seam where a fault-injecting storage layer can be slotted in. Called
 * from the {@link WalWriter}'s owner thread, except {@link #createSpare}, which a preparing thread may call while the
 * owner writes (never for the same file). Implementations throw {@link IOException}; the writer converts it.
 */
public interface SegmentStorage
{
    /**
     * Creates a segment file durably: the header, the space to {@code segmentLength} allocated for real (reserved, or
     * zeros written, so a full disk fails here, not in the mapping; unwritten space reads as zeros), the file forced,
     * renamed to its final name and the directory forced.
     *
     * @param file          the final path of the segment.
     * @param header        the complete header, {@link SegmentDescriptor#HEADER_LENGTH} bytes from index 0.
     * @param segmentLength the file length.
     * @throws IOException when the file exists already or any step fails; no file of the final name is left.
     */
    void create(Path file, ByteBuffer header, int segmentLength) throws IOException;

    /**
     * Maps an existing segment file read-write.
     *
     * @param file          the segment path.
     * @param segmentLength the expected file length.
     * @return the mapping, in the platform's default byte order (the caller sets it).
     * @throws IOException when the file cannot be opened, has another length or cannot be mapped.
     */
    MappedByteBuffer map(Path file, int segmentLength) throws IOException;

    /**
     * Deletes a segment file and forces its directory.
     *
     * @param file the segment path.
     * @throws IOException when the delete fails.
     */
    void delete(Path file) throws IOException;

    /**
     * Prepares a spare segment ahead of a roll: a file of {@code segmentLength} bytes allocated for real (reserved or
     * zero-filled, reading as zeros) and forced, with no header, under a name no reader takes for a segment. Storages
     * that do not prepare spares return {@code false} (the default), and every roll then creates its segment with
     * {@link #create}.
     *
     * @param spare         the spare's path.
     * @param segmentLength the file length.
     * @return whether the spare is ready.
     * @throws IOException when a step fails (a full disk, for one); the caller deletes what is left.
     */
    default boolean createSpare(final Path spare, final int segmentLength) throws IOException
    {
        return false;
    }

    /**
     * Turns a spare made by {@link #createSpare} into a segment: writes and forces its header, renames it to its final
     * name and forces the directory, so that it then is what {@link #create} would have made.
     *
     * @param spare  the spare's path.
     * @param file   the final path of the segment; must not exist.
     * @param header the complete header, {@link SegmentDescriptor#HEADER_LENGTH} bytes from index 0.
     * @throws IOException when a step fails; the caller then creates the segment with {@link #create}.
     */
    default void activateSpare(final Path spare, final Path file, final ByteBuffer header) throws IOException
    {
        throw new IOException("this storage does not prepare spare segments");
    }

    /**
     * The default storage on the local file system: space reserved with {@code posix_fallocate} on 64-bit Linux
     * (through JNA; on JDK 24 and newer only when native access is enabled), zeros written elsewhere; any thread.
     *
     * @return the storage.
     */
    static SegmentStorage files()
    {
        return FileSegmentStorage.INSTANCE;
    }

    /**
     * The local file system storage that always writes zeros to allocate a segment, as releases before native
     * reservation did; any thread. For comparison and for file systems where reservation misbehaves.
     *
     * @return the storage.
     */
    static SegmentStorage zeroFilledFiles()
    {
        return FileSegmentStorage.ZERO_FILLED;
    }
}
