/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.WalEntry;

import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.tally.snapshot.SnapshotTestSupport.DATABASE_ID;
import static dev.tally.snapshot.SnapshotTestSupport.TIMESTAMP_MICROS;
import static dev.tally.snapshot.SnapshotTestSupport.assertSameContents;
import static dev.tally.snapshot.SnapshotTestSupport.contents;
import static dev.tally.snapshot.SnapshotTestSupport.randomBytes;
import static dev.tally.snapshot.SnapshotTestSupport.smallContents;
import static dev.tally.snapshot.SnapshotTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SnapshotWriterTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReadBackEverySectionWhenSectionsAreEmptySmallAndLarge()
    {
        final SplittableRandom random = new SplittableRandom(20260101L);
        // Larger than the writer's and the reader's chunk lengths, and not a multiple of either.
        final byte[] large = randomBytes(random, 3 * SnapshotWriter.WRITE_CHUNK_LENGTH + 12_345);
        final SnapshotContents contents = contents(123_456_789L,
            new SnapshotSection(1, randomBytes(random, 100)),
            new SnapshotSection(2, new byte[0]),
            new SnapshotSection(3, large),
            new SnapshotSection(16, randomBytes(random, 1)),
            new SnapshotSection(255, new byte[0]));

        final SnapshotFile file = write(directory, contents);
        final Snapshot snapshot = SnapshotReader.read(file.path(), DATABASE_ID);

        assertSameContents(contents, snapshot);
        assertEquals(contents.fileLength(), FileBytes.read(file.path()).length);
        final SnapshotVerification verification = SnapshotReader.verify(file.path());
        assertTrue(verification.isValid(), verification::toString);
        assertEquals(snapshot.header(), verification.header());
        assertEquals((long)large.length, verification.sectionLengths().get(3));
        assertEquals(List.of(1, 2, 3, 16, 255), new ArrayList<>(verification.sectionLengths().keySet()));
    }

    @Test
    void shouldLoadLargeSectionsWhileAHelperChecksumsThemAndRejectAFlipAnywhere() throws IOException
    {
        // 17 MiB of sections: a helper thread computes the CRC behind the copy; small sections between the large
        // ones check that it takes every piece in file order.
        final SplittableRandom random = new SplittableRandom(20261202L);
        final byte[] first = randomBytes(random, (8 << 20) + 4_097);
        final byte[] second = randomBytes(random, (9 << 20) + 1);
        final SnapshotContents contents = contents(4_096L,
            new SnapshotSection(1, randomBytes(random, 777)),
            new SnapshotSection(2, first),
            new SnapshotSection(3, randomBytes(random, 5)),
            new SnapshotSection(4, second),
            new SnapshotSection(5, randomBytes(random, 64)));
        final SnapshotFile file = write(directory, contents);

        assertSameContents(contents, SnapshotReader.read(file.path(), DATABASE_ID));

        final byte[] image = FileBytes.read(file.path());
        final List<Integer> sections = SnapshotTestSupport.sectionHeaderOffsets(image);
        final int firstData = sections.get(1) + SnapshotDescriptor.SECTION_HEADER_LENGTH;
        final int secondData = sections.get(3) + SnapshotDescriptor.SECTION_HEADER_LENGTH;
        final int[] flips = {
            SnapshotDescriptor.TIMESTAMP_OFFSET + 7, // the header
            sections.get(0) + SnapshotDescriptor.SECTION_HEADER_LENGTH + 3, // a small section before the large ones
            firstData, firstData + first.length / 2 - 1, firstData + first.length / 2, firstData + first.length - 1,
            sections.get(2) + SnapshotDescriptor.SECTION_HEADER_LENGTH, // the small section between them
            secondData + 1, secondData + second.length / 2, secondData + second.length - 1,
            image.length - SnapshotDescriptor.TRAILER_LENGTH - 1 // the last byte the CRC covers
        };
        final Path damaged = directory.resolve(SnapshotDescriptor.fileName(4_096L));
        for (final int offset : flips)
        {
            final byte[] flipped = image.clone();
            flipped[offset] ^= 0x10;
            FileBytes.write(damaged, flipped);
            final CorruptDataException ex = assertThrows(CorruptDataException.class,
                () -> SnapshotReader.read(damaged, DATABASE_ID), "offset=" + offset);
            assertEquals(ErrorCode.CORRUPT_SNAPSHOT, ex.code(), "offset=" + offset);
            assertTrue(ex.getMessage().contains("CRC mismatch"), "offset=" + offset + ": " + ex.getMessage());
        }
        FileBytes.write(damaged, image);
        assertSameContents(contents, SnapshotReader.read(damaged, DATABASE_ID));
    }

    @Test
    void shouldNameFileAfterWalPositionAndLeaveNoTemporaryFileWhenWriteSucceeds() throws IOException
    {
        final SnapshotFile file = write(directory, smallContents(4096));

        assertEquals(directory.resolve("00000000000000004096.snap"), file.path());
        assertEquals(4096, file.walPosition());
        try (Stream<Path> entries = Files.list(directory))
        {
            assertEquals(List.of(file.path()), entries.toList());
        }
    }

    @Test
    void shouldReadSnapshotWithoutSectionsWhenContentsAreEmpty()
    {
        final SnapshotFile file = write(directory, contents(0));

        final Snapshot snapshot = SnapshotReader.read(file.path(), DATABASE_ID);

        assertEquals(0, snapshot.header().sectionCount());
        assertTrue(snapshot.sections().isEmpty());
        assertEquals(SnapshotDescriptor.FILE_LENGTH_MIN, FileBytes.read(file.path()).length);
    }

    @Test
    void shouldReplaceSnapshotWhenSamePositionIsWrittenAgain()
    {
        write(directory, smallContents(64));
        final SnapshotContents second = contents(64, new SnapshotSection(9, new byte[] {42}));

        final SnapshotFile file = write(directory, second);

        assertSameContents(second, SnapshotReader.read(file.path(), DATABASE_ID));
        assertEquals(1, SnapshotDirectory.list(directory).size());
    }

    @Test
    void shouldOverwriteLeftoverTemporaryFileWhenWriting()
    {
        final Path leftover = directory.resolve(SnapshotDescriptor.temporaryFileName(64));
        FileBytes.write(leftover, new byte[100_000]);

        final SnapshotFile file = write(directory, smallContents(64));

        assertFalse(Files.exists(leftover));
        assertSameContents(smallContents(64), SnapshotReader.read(file.path(), DATABASE_ID));
    }

    @Test
    void shouldWriteSectionsInAscendingTypeIdOrderWhenGivenOutOfOrder()
    {
        final SnapshotContents contents = new SnapshotContents(DATABASE_ID, TIMESTAMP_MICROS, 8, List.of(
            new SnapshotSection(200, new byte[] {2}),
            new SnapshotSection(3, new byte[] {1})));

        final Snapshot snapshot = SnapshotReader.read(write(directory, contents).path(), DATABASE_ID);

        assertEquals(3, snapshot.sections().get(0).typeId());
        assertEquals(200, snapshot.sections().get(1).typeId());
    }

    @Test
    void shouldRefuseContentsWhenTypeIdRepeatsOrIsOutOfRangeOrHeaderIsNegative()
    {
        final List<SnapshotSection> duplicate = List.of(new SnapshotSection(4, new byte[0]),
            new SnapshotSection(4, new byte[1]));
        assertThrows(IllegalArgumentException.class,
            () -> new SnapshotContents(DATABASE_ID, TIMESTAMP_MICROS, 0, duplicate));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotSection(0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotSection(256, new byte[0]));
        assertThrows(IllegalArgumentException.class,
            () -> new SnapshotContents(DATABASE_ID, TIMESTAMP_MICROS, -1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotContents(DATABASE_ID, -1, 0, List.of()));
        assertThrows(NullPointerException.class, () -> new SnapshotContents(null, TIMESTAMP_MICROS, 0, List.of()));
    }

    @Test
    void shouldRestoreEachPrimitiveAndExposeUnknownSectionWhenLoadingThroughSpi()
    {
        final FakePrimitive kv = new FakePrimitive(1, new byte[] {10, 11});
        final FakePrimitive events = new FakePrimitive(3, new byte[] {30});
        final FakePrimitive retired = new FakePrimitive(9, new byte[] {90, 91, 92});
        final SnapshotContents contents =
            SnapshotContents.fromPrimitives(DATABASE_ID, TIMESTAMP_MICROS, 512, List.of(events, retired, kv));
        final Snapshot snapshot = SnapshotReader.read(write(directory, contents).path(), DATABASE_ID);

        final FakePrimitive kvAfter = new FakePrimitive(1, null);
        final FakePrimitive eventsAfter = new FakePrimitive(3, null);
        final List<Integer> unknown = new ArrayList<>();
        for (final SnapshotSection section : snapshot.sections())
        {
            final FakePrimitive target = section.typeId() == 1 ? kvAfter : section.typeId() == 3 ? eventsAfter : null;
            if (target == null)
            {
                unknown.add(section.typeId());
            }
            else
            {
                target.snapshotDeserialize(section.data());
            }
        }

        assertArrayEquals(new byte[] {10, 11}, kvAfter.state);
        assertArrayEquals(new byte[] {30}, eventsAfter.state);
        assertEquals(List.of(9), unknown);
        assertTrue(snapshot.hasSection(9));
        assertNull(snapshot.section(2));
        assertNull(snapshot.section(-1));
        assertNull(snapshot.section(1000));
    }

    @Test
    void shouldRoundTripThroughToContentsWhenSnapshotIsWrittenAgain() throws IOException
    {
        final Snapshot first = SnapshotReader.read(write(directory, smallContents(77)).path(), DATABASE_ID);
        final Path other = Files.createDirectory(directory.resolve("copy"));

        final SnapshotFile copy = new SnapshotWriter().write(other, first.toContents());

        assertArrayEquals(FileBytes.read(first.file()), FileBytes.read(copy.path()));
    }

    private static final class FakePrimitive implements PrimitiveStorageExt
    {
        private final int typeId;
        private byte[] state;

        FakePrimitive(final int typeId, final byte[] state)
        {
            this.typeId = typeId;
            this.state = state;
        }

        @Override
        public int primitiveTypeId()
        {
            return typeId;
        }

        @Override
        public String name()
        {
            return "fake-" + typeId;
        }

        @Override
        public int[] walEntryTypes()
        {
            return new int[0];
        }

        @Override
        public byte[] snapshotSerialize()
        {
            return Arrays.copyOf(state, state.length);
        }

        @Override
        public void snapshotDeserialize(final byte[] data)
        {
            state = Arrays.copyOf(data, data.length);
        }

        @Override
        public void applyWalEntry(final WalEntry entry)
        {
            throw new UnsupportedOperationException();
        }
    }
}
