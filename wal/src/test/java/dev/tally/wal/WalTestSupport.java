/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.WalEntryType;
import dev.tally.core.testing.DatabaseIds;
import dev.tally.core.testing.FileBytes;
import dev.tally.core.testing.Seeds;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * Shared helpers for the WAL tests: seeded logs, whole-log scans, and byte-level damage to segment files.
 */
final class WalTestSupport
{
    static final UUID DATABASE_ID = DatabaseIds.DATABASE_ID;
    static final int SMALL_SEGMENT_LENGTH = 8192;

    private WalTestSupport()
    {
    }

    /** One frame as the test wrote it. */
    record Written(long position, int typeCode, TxId txId, RunId runId, byte[] payload)
    {
        int frameLength()
        {
            return FrameDescriptor.frameLength(payload.length);
        }

        long endPosition()
        {
            return position + FrameDescriptor.alignedLength(frameLength());
        }
    }

    /** One frame as a scan delivered it. */
    record Read(long position, int typeCode, TxId txId, RunId runId, byte[] payload)
    {
        boolean matches(final Written written)
        {
            return position == written.position && typeCode == written.typeCode && txId.equals(written.txId) &&
                runId.equals(written.runId) && Arrays.equals(payload, written.payload);
        }
    }

    /**
     * The seeds of a property test: the one given with -Dtests.seed= (see {@link Seeds#parse}), or fresh ones.
     */
    static LongStream seeds(final int count)
    {
        final OptionalLong given = Seeds.given();
        if (given.isPresent())
        {
            return LongStream.of(given.getAsLong());
        }
        final SplittableRandom random = new SplittableRandom();
        return LongStream.generate(random::nextLong).limit(count);
    }

    static WalOptions options(final Path directory, final int segmentLength)
    {
        return new WalOptions().directory(directory).databaseId(DATABASE_ID).segmentLength(segmentLength);
    }

    static byte[] randomPayload(final SplittableRandom random, final int length)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(1 + random.nextInt(255));
        }
        return payload;
    }

    static Written append(final WalWriter writer, final SplittableRandom random, final int payloadLength)
    {
        final int typeCode = WalEntryType.KV_PUT.code();
        final TxId txId = TxId.of(random.nextLong(), random.nextLong());
        final RunId runId = RunId.of(random.nextLong(), random.nextLong());
        final byte[] payload = randomPayload(random, payloadLength);
        final long position = writer.append(typeCode, txId, runId, payload, 0, payload.length);
        return new Written(position, typeCode, txId, runId, payload);
    }

    /**
     * Writes frames of random length up to {@code payloadLengthMax}, forcing after each, until at least {@code
     * frameCount} frames are written; closes the writer so the exact durable position is persisted.
     */
    static List<Written> writeLog(
        final Path directory,
        final int segmentLength,
        final SplittableRandom random,
        final int frameCount,
        final int payloadLengthMax)
    {
        final List<Written> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(options(directory, segmentLength), 0))
        {
            for (int i = 0; i < frameCount; i++)
            {
                written.add(append(writer, random, random.nextInt(payloadLengthMax + 1)));
                writer.force();
            }
        }
        return written;
    }

    static List<Read> scanAll(final Path directory, final ScanMode mode, final List<ScanResult> result)
    {
        final List<Read> frames = new ArrayList<>();
        try (WalScanner scanner = new WalScanner(directory, DATABASE_ID, WalScanner.builtInTypes()))
        {
            result.add(scanner.scan(0, mode, frame -> frames.add(new Read(
                frame.position(), frame.typeCode(), frame.txId(), frame.runId(), frame.payloadBytes()))));
        }
        return frames;
    }

    static ScanResult scan(final Path directory, final ScanMode mode, final List<Read> frames)
    {
        try (WalScanner scanner = new WalScanner(directory, DATABASE_ID, WalScanner.builtInTypes()))
        {
            return scanner.scan(0, mode, frame -> frames.add(new Read(
                frame.position(), frame.typeCode(), frame.txId(), frame.runId(), frame.payloadBytes())));
        }
    }

    static Path segmentFile(final Path directory, final long segmentBasePosition)
    {
        return directory.resolve(SegmentDescriptor.fileName(segmentBasePosition));
    }

    /** Overwrites a segment's durable slot with a valid value, as if the writer had persisted it. */
    static void setDurablePosition(final Path file, final long segmentBasePosition, final long durablePosition)
    {
        final ByteBuffer slot = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        SegmentDescriptor.writeDurablePosition(slot, segmentBasePosition, durablePosition);
        final byte[] bytes = Arrays.copyOfRange(
            slot.array(), SegmentDescriptor.DURABLE_CRC_OFFSET, SegmentDescriptor.HEADER_LENGTH);
        FileBytes.writeAt(file, SegmentDescriptor.DURABLE_CRC_OFFSET, bytes);
    }

    /** Offset of the last non-zero byte plus one, searching {@code [from, bytes.length)}; {@code from} when none. */
    static int nonZeroEnd(final byte[] bytes, final int from)
    {
        int end = bytes.length;
        while (end > from && bytes[end - 1] == 0)
        {
            end--;
        }
        return end;
    }
}
