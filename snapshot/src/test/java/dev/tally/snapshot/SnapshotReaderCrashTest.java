/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;

import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.tally.snapshot.SnapshotTestSupport.DATABASE_ID;
import static dev.tally.snapshot.SnapshotTestSupport.OTHER_DATABASE_ID;
import static dev.tally.snapshot.SnapshotTestSupport.TIMESTAMP_MICROS;
import static dev.tally.snapshot.SnapshotTestSupport.assertRejected;
import static dev.tally.snapshot.SnapshotTestSupport.copy;
import static dev.tally.snapshot.SnapshotTestSupport.sectionHeaderOffsets;
import static dev.tally.snapshot.SnapshotTestSupport.smallContents;
import static dev.tally.snapshot.SnapshotTestSupport.withValidCrc;
import static dev.tally.snapshot.SnapshotTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: a damaged snapshot is rejected whole, with the right code and never another exception type, and no length
 * read from disk is trusted before it is checked. Method: a small valid snapshot (three sections, one empty) is
 * truncated at every byte offset and damaged by every single-bit flip; then hand-made files, with their CRC made valid
 * again so that only the structural check can catch them, carry hostile lengths and counts, unordered or duplicate
 * type ids, trailing bytes, a foreign database id, an unknown version and a renamed position. Deterministic: no seed.
 */
@Timeout(120)
class SnapshotReaderCrashTest
{
    private static final long POSITION = 4096;

    @TempDir
    Path directory;

    private byte[] validImage()
    {
        final SnapshotFile file = write(directory, smallContents(POSITION));
        final byte[] image = FileBytes.read(file.path());
        FileBytes.write(file.path(), new byte[0]);
        return image;
    }

    private Path damaged(final byte[] image)
    {
        final Path file = directory.resolve(SnapshotDescriptor.fileName(POSITION));
        FileBytes.write(file, image);
        return file;
    }

    @Test
    void shouldRejectWithCorruptSnapshotWhenTruncatedAtEveryOffset()
    {
        final byte[] image = validImage();
        for (int length = 0; length < image.length; length++)
        {
            assertRejected(damaged(copy(image, length)), ErrorCode.CORRUPT_SNAPSHOT, "truncated to length=" + length);
        }
        assertEquals(3, SnapshotReader.read(damaged(image), DATABASE_ID).sections().size(), "the intact image loads");
    }

    @Test
    void shouldRejectWithCorruptSnapshotWhenAnySingleBitFlips()
    {
        final byte[] image = validImage();
        int flipCount = 0;
        for (int offset = 0; offset < image.length; offset++)
        {
            for (int bit = 0; bit < Byte.SIZE; bit++)
            {
                final byte[] flipped = image.clone();
                flipped[offset] ^= (byte)(1 << bit);
                // The CRC is checked before any field is interpreted, so a flip in the version or database id is
                // damage too, never an unknown version or a foreign database.
                assertRejected(damaged(flipped), ErrorCode.CORRUPT_SNAPSHOT, "flip offset=" + offset + " bit=" + bit);
                flipCount++;
            }
        }
        assertEquals(image.length * Byte.SIZE, flipCount);
    }

    @Test
    void shouldRejectWithoutAllocatingWhenSectionLengthIsHostile()
    {
        final byte[] image = validImage();
        final int lengthOffset = sectionHeaderOffsets(image).get(0) + SnapshotDescriptor.SECTION_LENGTH_OFFSET;
        final long[] hostile = {Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE, Integer.MIN_VALUE,
            SnapshotDescriptor.SECTION_LENGTH_MAX, SnapshotDescriptor.SECTION_LENGTH_MAX + 1, 1L << 32, image.length};
        for (final long length : hostile)
        {
            final byte[] bad = image.clone();
            ByteBuffer.wrap(bad).putLong(lengthOffset, length);
            final CorruptDataException ex =
                assertRejected(damaged(withValidCrc(bad)), ErrorCode.CORRUPT_SNAPSHOT, "sectionLength=" + length);
            assertTrue(ex.getMessage().contains("sectionLength=" + length), ex.getMessage());
        }
    }

    @Test
    void shouldRejectInSmallHeapChildWhenSectionLengthsWouldNotFitInMemory() throws Exception
    {
        final byte[] image = validImage();
        final int lengthOffset = sectionHeaderOffsets(image).get(0) + SnapshotDescriptor.SECTION_LENGTH_OFFSET;
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx16m", "-ea",
            "-cp", System.getProperty("java.class.path"), SnapshotReadMain.class.getName(), DATABASE_ID.toString()));
        final long[] hostile = {Integer.MAX_VALUE, SnapshotDescriptor.SECTION_LENGTH_MAX, Long.MAX_VALUE, 64L << 20};
        for (int i = 0; i < hostile.length; i++)
        {
            final byte[] bad = image.clone();
            ByteBuffer.wrap(bad).putLong(lengthOffset, hostile[i]);
            final Path file = directory.resolve("hostile-" + i + ".snap");
            FileBytes.write(file, withValidCrc(bad));
            command.add(file.toString());
        }
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream stdout = child.getInputStream())
        {
            output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish");

        assertEquals(0, child.exitValue(), output);
        assertEquals(List.of("CORRUPT_SNAPSHOT", "CORRUPT_SNAPSHOT", "CORRUPT_SNAPSHOT", "CORRUPT_SNAPSHOT"),
            output.lines().toList(), output);
    }

    @Test
    void shouldRejectWhenSectionCountIsHostileOrWrong()
    {
        final byte[] image = validImage();
        for (final int count : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 256, 4, 2, 0})
        {
            final byte[] bad = image.clone();
            ByteBuffer.wrap(bad).putInt(SnapshotDescriptor.SECTION_COUNT_OFFSET, count);
            assertRejected(damaged(withValidCrc(bad)), ErrorCode.CORRUPT_SNAPSHOT, "sectionCount=" + count);
        }
    }

    @Test
    void shouldRejectWhenTypeIdsAreZeroDuplicateOrDescending()
    {
        final byte[] image = validImage();
        final List<Integer> offsets = sectionHeaderOffsets(image);
        final int[][] cases = {{0, 2, 7}, {1, 1, 7}, {1, 7, 7}, {2, 1, 7}, {1, 7, 2}};
        for (final int[] typeIds : cases)
        {
            final byte[] bad = image.clone();
            for (int i = 0; i < typeIds.length; i++)
            {
                bad[offsets.get(i) + SnapshotDescriptor.SECTION_TYPE_ID_OFFSET] = (byte)typeIds[i];
            }
            assertRejected(damaged(withValidCrc(bad)), ErrorCode.CORRUPT_SNAPSHOT,
                "typeIds=" + java.util.Arrays.toString(typeIds));
        }
    }

    @Test
    void shouldRejectWhenBytesFollowLastSection()
    {
        final byte[] image = validImage();
        final int crcOffset = image.length - SnapshotDescriptor.TRAILER_LENGTH;
        final byte[] longer = new byte[image.length + 3];
        System.arraycopy(image, 0, longer, 0, crcOffset);

        final CorruptDataException ex =
            assertRejected(damaged(withValidCrc(longer)), ErrorCode.CORRUPT_SNAPSHOT, "three trailing bytes");
        assertTrue(ex.getMessage().contains("after its last section"), ex.getMessage());
    }

    @Test
    void shouldRejectWhenMagicIsWrongEvenWithValidCrc()
    {
        final byte[] bad = validImage();
        bad[SnapshotDescriptor.MAGIC_OFFSET + 6] = 'X';

        final CorruptDataException ex =
            assertRejected(damaged(withValidCrc(bad)), ErrorCode.CORRUPT_SNAPSHOT, "magic INMEM_XNAP");
        assertTrue(ex.getMessage().contains("magic"), ex.getMessage());
    }

    @Test
    void shouldRejectWithUnknownFormatVersionWhenVersionIsNotOne()
    {
        final byte[] image = validImage();
        for (final int version : new int[] {0, 2, -1, Integer.MAX_VALUE})
        {
            final byte[] bad = image.clone();
            ByteBuffer.wrap(bad).putInt(SnapshotDescriptor.FORMAT_VERSION_OFFSET, version);
            assertRejected(damaged(withValidCrc(bad)), ErrorCode.UNKNOWN_FORMAT_VERSION, "formatVersion=" + version);
        }
    }

    @Test
    void shouldRejectWithForeignDatabaseWhenDatabaseIdDiffers()
    {
        final SnapshotFile file = new SnapshotWriter().write(directory, new SnapshotContents(
            OTHER_DATABASE_ID, TIMESTAMP_MICROS, POSITION, smallContents(POSITION).sections()));

        assertRejected(file.path(), ErrorCode.FOREIGN_DATABASE, "written by another database");
        final SnapshotVerification anyOwner = SnapshotReader.verify(file.path());
        assertTrue(anyOwner.isValid(), anyOwner::toString);
        assertEquals(OTHER_DATABASE_ID, anyOwner.header().databaseId());
    }

    @Test
    void shouldRejectWhenFileNameStatesAnotherWalPosition() throws IOException
    {
        final SnapshotFile file = write(directory, smallContents(POSITION));
        final Path renamed = directory.resolve(SnapshotDescriptor.fileName(POSITION * 2));
        Files.move(file.path(), renamed);

        final CorruptDataException ex = assertRejected(renamed, ErrorCode.CORRUPT_SNAPSHOT, "renamed");
        assertTrue(ex.getMessage().contains("namedPosition=" + POSITION * 2), ex.getMessage());
    }

    @Test
    void shouldRejectWhenTimestampOrWalPositionIsNegative()
    {
        final byte[] image = validImage();
        for (final int offset : new int[] {SnapshotDescriptor.TIMESTAMP_OFFSET, SnapshotDescriptor.WAL_POSITION_OFFSET})
        {
            final byte[] bad = image.clone();
            ByteBuffer.wrap(bad).putLong(offset, -POSITION);
            final Path file = directory.resolve("negative.snap");
            FileBytes.write(file, withValidCrc(bad));
            assertRejected(file, ErrorCode.CORRUPT_SNAPSHOT, "negative field at offset=" + offset);
        }
    }

    @Test
    void shouldThrowStorageIoWhenFileDoesNotExist()
    {
        final Path missing = directory.resolve(SnapshotDescriptor.fileName(1));

        final StorageException read = assertThrows(StorageException.class,
            () -> SnapshotReader.read(missing, DATABASE_ID));
        final StorageException verify = assertThrows(StorageException.class, () -> SnapshotReader.verify(missing));

        assertEquals(ErrorCode.STORAGE_IO, read.code());
        assertEquals(ErrorCode.STORAGE_IO, verify.code());
    }
}
