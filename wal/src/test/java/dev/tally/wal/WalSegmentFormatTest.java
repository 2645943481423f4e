/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Goal: the on-disk bytes of a segment never change by accident. The checked-in version 1 fixture {@code
 * format/v1/golden.wal} (made once by {@link GoldenSegmentGenerator} with the writer of its day) must read frame by
 * frame as {@link GoldenSegmentGenerator#frames()} lists them in every future version, and the writer must still
 * produce it byte for byte from the same input. Never regenerate the fixture to make this test pass: a change of
 * format needs a new format version and a new fixture beside this one.
 */
@Timeout(30)
class WalSegmentFormatTest
{
    private static final String GOLDEN_RESOURCE = "/format/v1/golden.wal";
    /** The end of the last golden frame, fixed by the layout: 64-byte header and six frames of 56 + payload, aligned. */
    private static final long GOLDEN_END = 64 + 56 + 64 + 64 + 64 + 160 + 64;

    @TempDir
    Path directory;

    private static byte[] goldenBytes() throws IOException
    {
        try (InputStream in = WalSegmentFormatTest.class.getResourceAsStream(GOLDEN_RESOURCE))
        {
            assertNotNull(in, "missing fixture " + GOLDEN_RESOURCE);
            return in.readAllBytes();
        }
    }

    @Test
    void shouldReadEveryFrameWhenGoldenVersionOneSegmentIsScanned() throws IOException
    {
        Files.write(directory.resolve(SegmentDescriptor.fileName(0)), goldenBytes());
        final List<GoldenSegmentGenerator.GoldenFrame> expected = GoldenSegmentGenerator.frames();
        final List<Long> positions = new ArrayList<>();
        final List<GoldenSegmentGenerator.GoldenFrame> read = new ArrayList<>();

        final ScanResult result;
        try (WalScanner scanner = new WalScanner(directory, GoldenSegmentGenerator.DATABASE_ID,
            WalScanner.builtInTypes()))
        {
            result = scanner.scan(0, ScanMode.READ_ONLY, frame ->
            {
                positions.add(frame.position());
                read.add(new GoldenSegmentGenerator.GoldenFrame(frame.typeCode(), frame.txId(), frame.runId(),
                    frame.payloadBytes()));
            });
        }

        assertEquals(expected.size(), read.size(), "frame count");
        long position = SegmentDescriptor.HEADER_LENGTH;
        for (int i = 0; i < expected.size(); i++)
        {
            final GoldenSegmentGenerator.GoldenFrame want = expected.get(i);
            final GoldenSegmentGenerator.GoldenFrame got = read.get(i);
            assertEquals(position, positions.get(i), "position of frame " + i);
            assertEquals(want.typeCode(), got.typeCode(), "type of frame " + i);
            assertEquals(want.txId(), got.txId(), "txId of frame " + i);
            assertEquals(want.runId(), got.runId(), "runId of frame " + i);
            assertArrayEquals(want.payload(), got.payload(), "payload of frame " + i);
            position += FrameDescriptor.alignedLength(FrameDescriptor.frameLength(want.payload().length));
        }
        assertEquals(GOLDEN_END, position, "the layout's own arithmetic");
        assertEquals(ScanResult.Classification.CLEAN_END, result.classification());
        assertEquals(GOLDEN_END, result.endPosition());
        assertEquals(GOLDEN_END, result.durablePosition(), "the durable slot the close persisted");
    }

    @Test
    void shouldKeepHeaderFieldsWhenGoldenVersionOneSegmentIsRead() throws IOException
    {
        final byte[] golden = goldenBytes();
        final ByteBuffer header = ByteBuffer.wrap(golden).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(GoldenSegmentGenerator.SEGMENT_LENGTH, golden.length, "a segment is preallocated whole");
        assertEquals("TALLYWAL", new String(golden, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, header.getInt(SegmentDescriptor.FORMAT_VERSION_OFFSET));
        assertEquals(SegmentDescriptor.HEADER_LENGTH, header.getInt(SegmentDescriptor.HEADER_LENGTH_OFFSET));
        assertEquals(GoldenSegmentGenerator.SEGMENT_LENGTH, header.getInt(SegmentDescriptor.SEGMENT_LENGTH_OFFSET));
        assertEquals(GoldenSegmentGenerator.DATABASE_ID.getMostSignificantBits(),
            header.getLong(SegmentDescriptor.DATABASE_ID_OFFSET));
        assertEquals(GoldenSegmentGenerator.DATABASE_ID.getLeastSignificantBits(),
            header.getLong(SegmentDescriptor.DATABASE_ID_OFFSET + 8));
        assertEquals(0, header.getLong(SegmentDescriptor.SEGMENT_BASE_POSITION_OFFSET));
        assertEquals(SegmentDescriptor.headerChecksum(header), header.getInt(SegmentDescriptor.HEADER_CRC_OFFSET));
        assertEquals(GOLDEN_END, header.getLong(SegmentDescriptor.DURABLE_POSITION_OFFSET));
        assertEquals(SegmentDescriptor.durableChecksum(0, GOLDEN_END),
            header.getInt(SegmentDescriptor.DURABLE_CRC_OFFSET));
        final byte[] tail = Arrays.copyOfRange(golden, (int)GOLDEN_END, golden.length);
        assertArrayEquals(new byte[tail.length], tail, "zeros after the last frame");
    }

    @Test
    void shouldWriteGoldenBytesWhenGivenGoldenFrames() throws IOException
    {
        final byte[] golden = goldenBytes();

        final byte[] written = FileBytes.read(GoldenSegmentGenerator.write(directory));

        assertEquals(golden.length, written.length, "segment length");
        for (int offset = 0; offset < golden.length; offset++)
        {
            final int at = offset;
            assertEquals(golden[offset], written[offset], () -> "first differing byte at offset " + at);
        }
    }
}
