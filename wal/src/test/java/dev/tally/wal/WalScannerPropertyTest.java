/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static dev.tally.wal.WalTestSupport.DATABASE_ID;
import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.options;
import static dev.tally.wal.WalTestSupport.segmentFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: the scanner accepts exactly the complete-frame prefix of a damaged log and never accepts a damaged frame.
 * Method: a seeded random log in one segment is (1) truncated, that is zeroed from an offset to the segment end, at
 * every byte offset of its last two frames and at every frame boundary plus and minus one, with the durable position
 * at the first frame, and (2) damaged by every single-bit flip over its first 4 KiB and more, with the durable position
 * at the end and in the middle. Replay a failure with {@code -Dtests.seed=<printed seed>}.
 */
@Timeout(60)
class WalScannerPropertyTest
{
    @TempDir
    Path directory;

    static LongStream seeds()
    {
        return WalTestSupport.seeds(2);
    }

    static LongStream bitFlipSeeds()
    {
        // The flips are exhaustive over the log, so one random log per run is enough.
        return WalTestSupport.seeds(1);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void shouldReturnCompleteFramePrefixAndCutExactlyWhenTruncatedAnywhere(final long seed)
    {
        runWithSeed(seed, () -> checkTruncations(seed));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("bitFlipSeeds")
    void shouldNeverAcceptFlippedFrameWhenAnySingleBitFlips(final long seed)
    {
        runWithSeed(seed, () -> checkBitFlips(seed));
    }

    private void checkTruncations(final long seed)
    {
        final List<WalTestSupport.Written> written =
            WalTestSupport.writeLog(directory, SMALL_SEGMENT_LENGTH, new SplittableRandom(seed), 24, 250);
        final Path file = segmentFile(directory, 0);
        WalTestSupport.setDurablePosition(file, 0, written.get(0).position());
        final byte[] original = FileBytes.read(file);
        final int frameCount = written.size();
        final TreeSet<Integer> cuts = new TreeSet<>();
        for (int k = (int)written.get(frameCount - 2).position(); k <= written.get(frameCount - 1).endPosition(); k++)
        {
            cuts.add(k);
        }
        for (final WalTestSupport.Written frame : written)
        {
            for (final long boundary : new long[] {frame.position(), frame.endPosition()})
            {
                cuts.add((int)boundary - 1);
                cuts.add((int)boundary);
                cuts.add((int)boundary + 1);
            }
        }
        for (final int cut : cuts)
        {
            final byte[] image = original.clone();
            java.util.Arrays.fill(image, cut, image.length, (byte)0);
            FileBytes.write(file, image);
            int intact = 0;
            while (intact < frameCount && written.get(intact).position() + written.get(intact).frameLength() <= cut)
            {
                intact++;
            }
            final long expectedEnd = intact < frameCount ? written.get(intact).position() :
                written.get(frameCount - 1).endPosition();
            final long expectedCut = WalTestSupport.nonZeroEnd(image, (int)expectedEnd) - expectedEnd;
            final List<WalTestSupport.Read> read = new ArrayList<>();
            final ScanResult result = WalTestSupport.scan(directory, ScanMode.REPAIR, read);
            final String context = "cut=" + cut;
            assertEquals(intact, read.size(), context);
            for (int i = 0; i < intact; i++)
            {
                assertTrue(read.get(i).matches(written.get(i)), context + ", frame " + i);
            }
            assertEquals(expectedEnd, result.endPosition(), context);
            assertEquals(expectedCut, result.bytesCut(), context);
            assertEquals(expectedCut > 0 ? ScanResult.Classification.TORN_TAIL : ScanResult.Classification.CLEAN_END,
                result.classification(), context);
            final List<WalTestSupport.Read> again = new ArrayList<>();
            final ScanResult second = WalTestSupport.scan(directory, ScanMode.REPAIR, again);
            assertEquals(ScanResult.Classification.CLEAN_END, second.classification(), context);
            assertEquals(0, second.bytesCut(), context);
            assertEquals(expectedEnd, second.endPosition(), context);
            assertEquals(intact, again.size(), context);
        }
    }

    private void checkBitFlips(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<WalTestSupport.Written> written = new ArrayList<>();
        try (WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0))
        {
            while (writer.nextPosition() < 4096 + SegmentDescriptor.HEADER_LENGTH)
            {
                written.add(WalTestSupport.append(writer, random, random.nextInt(300)));
            }
        }
        final Path file = segmentFile(directory, 0);
        final long end = written.get(written.size() - 1).endPosition();
        flipEveryBit(file, written, (int)end + 64);
        final int middle = written.size() / 2;
        WalTestSupport.setDurablePosition(file, 0, written.get(middle).position());
        flipEveryBit(file, written, (int)end + 64);
    }

    private void flipEveryBit(final Path file, final List<WalTestSupport.Written> written, final int flipEnd)
    {
        final byte[] original = FileBytes.read(file);
        final long durable = SegmentDescriptor.durablePosition(
            ByteBuffer.wrap(original).order(java.nio.ByteOrder.LITTLE_ENDIAN));
        final List<WalTestSupport.Read> read = new ArrayList<>();
        int corruptCount = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
            WalScanner scanner = new WalScanner(directory, DATABASE_ID, WalScanner.builtInTypes()))
        {
            for (int bit = 0; bit < flipEnd * 8; bit++)
            {
                final int at = bit >>> 3;
                channel.write(ByteBuffer.wrap(new byte[] {(byte)(original[at] ^ (1 << (bit & 7)))}), at);
                read.clear();
                try
                {
                    final ScanResult result = scanner.scan(0, ScanMode.READ_ONLY, frame -> read.add(
                        new WalTestSupport.Read(frame.position(), frame.typeCode(), frame.txId(), frame.runId(),
                        frame.payloadBytes())));
                    checkNoFlippedFrameAccepted(written, read, result, at, durable);
                }
                catch (final CorruptLogException expected)
                {
                    corruptCount++;
                }
                channel.write(ByteBuffer.wrap(new byte[] {original[at]}), at);
            }
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        assertTrue(corruptCount > 0, "some flips must be reported as corruption");
    }

    private static void checkNoFlippedFrameAccepted(
        final List<WalTestSupport.Written> written,
        final List<WalTestSupport.Read> read,
        final ScanResult result,
        final int flippedOffset,
        final long durable)
    {
        final String context = "flippedOffset=" + flippedOffset;
        assertTrue(read.size() <= written.size(), context);
        for (int i = 0; i < read.size(); i++)
        {
            assertTrue(read.get(i).matches(written.get(i)), context + ", frame " + i);
        }
        for (int i = 0; i < written.size(); i++)
        {
            final WalTestSupport.Written frame = written.get(i);
            if (flippedOffset >= frame.position() && flippedOffset < frame.endPosition())
            {
                assertTrue(read.size() <= i, context + ": flipped frame " + i + " was accepted");
                assertTrue(frame.position() >= durable, context + ": damage before durable must throw");
                assertTrue(result.endPosition() <= frame.position(), context);
            }
        }
    }

    private static void runWithSeed(final long seed, final Runnable body)
    {
        try
        {
            body.run();
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError("failed with seed=" + seed + "; replay with -Dtests.seed=" + seed, ex);
        }
    }
}
