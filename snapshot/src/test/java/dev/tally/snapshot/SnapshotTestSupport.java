/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.testing.DatabaseIds;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Shared fixtures of the snapshot tests: ids, contents, byte surgery that keeps the CRC valid, and assertions.
 */
final class SnapshotTestSupport
{
    static final UUID DATABASE_ID = DatabaseIds.DATABASE_ID;
    static final UUID OTHER_DATABASE_ID = DatabaseIds.OTHER_DATABASE_ID;
    static final long TIMESTAMP_MICROS = 1_767_225_600_000_000L;

    private SnapshotTestSupport()
    {
    }

    static SnapshotContents contents(final long walPosition, final SnapshotSection... sections)
    {
        return new SnapshotContents(DATABASE_ID, TIMESTAMP_MICROS, walPosition, List.of(sections));
    }

    /** A small snapshot with three sections, one of them empty. */
    static SnapshotContents smallContents(final long walPosition)
    {
        return contents(walPosition,
            new SnapshotSection(1, new byte[] {1, 2, 3, 4, 5}),
            new SnapshotSection(2, new byte[0]),
            new SnapshotSection(7, new byte[] {(byte)0xFF, 0, (byte)0x80}));
    }

    static byte[] randomBytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        return bytes;
    }

    static SnapshotFile write(final Path directory, final SnapshotContents contents)
    {
        return new SnapshotWriter().write(directory, contents);
    }

    /** Recomputes the CRC32 trailer of a snapshot image after byte surgery, so only the surgery is checked. */
    static byte[] withValidCrc(final byte[] image)
    {
        final int crcOffset = image.length - SnapshotDescriptor.TRAILER_LENGTH;
        final CRC32 crc = new CRC32();
        crc.update(image, 0, crcOffset);
        ByteBuffer.wrap(image).putInt(crcOffset, (int)crc.getValue());
        return image;
    }

    /** The offsets of the section headers of a valid image, by index. */
    static List<Integer> sectionHeaderOffsets(final byte[] image)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(image);
        final int count = buffer.getInt(SnapshotDescriptor.SECTION_COUNT_OFFSET);
        final List<Integer> offsets = new ArrayList<>();
        int offset = SnapshotDescriptor.HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            offsets.add(offset);
            offset += SnapshotDescriptor.SECTION_HEADER_LENGTH +
                (int)buffer.getLong(offset + SnapshotDescriptor.SECTION_LENGTH_OFFSET);
        }
        return offsets;
    }

    /** Asserts that a read fails with a code and that verify reports the same code without throwing. */
    static CorruptDataException assertRejected(final Path file, final ErrorCode code, final String context)
    {
        final CorruptDataException ex = assertThrows(CorruptDataException.class,
            () -> SnapshotReader.read(file, DATABASE_ID), context);
        assertEquals(code, ex.code(), () -> context + ": " + ex.getMessage());
        final SnapshotVerification verification = SnapshotReader.verify(file, DATABASE_ID);
        assertFalse(verification.isValid(), context);
        assertEquals(code, verification.errorCode(), context);
        return ex;
    }

    static void assertSameContents(final SnapshotContents expected, final Snapshot actual)
    {
        assertEquals(expected.databaseId(), actual.header().databaseId());
        assertEquals(expected.timestampMicros(), actual.header().timestampMicros());
        assertEquals(expected.walPosition(), actual.header().walPosition());
        assertEquals(SnapshotDescriptor.FORMAT_VERSION, actual.header().formatVersion());
        assertEquals(expected.sections().size(), actual.header().sectionCount());
        assertEquals(expected.sections().size(), actual.sections().size());
        for (int i = 0; i < expected.sections().size(); i++)
        {
            final SnapshotSection want = expected.sections().get(i);
            final SnapshotSection got = actual.sections().get(i);
            assertEquals(want.typeId(), got.typeId(), "typeId at index " + i);
            assertArrayEquals(want.data(), got.data(), "section typeId=" + want.typeId());
            assertArrayEquals(want.data(), actual.section(want.typeId()), "section by id typeId=" + want.typeId());
        }
    }

    static byte[] copy(final byte[] image, final int length)
    {
        return Arrays.copyOf(image, length);
    }
}
