/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.WalEntryType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Writes the golden version 1 segment of {@link WalSegmentFormatTest} with the writer of this build: fixed ids, fixed
 * payloads, one force after every frame, then close (which persists the durable slot). Run once, by hand, to make the
 * checked-in fixture ({@code main <output file>}); never to make the format test pass.
 */
final class GoldenSegmentGenerator
{
    /** The database id of the golden segment. */
    static final UUID DATABASE_ID = UUID.fromString("7a11e0c4-601d-4e55-8000-5e6d0000000a");
    /** The segment length of the golden segment: the smallest the writer takes. */
    static final int SEGMENT_LENGTH = WalOptions.SEGMENT_LENGTH_MIN;

    /** One frame of the golden segment as it is written. */
    record GoldenFrame(int typeCode, TxId txId, RunId runId, byte[] payload)
    {
    }

    private GoldenSegmentGenerator()
    {
    }

    /**
     * The frames, in log order: payloads of length 0, 1, 7 (padding), 8 (none) and 100, and several entry types.
     *
     * @return the frames.
     */
    static List<GoldenFrame> frames()
    {
        final RunId run = RunId.of(0x0123456789abcdefL, 0xfedcba9876543210L);
        final byte[] hundred = new byte[100];
        for (int i = 0; i < hundred.length; i++)
        {
            hundred[i] = (byte)(i * 7 + 1);
        }
        return List.of(
            new GoldenFrame(WalEntryType.RUN_BEGIN.code(), TxId.of(1, 1), run, new byte[0]),
            new GoldenFrame(WalEntryType.KV_PUT.code(), TxId.of(1, 2), run, new byte[] {(byte)0xFF}),
            new GoldenFrame(WalEntryType.EVENT_APPEND.code(), TxId.of(1, 3), run,
                "ordered".getBytes(StandardCharsets.US_ASCII)),
            new GoldenFrame(WalEntryType.STATE_SET.code(), TxId.of(1, 4), RunId.of(-1L, 0L),
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7}),
            new GoldenFrame(WalEntryType.TRANSACTION_COMMIT.code(), TxId.of(Long.MIN_VALUE, Long.MAX_VALUE), run,
                hundred),
            new GoldenFrame(WalEntryType.RUN_END.code(), TxId.of(1, 6), run, "done".getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes the golden frames into a new log in a directory.
     *
     * @param directory an empty directory.
     * @return the segment file at position 0.
     */
    static Path write(final Path directory)
    {
        final WalOptions options = new WalOptions().directory(directory).databaseId(DATABASE_ID)
            .segmentLength(SEGMENT_LENGTH);
        try (WalWriter writer = WalWriter.open(options, 0))
        {
            for (final GoldenFrame frame : frames())
            {
                writer.append(frame.typeCode(), frame.txId(), frame.runId(), frame.payload(), 0,
                    frame.payload().length);
                writer.force();
            }
        }
        return directory.resolve(SegmentDescriptor.fileName(0));
    }

    /**
     * Writes the golden segment to a file.
     *
     * @param args the output file.
     * @throws IOException when it cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path directory = Files.createTempDirectory("golden-wal");
        Files.copy(write(directory), Path.of(args[0]));
    }
}
