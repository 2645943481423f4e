/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.HistoryEntry;
import dev.tally.core.HistoryFrame;
import dev.tally.core.PositionFileNames;
import dev.tally.core.RunId;
import dev.tally.core.TxId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The run history file, and the one owner of it: its name, {@code <walPosition, 20 digits>.hist}, next to the
 * snapshot of the same position; its layout, a snapshot file ({@link SnapshotDescriptor}) with one HISTORY section
 * (type id {@value #SECTION_TYPE_ID}); the section's format; and its reading and writing. The section holds, for
 * every run, the frames it committed before the file's position, in commit order, with all their entries. Stored on
 * disk; changing it needs a new format version.
 *
 * <pre>
 * section:  version (1 byte, 1) | run count (varint)
 *           | per run, sorted by run id: run id (16 bytes) | block length (varint) | block
 * block:    frame count (varint)
 *           | per frame, in commit order: position (8 bytes, big-endian) | tx id (16 bytes) | entry count (varint)
 *             | per entry: type code (1 byte) | body length (varint) | body
 * </pre>
 *
 * <p>Design note: each run's frames form one length-prefixed block, so reading one run skips the others without
 * decoding them, and a history file can carry its predecessor's blocks forward by appending to them. The history is
 * kept out of the {@code .snap} so that recovery, which never needs it, does not read and checksum it. The engine
 * writes it before the snapshot of the same position, so a snapshot never exists without it; a history file without
 * its snapshot is an orphan that {@link SnapshotDirectory#deleteOrphanHistoryFiles(Path)} deletes. Stateless; any
 * thread.
 */
public final class HistoryFile
{
    /** The section type id of the history; reserved, no primitive may use it. */
    public static final int SECTION_TYPE_ID = 7;
    /** File name suffix of a history file. */
    public static final String SUFFIX = ".hist";

    private static final int RUN_LENGTH_MIN = 18;
    private static final int FRAME_LENGTH_MIN = 25;
    private static final int ENTRY_LENGTH_MIN = 2;

    private HistoryFile()
    {
    }

    /**
     * The file name of the history file of a WAL position; any thread.
     *
     * @param walPosition the WAL position, not negative.
     * @return for example {@code 00000000000000004096.hist}.
     * @throws IllegalArgumentException when the position is negative.
     */
    public static String fileName(final long walPosition)
    {
        return PositionFileNames.format(walPosition, SUFFIX);
    }

    /**
     * Parses a history file name back to its WAL position; any thread.
     *
     * @param fileName a file name without directory.
     * @return the WAL position, or -1 when the name is not a history name (temporary names are not).
     */
    public static long parseFileName(final String fileName)
    {
        return PositionFileNames.parse(fileName, SUFFIX);
    }

    /**
     * The history file of a position in a directory, whether or not it exists; any thread.
     *
     * @param directory   the database directory.
     * @param walPosition the WAL position.
     * @return the path.
     */
    public static Path path(final Path directory, final long walPosition)
    {
        return directory.resolve(fileName(walPosition));
    }

    /**
     * The history files of a directory, newest (highest WAL position) first, without reading them; any thread.
     * Temporary files and other names are ignored.
     *
     * @param directory the directory.
     * @return a new list, empty when the directory has no history file or does not exist.
     * @throws dev.tally.core.StorageException with {@link ErrorCode#STORAGE_IO} when the directory cannot be listed.
     */
    public static List<SnapshotFile> list(final Path directory)
    {
        return SnapshotDirectory.list(directory, true);
    }

    /**
     * Writes the history file of a position durably (temporary file, force, rename, directory force); the snapshot
     * thread, before the snapshot of that position.
     *
     * @param writer          the snapshot writer.
     * @param directory       the database directory.
     * @param databaseId      the database id.
     * @param timestampMicros the snapshot's timestamp.
     * @param walPosition     the snapshot's position.
     * @param history         every run's frames before the position.
     * @return the file written.
     */
    public static SnapshotFile write(final SnapshotWriter writer, final Path directory, final UUID databaseId,
        final long timestampMicros, final long walPosition, final Builder history)
    {
        final SnapshotContents contents = new SnapshotContents(databaseId, timestampMicros, walPosition,
            List.of(new SnapshotSection(SECTION_TYPE_ID, history.toByteArray())));
        return writer.write(directory, contents, fileName(walPosition));
    }

    /**
     * Reads the HISTORY section of a history file, checking the whole file first; any thread.
     *
     * @param file       the file.
     * @param databaseId the database id it must carry.
     * @return the section body.
     * @throws CorruptDataException when the file is damaged, foreign or has no HISTORY section.
     * @throws dev.tally.core.StorageException when the file cannot be read.
     */
    public static byte[] read(final Path file, final UUID databaseId)
    {
        final byte[] section = SnapshotReader.read(file, databaseId).section(SECTION_TYPE_ID);
        if (section == null)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "history file without a history section: "
                + file.getFileName());
        }
        return section;
    }

    /**
     * The frames of one run; any thread.
     *
     * @param section the section body.
     * @param runId   the run.
     * @return its frames in commit order, empty when the run has none.
     * @throws CorruptDataException when the section does not decode.
     */
    public static List<HistoryFrame> readRun(final byte[] section, final RunId runId)
    {
        final BinaryDecoder head = new BinaryDecoder(section);
        head.readVersion();
        final int runCount = head.readLength(RUN_LENGTH_MIN);
        int offset = head.offset();
        for (int i = 0; i < runCount; i++)
        {
            final BinaryDecoder decoder = new BinaryDecoder(section, offset, section.length - offset);
            final RunId id = new RunId(decoder.readUuid());
            final int blockLength = decoder.readLength(1);
            final int blockOffset = decoder.offset();
            if (id.equals(runId))
            {
                return readBlock(new BinaryDecoder(section, blockOffset, blockLength));
            }
            offset = blockOffset + blockLength;
        }
        return List.of();
    }

    /**
     * Every run's frames; any thread. Meant for tools and tests: it decodes the whole history.
     *
     * @param section the section body.
     * @return the frames by run, sorted by run id.
     * @throws CorruptDataException when the section does not decode.
     */
    public static Map<RunId, List<HistoryFrame>> readAll(final byte[] section)
    {
        final Map<RunId, List<HistoryFrame>> runs = new TreeMap<>();
        final BinaryDecoder decoder = new BinaryDecoder(section);
        decoder.readVersion();
        final int runCount = decoder.readLength(RUN_LENGTH_MIN);
        for (int i = 0; i < runCount; i++)
        {
            final RunId id = new RunId(decoder.readUuid());
            final byte[] block = decoder.readBytes();
            runs.put(id, readBlock(new BinaryDecoder(block)));
        }
        decoder.expectEnd();
        return runs;
    }

    private static List<HistoryFrame> readBlock(final BinaryDecoder decoder)
    {
        final int frameCount = decoder.readLength(FRAME_LENGTH_MIN);
        final List<HistoryFrame> frames = new ArrayList<>(frameCount);
        long previous = -1;
        for (int i = 0; i < frameCount; i++)
        {
            final long position = decoder.readLong();
            if (position <= previous)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "history frames out of order: position="
                    + position + ", previous=" + previous);
            }
            previous = position;
            final TxId txId = new TxId(decoder.readUuid());
            final int entryCount = decoder.readLength(ENTRY_LENGTH_MIN);
            final List<HistoryEntry> entries = new ArrayList<>(entryCount);
            for (int j = 0; j < entryCount; j++)
            {
                final int code = decoder.readByte();
                entries.add(new HistoryEntry(code, decoder.readBytes()));
            }
            frames.add(new HistoryFrame(position, txId, entries));
        }
        decoder.expectEnd();
        return frames;
    }

    /**
     * Builds a history section: the previous snapshot's runs, then frames appended in commit order. Not
     * thread-safe: one building thread.
     */
    public static final class Builder
    {
        private final Map<RunId, RunBlock> runs = new TreeMap<>();

        /** One run's frames, encoded. */
        private static final class RunBlock
        {
            private final BinaryEncoder frames = new BinaryEncoder(256);
            private int frameCount;
            private long positionLast = -1;
        }

        /**
         * Creates an empty builder; the building thread.
         */
        public Builder()
        {
        }

        /**
         * Starts from an earlier section, keeping its frames; the building thread, before any append.
         *
         * @param section the earlier section body.
         * @return this.
         * @throws CorruptDataException when the section does not decode.
         */
        public Builder load(final byte[] section)
        {
            for (final Map.Entry<RunId, List<HistoryFrame>> run : readAll(section).entrySet())
            {
                for (final HistoryFrame frame : run.getValue())
                {
                    append(run.getKey(), frame);
                }
            }
            return this;
        }

        /**
         * Appends one committed frame of a run; the building thread, in commit order.
         *
         * @param runId the run.
         * @param frame the frame; its position must be above the run's previous frame's.
         * @return this.
         */
        public Builder append(final RunId runId, final HistoryFrame frame)
        {
            final RunBlock block = runs.computeIfAbsent(runId, r -> new RunBlock());
            if (frame.position() <= block.positionLast)
            {
                throw new IllegalArgumentException("history frames must come in commit order: position="
                    + frame.position() + ", previous=" + block.positionLast);
            }
            block.positionLast = frame.position();
            block.frameCount++;
            block.frames.writeLong(frame.position()).writeUuid(frame.txId().uuid())
                .writeLength(frame.entries().size());
            for (final HistoryEntry entry : frame.entries())
            {
                block.frames.writeByte(entry.typeCode()).writeBytes(entry.body());
            }
            return this;
        }

        /**
         * The number of runs with at least one frame; the building thread.
         *
         * @return the count.
         */
        public int runCount()
        {
            return runs.size();
        }

        /**
         * Encodes the section; the building thread.
         *
         * @return the section body.
         */
        public byte[] toByteArray()
        {
            int length = 16;
            for (final RunBlock block : runs.values())
            {
                length += block.frames.length() + 32;
            }
            final BinaryEncoder encoder = new BinaryEncoder(length);
            encoder.writeVersion().writeLength(runs.size());
            final BinaryEncoder count = new BinaryEncoder(10);
            for (final Map.Entry<RunId, RunBlock> run : runs.entrySet())
            {
                final RunBlock block = run.getValue();
                count.reset().writeLength(block.frameCount);
                encoder.writeUuid(run.getKey().uuid()).writeLength(count.length() + block.frames.length())
                    .writeRaw(count.buffer(), 0, count.length()).writeRaw(block.frames.buffer(), 0,
                        block.frames.length());
            }
            return encoder.toByteArray();
        }
    }
}
