/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.CorruptDataException;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.wal.ScanMode;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.WalOptions;
import dev.tally.wal.WalScanner;
import dev.tally.wal.WalWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One WAL segment written by {@link WalWriter}, with its frames remembered, and a check that a damaged copy scans to
 * an exact prefix of those frames or fails as corruption. Used by the truncation (C) and corruption (D) groups.
 */
public final class LogFixture
{
    /** The database id of every fixture. */
    public static final UUID DATABASE_ID = new UUID(0x7a11L, 0xc0ffeeL);

    private final byte[] segment;
    private final long[] positions;
    private final int[] ends;
    private final List<byte[]> payloads;
    private final int segmentLength;

    private LogFixture(final byte[] segment, final long[] positions, final int[] ends, final List<byte[]> payloads)
    {
        this.segment = segment;
        this.positions = positions;
        this.ends = ends;
        this.payloads = payloads;
        this.segmentLength = segment.length;
    }

    /**
     * Writes a segment full of frames with seeded payloads, closes the writer, then sets the durable slot.
     *
     * @param directory     an empty directory.
     * @param segmentLength the segment length (the whole log).
     * @param seed          the payload seed.
     * @param exactSlot     whether the slot keeps the exact durable position (every frame durable) or is set back
     *                      to the segment base (every frame may be a torn tail).
     * @return the fixture.
     * @throws IOException when the file cannot be read.
     */
    public static LogFixture write(final Path directory, final int segmentLength, final long seed,
        final boolean exactSlot) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Long> positions = new ArrayList<>();
        final List<Integer> ends = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(new WalOptions().directory(directory).databaseId(DATABASE_ID)
            .segmentLength(segmentLength), 0))
        {
            // Bounded: stops before the first frame that would roll to a second segment.
            while (true)
            {
                final byte[] payload = new byte[random.nextInt(random.nextInt(8) == 0 ? 900 : 120)];
                random.nextBytes(payload);
                if (WalWriter.frameEndPosition(writer.nextPosition(), payload.length, segmentLength) > segmentLength)
                {
                    break;
                }
                final long position = writer.append(0x10, TxId.of(positions.size() + 1L, 7), RunId.of(1, 2),
                    payload, 0, payload.length);
                positions.add(position);
                ends.add((int)writer.nextPosition());
                payloads.add(payload);
            }
            writer.force();
        }
        final Path file = directory.resolve(SegmentDescriptor.fileName(0));
        final byte[] bytes = Files.readAllBytes(file);
        if (!exactSlot)
        {
            SegmentDescriptor.writeDurablePosition(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0,
                SegmentDescriptor.HEADER_LENGTH);
        }
        Files.delete(file);
        return new LogFixture(bytes, positions.stream().mapToLong(Long::longValue).toArray(),
            ends.stream().mapToInt(Integer::intValue).toArray(), payloads);
    }

    /**
     * A copy of the segment bytes.
     *
     * @return the bytes.
     */
    public byte[] bytes()
    {
        return segment.clone();
    }

    /**
     * The number of frames.
     *
     * @return the count.
     */
    public int frameCount()
    {
        return positions.length;
    }

    /**
     * The end offset of frame i (aligned).
     *
     * @param i the frame.
     * @return the end.
     */
    public int frameEnd(final int i)
    {
        return ends[i];
    }

    /**
     * The start offset of frame i.
     *
     * @param i the frame.
     * @return the start.
     */
    public int frameStart(final int i)
    {
        return (int)positions[i];
    }

    /**
     * The end of the last frame.
     *
     * @return the offset.
     */
    public int logEnd()
    {
        return ends[ends.length - 1];
    }

    /**
     * Scans a damaged copy and checks it.
     *
     * @param directory   a directory to write it to (its segment file is replaced).
     * @param damaged     the damaged bytes (any length).
     * @param maxFrames   the most frames a correct scan may return (frames from the first damaged one are excluded).
     * @param minFrames   the fewest frames a successful scan must return (frames that must survive).
     * @param mayCorrupt  whether a {@link CorruptDataException} (a corrupt log included) is allowed.
     * @return {@code null} when the outcome is allowed, else what is wrong.
     * @throws IOException when the copy cannot be written.
     */
    public String check(final Path directory, final byte[] damaged, final int maxFrames, final int minFrames,
        final boolean mayCorrupt) throws IOException
    {
        Files.write(directory.resolve(SegmentDescriptor.fileName(0)), damaged);
        final List<Integer> seen = new ArrayList<>();
        final String[] wrong = new String[1];
        try (WalScanner scanner = new WalScanner(directory, DATABASE_ID, type -> type == 0x10))
        {
            scanner.scan(0, ScanMode.READ_ONLY, frame ->
            {
                final int index = seen.size();
                if (wrong[0] == null && (index >= positions.length || frame.position() != positions[index] ||
                    !Arrays.equals(frame.payloadBytes(), payloads.get(index))))
                {
                    wrong[0] = "frame accepted that was never written or damaged: index=" + index + ", position=" +
                        frame.position();
                }
                seen.add(index);
            });
        }
        catch (final CorruptDataException ex)
        {
            return mayCorrupt ? null : "recovery failed where it should succeed: " + ex.getMessage();
        }
        if (wrong[0] != null)
        {
            return wrong[0];
        }
        if (seen.size() > maxFrames)
        {
            return "damaged frame accepted: frames=" + seen.size() + ", max=" + maxFrames;
        }
        if (seen.size() < minFrames)
        {
            return "frames lost silently: frames=" + seen.size() + ", min=" + minFrames;
        }
        return null;
    }

    /**
     * Checks a damaged copy against what the damage allows: frames from the first frame holding a changed (or missing)
     * byte on must not be returned; a changed static header must fail as corruption; with the exact durable slot
     * intact, every frame is durable, so the scan must return them all or fail as corruption; otherwise every frame
     * before the damage must come back.
     *
     * @param directory the scan directory.
     * @param damaged   the damaged bytes.
     * @param exactSlot whether the fixture keeps the exact durable slot.
     * @return {@code null} when the outcome is allowed, else what is wrong.
     * @throws IOException when the copy cannot be written.
     */
    public String checkDamaged(final Path directory, final byte[] damaged, final boolean exactSlot)
        throws IOException
    {
        int firstFrame = positions.length;
        boolean staticHeaderChanged = false;
        boolean slotChanged = false;
        final int limit = Math.max(damaged.length, segment.length);
        for (int i = 0; i < limit; i++)
        {
            final boolean changed = i >= damaged.length || i >= segment.length || damaged[i] != segment[i];
            if (!changed)
            {
                continue;
            }
            if (i < SegmentDescriptor.DURABLE_CRC_OFFSET)
            {
                staticHeaderChanged = true;
            }
            else if (i < SegmentDescriptor.HEADER_LENGTH)
            {
                slotChanged = true;
            }
            else
            {
                final int frame = frameAt(i);
                if (frame >= 0)
                {
                    firstFrame = Math.min(firstFrame, frame);
                }
                break;
            }
        }
        final boolean shortFile = damaged.length != segment.length;
        if (staticHeaderChanged || shortFile)
        {
            return check(directory, damaged, firstFrame, 0, true);
        }
        if (exactSlot && !slotChanged)
        {
            return check(directory, damaged, firstFrame, positions.length, firstFrame < positions.length);
        }
        return check(directory, damaged, firstFrame, firstFrame, false);
    }

    /**
     * The number of frames wholly before an offset.
     *
     * @param offset the offset.
     * @return the count.
     */
    public int framesBefore(final int offset)
    {
        int count = 0;
        while (count < ends.length && ends[count] <= offset)
        {
            count++;
        }
        return count;
    }

    /**
     * The index of the frame covering an offset (its aligned extent), or -1 outside every frame.
     *
     * @param offset the offset.
     * @return the frame index.
     */
    public int frameAt(final int offset)
    {
        for (int i = 0; i < ends.length; i++)
        {
            if (offset >= positions[i] && offset < ends[i])
            {
                return i;
            }
        }
        return -1;
    }
}
