/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.tally.snapshot.SnapshotTestSupport.DATABASE_ID;
import static dev.tally.snapshot.SnapshotTestSupport.contents;
import static dev.tally.snapshot.SnapshotTestSupport.randomBytes;
import static dev.tally.snapshot.SnapshotTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SnapshotReader#load} hands sections over as they are copied out of the file or read in place in its mapping,
 * with the CRC computed as the loader takes them (small files) or by a helper thread behind it (sections of 8 MiB or
 * more). Goal: with either access, whatever a loader reads, the bytes it sees are the file's, the bytes it skips are still checksummed, the CRC is compared before the load returns,
 * a loader's own refusal is reported as such only when the CRC matches, and no helper thread outlives the call.
 */
@Timeout(60)
class SnapshotLoadTest
{
    /** A section length below and one above the size at which a helper computes the CRC. */
    private static final int SMALL = 100_000;
    private static final int LARGE = (9 << 20) + 3;

    @TempDir
    Path directory;

    static Stream<Arguments> lengthsAndAccesses()
    {
        return Stream.of(SMALL, LARGE).flatMap(length -> Stream.of(SectionAccess.values())
            .map(access -> Arguments.of(length, access)));
    }

    @ParameterizedTest(name = "large section of {0} bytes, {1}")
    @MethodSource("lengthsAndAccesses")
    void shouldSeeTheFileBytesUpToWhatWasFilledWhenALoaderReadsPartOfEachSection(final int length,
        final SectionAccess access)
    {
        final SplittableRandom random = new SplittableRandom(length);
        final byte[] large = randomBytes(random, length);
        final byte[] small = randomBytes(random, 333);
        final SnapshotFile file = write(directory, contents(8_192L, new SnapshotSection(3, small),
            new SnapshotSection(9, large)));
        final List<String> calls = new ArrayList<>();

        final SnapshotHeader header = SnapshotReader.load(file.path(), DATABASE_ID, new SectionLoader()
        {
            @Override
            public void begin(final SnapshotHeader header, final int[] typeIds)
            {
                calls.add("begin " + header.walPosition() + " " + Arrays.toString(typeIds));
            }

            @Override
            public void load(final SectionBytes section)
            {
                final byte[] expected = section.typeId() == 3 ? small : large;
                assertEquals(expected.length, section.length());
                assertEquals(0, section.filled(), "nothing is copied before the loader asks");
                final int upTo = section.length() / 3;
                section.fill(upTo);
                assertTrue(section.filled() >= upTo);
                assertTrue(section.filled() <= Math.max(upTo, SectionBytes.FILL_CHUNK_LENGTH));
                final ByteBuffer inPlace = section.inPlace();
                assertEquals(access == SectionAccess.IN_PLACE, inPlace != null);
                final byte[] seen = new byte[section.filled()];
                if (inPlace == null)
                {
                    System.arraycopy(section.array(), 0, seen, 0, seen.length);
                }
                else
                {
                    assertTrue(inPlace.isReadOnly() && inPlace.isDirect(), "a read-only view of the mapping");
                    assertEquals(expected.length, inPlace.limit());
                    inPlace.get(0, seen);
                }
                assertArrayEquals(Arrays.copyOf(expected, section.filled()), seen);
                if (section.length() == LARGE && Runtime.getRuntime().availableProcessors() > 1)
                {
                    assertTrue(helperThreadAlive(), "a helper computes the CRC of large sections");
                }
                calls.add("load " + section.typeId());
            }
        }, access);

        assertEquals(8_192L, header.walPosition());
        assertEquals(List.of("begin 8192 [3, 9]", "load 3", "load 9"), calls);
        assertNoHelperThread();
    }

    @ParameterizedTest(name = "large section of {0} bytes, {1}")
    @MethodSource("lengthsAndAccesses")
    void shouldReportACrcMismatchWhenAByteNoLoaderReadIsFlipped(final int length, final SectionAccess access)
    {
        final SnapshotFile file = write(directory, contents(4_096L,
            new SnapshotSection(5, randomBytes(new SplittableRandom(1), length))));
        final byte[] image = FileBytes.read(file.path());
        final int last = image.length - SnapshotDescriptor.TRAILER_LENGTH - 1;
        for (final int offset : new int[] {last - length / 2, last})
        {
            final byte[] flipped = image.clone();
            flipped[offset] ^= 0x01;
            FileBytes.write(file.path(), flipped);
            final int[] seen = new int[1];
            final CorruptDataException ex = assertThrows(CorruptDataException.class,
                () -> SnapshotReader.load(file.path(), DATABASE_ID, new SectionLoader()
                {
                    @Override
                    public void begin(final SnapshotHeader header, final int[] typeIds)
                    {
                    }

                    @Override
                    public void load(final SectionBytes section)
                    {
                        seen[0]++; // reads nothing: the reader takes and checksums the whole section itself
                    }
                }, access), "offset=" + offset);
            assertEquals(ErrorCode.CORRUPT_SNAPSHOT, ex.code());
            assertTrue(ex.getMessage().contains("CRC mismatch"), ex.getMessage());
            assertEquals(1, seen[0], "the section was handed over before the CRC was known");
            assertNoHelperThread();
        }
    }

    @ParameterizedTest(name = "large section of {0} bytes, {1}")
    @MethodSource("lengthsAndAccesses")
    void shouldReportTheLoadersRefusalOnlyWhenTheCrcMatches(final int length, final SectionAccess access)
    {
        final SnapshotFile file = write(directory, contents(4_096L,
            new SnapshotSection(5, randomBytes(new SplittableRandom(2), length)),
            new SnapshotSection(6, randomBytes(new SplittableRandom(3), 10))));
        final RuntimeException refusal = length == SMALL
            ? new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "refused")
            : new IllegalStateException("a loader's own failure"); // any exception, not only a decoding one
        final SectionLoader refusing = new SectionLoader()
        {
            @Override
            public void begin(final SnapshotHeader header, final int[] typeIds)
            {
            }

            @Override
            public void load(final SectionBytes section)
            {
                section.fill(10);
                throw refusal;
            }
        };

        assertSame(refusal, assertThrows(RuntimeException.class,
            () -> SnapshotReader.load(file.path(), DATABASE_ID, refusing, access)));
        assertNoHelperThread();

        final byte[] image = FileBytes.read(file.path());
        image[image.length - SnapshotDescriptor.TRAILER_LENGTH - 1] ^= 0x40; // in the section never handed over
        FileBytes.write(file.path(), image);
        final CorruptDataException mismatch = assertThrows(CorruptDataException.class,
            () -> SnapshotReader.load(file.path(), DATABASE_ID, refusing, access));
        assertTrue(mismatch.getMessage().contains("CRC mismatch"), mismatch.getMessage());
        assertSame(refusal, mismatch.getSuppressed()[0]);
        assertNoHelperThread();
    }

    @Test
    void shouldRefuseBeforeAnySectionIsHandedOverWhenBeginRefuses()
    {
        final SnapshotFile file = write(directory, contents(4_096L, new SnapshotSection(5, new byte[] {1, 2, 3})));
        final List<Integer> loaded = new ArrayList<>();
        final CorruptDataException ex = assertThrows(CorruptDataException.class,
            () -> SnapshotReader.load(file.path(), DATABASE_ID, new SectionLoader()
            {
                @Override
                public void begin(final SnapshotHeader header, final int[] typeIds)
                {
                    throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "unknown section");
                }

                @Override
                public void load(final SectionBytes section)
                {
                    loaded.add(section.typeId());
                }
            }));
        assertTrue(ex.getMessage().contains("unknown section"), ex.getMessage());
        assertTrue(loaded.isEmpty());
    }

    @Test
    void shouldNeverCopyFromAWhollyFilledSection()
    {
        final byte[] data = {4, 5, 6};
        final SectionBytes section = SectionBytes.of(7, data);
        section.fill(1_000);
        section.fillAll();
        assertSame(data, section.array());
        assertEquals(3, section.filled());
        assertEquals(7, section.typeId());
    }

    @Test
    void shouldCopyASectionReadInPlaceWholeOnlyWhenALoaderAsksForItsArray()
    {
        final ByteBuffer source = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 4, 9}, 1, 4); // a section inside a file
        final SectionBytes section = SectionBytes.inPlace(7, source);
        source.position(3); // the caller's buffer moving changes nothing

        final ByteBuffer inPlace = section.inPlace();
        assertEquals(4, inPlace.limit());
        assertEquals(1, inPlace.get(0));
        assertTrue(inPlace.isReadOnly());
        section.fill(2);
        assertEquals(4, section.filled(), "taken in chunks of at least 64 KiB, capped at the length");
        final SectionBytes unread = SectionBytes.inPlace(8, ByteBuffer.wrap(new byte[] {5, 6}));
        assertArrayEquals(new byte[] {5, 6}, unread.array());
        assertEquals(2, unread.filled(), "asking for the array takes the whole section");
        assertSame(unread.array(), unread.array(), "copied once");
    }

    private static void assertNoHelperThread()
    {
        assertFalse(helperThreadAlive());
    }

    private static boolean helperThreadAlive()
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals("tally-snapshot-crc") && thread.isAlive())
            {
                return true;
            }
        }
        return false;
    }
}
