/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checked-in version 1 fixture {@code format/v1/golden.snap} (made once by {@link GoldenSnapshotGenerator}) must
 * read field by field as written below in every future version, and the writer must still produce it byte for byte.
 * Never regenerate the fixture to make this test pass.
 */
@Timeout(30)
class SnapshotFormatTest
{
    private static final String GOLDEN_RESOURCE = "/format/v1/golden.snap";
    private static final UUID GOLDEN_DATABASE_ID = UUID.fromString("7a11e5d0-5a9b-4c3e-9f10-0123456789ab");
    private static final long GOLDEN_TIMESTAMP_MICROS = 1_767_225_600_123_456L;
    private static final long GOLDEN_WAL_POSITION = 1_048_640L;
    private static final int GOLDEN_CRC = 0xfcbb94f7;
    private static final int GOLDEN_LENGTH = 119;

    @TempDir
    Path directory;

    private static byte[] goldenBytes() throws IOException
    {
        try (InputStream in = SnapshotFormatTest.class.getResourceAsStream(GOLDEN_RESOURCE))
        {
            assertNotNull(in, "missing fixture " + GOLDEN_RESOURCE);
            return in.readAllBytes();
        }
    }

    private static List<SnapshotSection> goldenSections()
    {
        return List.of(
            new SnapshotSection(1, "kv-section".getBytes(StandardCharsets.US_ASCII)),
            new SnapshotSection(2, new byte[0]),
            new SnapshotSection(5, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}),
            new SnapshotSection(255, new byte[] {(byte)0xFF, 0, (byte)0x80}));
    }

    @Test
    void shouldReadEveryFieldWhenGoldenVersionOneFileIsLoaded() throws IOException
    {
        final Path file = Files.write(directory.resolve("golden.snap"), goldenBytes());

        final Snapshot snapshot = SnapshotReader.read(file, GOLDEN_DATABASE_ID);

        assertEquals(1, snapshot.header().formatVersion());
        assertEquals(GOLDEN_TIMESTAMP_MICROS, snapshot.header().timestampMicros());
        assertEquals(GOLDEN_WAL_POSITION, snapshot.header().walPosition());
        assertEquals(GOLDEN_DATABASE_ID, snapshot.header().databaseId());
        assertEquals(4, snapshot.header().sectionCount());
        final List<SnapshotSection> expected = goldenSections();
        assertEquals(expected.size(), snapshot.sections().size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(expected.get(i).typeId(), snapshot.sections().get(i).typeId());
            assertArrayEquals(expected.get(i).data(), snapshot.sections().get(i).data());
        }
    }

    @Test
    void shouldFindFieldsAtDocumentedOffsetsWhenGoldenBytesAreDecodedByHand() throws IOException
    {
        final byte[] golden = goldenBytes();
        final ByteBuffer buffer = ByteBuffer.wrap(golden);

        assertEquals(GOLDEN_LENGTH, golden.length);
        assertEquals("INMEM_SNAP", new String(golden, 0, 10, StandardCharsets.US_ASCII));
        assertEquals(1, buffer.getInt(10));
        assertEquals(GOLDEN_TIMESTAMP_MICROS, buffer.getLong(14));
        assertEquals(GOLDEN_WAL_POSITION, buffer.getLong(22));
        assertEquals(GOLDEN_DATABASE_ID, new UUID(buffer.getLong(30), buffer.getLong(38)));
        assertEquals(4, buffer.getInt(46));
        assertEquals(1, golden[50]);
        assertEquals(10L, buffer.getLong(51));
        assertEquals(GOLDEN_CRC, buffer.getInt(GOLDEN_LENGTH - 4));
        final CRC32 crc = new CRC32();
        crc.update(golden, 0, GOLDEN_LENGTH - 4);
        assertEquals(GOLDEN_CRC, (int)crc.getValue());
        assertEquals(SnapshotDescriptor.HEADER_LENGTH, 50);
        assertEquals(SnapshotDescriptor.DATABASE_ID_OFFSET, 30);
        assertEquals(SnapshotDescriptor.SECTION_COUNT_OFFSET, 46);
    }

    @Test
    void shouldProduceGoldenBytesWhenSameContentsAreWritten() throws IOException
    {
        final SnapshotContents contents = new SnapshotContents(
            GOLDEN_DATABASE_ID, GOLDEN_TIMESTAMP_MICROS, GOLDEN_WAL_POSITION, goldenSections());

        final SnapshotFile file = new SnapshotWriter().write(directory, contents);

        assertEquals("00000000000001048640.snap", file.path().getFileName().toString());
        assertArrayEquals(goldenBytes(), Files.readAllBytes(file.path()));
        assertTrue(SnapshotReader.verify(file.path(), GOLDEN_DATABASE_ID).isValid());
    }

    @Test
    void shouldMatchStandardCrc32VectorWhenChecksummingCheckString()
    {
        final CRC32 crc = new CRC32();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));

        assertEquals(0xCBF43926L, crc.getValue());
    }
}
