/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.SegmentDescriptor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Group C, truncation. Goal: a log cut at any byte, and whatever follows the cut, scans to exactly the frames wholly
 * before the cut (the prefix property) when the cut lies after the durable position, and fails as corruption,
 * never silently shorter, when the cut loses durable frames. Method: a 64 KiB segment written by the WAL writer with
 * seeded payloads; for every byte offset, five tails: none (a short file, which is corruption since segments are
 * preallocated), zeros, 0xFF, random bytes and a stale copy of an earlier frame; with the durable slot set back to the
 * segment base (all frames a possible torn tail) and with the exact durable slot (a cut before it must be reported).
 * The short tier runs every offset once with the tail rotating (offset % 5); the full tier every offset with every
 * tail, the case number being offset * 5 + tail (short tier: the offset). Replay one case: {@code mvn -pl tests -am verify -Dtest=TruncationCrashTest
 * -Dtests.seed=<case>}.
 */
@Timeout(value = 2, unit = TimeUnit.HOURS)
class TruncationCrashTest
{
    private static final int LOG_LENGTH = 64 << 10;
    private static final int TAILS = 5;

    @TempDir
    Path temp;

    @Test
    void shouldScanToThePrefixAtEveryTruncationOffsetAfterTheDurablePosition() throws IOException
    {
        run(false, "C truncation at every byte, slot at segment base");
    }

    @Test
    void shouldReportCorruptionAtEveryTruncationOffsetBeforeTheDurablePosition() throws IOException
    {
        run(true, "C truncation at every byte, exact durable slot");
    }

    private void run(final boolean exactSlot, final String group) throws IOException
    {
        final LogFixture log = LogFixture.write(Files.createTempDirectory(temp, "fixture"), LOG_LENGTH, 42,
            exactSlot);
        final ThreadLocal<Path> dirs = ThreadLocal.withInitial(() ->
        {
            try
            {
                return Files.createTempDirectory(temp, "c");
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
        // Short tier: every offset once, the tail rotating with the offset; full tier: every offset with every tail.
        final int tails = Figures.FULL ? TAILS : 1;
        Figures.indexed(group, LOG_LENGTH * tails, 2, index ->
        {
            final int offset = (int)(index / tails);
            final int tail = Figures.FULL ? (int)(index % TAILS) : offset % TAILS;
            return log.checkDamaged(dirs.get(), truncate(log, offset, tail, index), exactSlot);
        });
    }

    private static byte[] truncate(final LogFixture log, final int offset, final int tail, final long seed)
    {
        final byte[] original = log.bytes();
        if (tail == 0)
        {
            return Arrays.copyOf(original, offset);
        }
        final byte[] out = new byte[original.length];
        System.arraycopy(original, 0, out, 0, offset);
        switch (tail)
        {
            case 1 -> Arrays.fill(out, offset, out.length, (byte)0);
            case 2 -> Arrays.fill(out, offset, out.length, (byte)0xFF);
            case 3 ->
            {
                final byte[] noise = new byte[out.length - offset];
                new SplittableRandom(seed).nextBytes(noise);
                System.arraycopy(noise, 0, out, offset, noise.length);
            }
            default ->
            {
                // A stale frame: an earlier frame's bytes copied to the next aligned offset, zeros around it.
                final int at = (offset + FrameDescriptor.FRAME_ALIGNMENT - 1) & -FrameDescriptor.FRAME_ALIGNMENT;
                final int frame = (int)(seed % log.frameCount());
                final int start = log.frameStart(frame);
                final int length = Math.min(log.frameEnd(frame) - start, out.length - at);
                if (length > 0 && at >= SegmentDescriptor.HEADER_LENGTH)
                {
                    System.arraycopy(original, start, out, at, length);
                }
            }
        }
        return out;
    }

    /** The full tier, run by {@code mvn -pl tests -am verify -Pcrash -Dtally.tier=full}. */
    @Test
    @Tag("crash")
    void fullTier() throws Exception
    {
        Assumptions.assumeTrue(Figures.FULL, "the full tier runs with -Dtally.tier=full");
        shouldScanToThePrefixAtEveryTruncationOffsetAfterTheDurablePosition();
        shouldReportCorruptionAtEveryTruncationOffsetBeforeTheDurablePosition();
    }

}
