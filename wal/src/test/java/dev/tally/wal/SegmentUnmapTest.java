/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.Unmapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The writer releases the mappings of the segments it rolled past and, on close, of the active one: a process that
 * writes for days must not keep every segment it ever wrote mapped until a collection. Checked against the kernel's
 * own list of this process's mappings, so it runs where {@code /proc/self/maps} exists.
 */
@Timeout(30)
class SegmentUnmapTest
{
    private static final Path MAPS = Paths.get("/proc/self/maps");

    @TempDir
    Path directory;

    @Test
    void shouldKeepOnlyTheActiveSegmentMappedAfterRollsAndNoneAfterClose() throws IOException
    {
        assumeTrue(Files.isReadable(MAPS), "needs /proc/self/maps");
        assertTrue(Unmapper.isAvailable(), "this JVM offers no way to unmap");
        final SplittableRandom random = new SplittableRandom(7);
        final WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), 0);
        try
        {
            for (int i = 0; i < 40; i++)
            {
                WalTestSupport.append(writer, random, FrameDescriptor.payloadLengthMax(SMALL_SEGMENT_LENGTH) / 3);
            }
            final long[] bases = dev.tally.wal.internal.Segments.list(directory);
            assertTrue(bases.length >= 5, "expected several rolls, found segments: " + bases.length);
            final String active = SegmentDescriptor.fileName(bases[bases.length - 1]);
            assertEquals(List.of(active), mappedSegments(), "only the active segment may stay mapped");
        }
        finally
        {
            writer.close();
        }
        assertEquals(List.of(), mappedSegments(), "close must release the active segment's mapping");
    }

    /** The names of this test's segment files that the process maps now, per the kernel. */
    private List<String> mappedSegments() throws IOException
    {
        final String prefix = directory.toRealPath().toString() + "/";
        return Files.readAllLines(MAPS).stream()
            .map(line -> line.indexOf('/') < 0 ? "" : line.substring(line.indexOf('/')))
            .filter(path -> path.startsWith(prefix))
            .map(path -> path.substring(prefix.length()))
            .distinct()
            .sorted()
            .collect(Collectors.toList());
    }
}
