/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal.internal;

import dev.tally.core.StorageFailures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Native space reservation. Goal: on 64-bit Linux a segment's blocks are allocated without a byte written, the file
 * reads as zeros, and a lack of space reaches the writer as the full disk it is. Method: reserve real files and read
 * their allocated size back from {@code stat}; the error mapping is checked on the error numbers themselves, since a
 * test cannot fill a shared disk.
 */
@Timeout(30)
class NativeSpaceTest
{
    private static final int LENGTH = 4 * 1024 * 1024;

    @TempDir
    Path directory;

    @Test
    void shouldLoadWhenOnSixtyFourBitLinux()
    {
        assumeTrue(isLinux64() && Runtime.version().feature() < 24);
        assertTrue(NativeSpace.isAvailable(), "posix_fallocate binding on " + System.getProperty("os.arch"));
        assertEquals("posix_fallocate", FileSegmentStorage.INSTANCE.spaceReservation());
        assertEquals("zeros", FileSegmentStorage.ZERO_FILLED.spaceReservation());
    }

    @Test
    void shouldAllocateEveryBlockAndReadAsZerosWhenReserving() throws Exception
    {
        assumeTrue(NativeSpace.isAvailable());
        final Path file = Files.createFile(directory.resolve("reserved"));
        Files.write(file, "header".getBytes(StandardCharsets.US_ASCII));

        assertTrue(NativeSpace.reserve(file, LENGTH));

        assertEquals(LENGTH, Files.size(file));
        assertTrue(allocatedBytes(file) >= LENGTH, "allocated: " + allocatedBytes(file));
        final byte[] bytes = Files.readAllBytes(file);
        assertEquals("header", new String(bytes, 0, 6, StandardCharsets.US_ASCII), "kept what was there");
        for (int i = 6; i < LENGTH; i++)
        {
            if (bytes[i] != 0)
            {
                throw new AssertionError("byte " + i + " is " + bytes[i]);
            }
        }
    }

    @Test
    void shouldCreateFullyAllocatedSegmentsWhenUsingTheDefaultStorage() throws Exception
    {
        assumeTrue(NativeSpace.isAvailable());
        final Path spare = directory.resolve("spare");
        assertTrue(FileSegmentStorage.INSTANCE.createSpare(spare, LENGTH));
        assertEquals(LENGTH, Files.size(spare));
        assertTrue(allocatedBytes(spare) >= LENGTH, "allocated: " + allocatedBytes(spare));

        final Path segment = directory.resolve("segment");
        final ByteBuffer header = ByteBuffer.allocate(64);
        header.put(0, (byte)'T');
        FileSegmentStorage.INSTANCE.create(segment, header, LENGTH);
        assertEquals(LENGTH, Files.size(segment));
        assertTrue(allocatedBytes(segment) >= LENGTH, "allocated: " + allocatedBytes(segment));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ))
        {
            final ByteBuffer first = ByteBuffer.allocate(1);
            channel.read(first, 0);
            assertEquals('T', first.get(0), "the header written before the reservation is kept");
        }
    }

    @Test
    void shouldReportLackOfSpaceAsAFullDiskWhenTheCallFailsWithEnospcOrEdquot()
    {
        final Path file = directory.resolve("x");
        assertTrue(StorageFailures.isNoSpace(NativeSpace.noSpace(28, file, LENGTH)));
        assertTrue(StorageFailures.isNoSpace(NativeSpace.noSpace(122, file, LENGTH)));
        assertNull(NativeSpace.noSpace(0, file, LENGTH));
        assertNull(NativeSpace.noSpace(95, file, LENGTH), "not supported: the caller writes zeros instead");
    }

    @Test
    void shouldFailWithTheFileNameWhenTheFileDoesNotExist()
    {
        assumeTrue(NativeSpace.isAvailable());
        final IOException thrown = assertThrows(IOException.class,
            () -> NativeSpace.reserve(directory.resolve("missing"), LENGTH));
        assertTrue(thrown.getMessage().contains("missing"), thrown.getMessage());
        assertFalse(Files.exists(directory.resolve("missing")));
    }

    private static boolean isLinux64()
    {
        final String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").startsWith("Linux") && ("amd64".equals(arch) || "aarch64".equals(arch));
    }

    private static long allocatedBytes(final Path file) throws Exception
    {
        final Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true)
            .start();
        final String[] out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim()
            .split(" ");
        assertEquals(0, stat.waitFor(), String.join(" ", out));
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
