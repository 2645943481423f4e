/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mapping and unmapping on the running JDK: through the cleaner on Java 17 to 21, through an {@code Arena} from 22.
 * The default suite runs it on 17; {@code -Djvm=<java home>/bin/java} runs it on another JDK.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnmapperTest
{
    @Test
    void shouldUnmapTheMappingOnceAndLeaveDuplicatesAndSlicesWhenAskedToUnmapThem(@TempDir final Path dir)
        throws IOException
    {
        assertTrue(Unmapper.isAvailable(), "this JVM offers no way to unmap");
        final MappedByteBuffer mapping;
        try (FileChannel channel = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            mapping = Unmapper.map(channel, FileChannel.MapMode.READ_WRITE, 0, 1 << 16);
        }
        mapping.putLong(8, 42);
        mapping.force();
        assertEquals(42, mapping.getLong(8), "the mapping outlives its channel");
        mapping.position(100);
        assertFalse(Unmapper.unmap((MappedByteBuffer)mapping.duplicate()), "a duplicate owns no mapping");
        assertFalse(Unmapper.unmap(mapping.slice()), "a slice owns no mapping");
        assertTrue(Unmapper.unmap(mapping), "the mapping is released, whatever its position");
        assertFalse(Unmapper.unmap(null));
        if (Runtime.version().feature() >= 22)
        {
            assertFalse(Unmapper.unmap(mapping), "a mapping is released once");
            assertThrows(IllegalStateException.class, () -> mapping.getLong(8),
                "from Java 22 a released mapping refuses access instead of crashing the JVM");
        }
    }

    @Test
    void shouldReleaseMappingsNobodyUnmappedWhenTheCollectorFoundThem(@TempDir final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            for (int i = 0; i < 64; i++)
            {
                Unmapper.map(channel, FileChannel.MapMode.READ_WRITE, 0, 1 << 20).putInt(0, i); // dropped at once
                if (i % 16 == 0)
                {
                    System.gc();
                }
            }
            final MappedByteBuffer last = Unmapper.map(channel, FileChannel.MapMode.READ_WRITE, 0, 1 << 20);
            assertEquals(63, last.getInt(0), "every mapping shows the same file");
            assertTrue(Unmapper.unmap(last));
        }
    }
}
