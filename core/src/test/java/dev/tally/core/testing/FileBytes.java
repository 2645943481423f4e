/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Byte-level reads and damage of test files (segments, snapshots, history files), with I/O errors unchecked so a test
 * reads as the steps it takes. Any test thread; none of these is safe against a writer that still has the file open.
 */
public final class FileBytes
{
    private FileBytes()
    {
    }

    /**
     * Every byte of a file.
     *
     * @param file the file.
     * @return its bytes.
     */
    public static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Replaces a file's contents.
     *
     * @param file  the file, created when missing.
     * @param bytes the new contents.
     */
    public static void write(final Path file, final byte[] bytes)
    {
        try
        {
            Files.write(file, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Overwrites bytes in place at an offset, keeping the file's length unless the bytes reach past its end.
     *
     * @param file   the file, which must exist.
     * @param offset the offset of the first byte to overwrite.
     * @param bytes  the bytes.
     */
    public static void writeAt(final Path file, final long offset, final byte[] bytes)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer source = ByteBuffer.wrap(bytes);
            long at = offset;
            while (source.hasRemaining())
            {
                at += channel.write(source, at);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Flips bit 5 of one byte (so a letter changes case and a zero becomes a space): damage a CRC must catch.
     *
     * @param file   the file.
     * @param offset the byte's offset.
     */
    public static void flipByte(final Path file, final long offset)
    {
        final byte[] all = read(file);
        all[Math.toIntExact(offset)] ^= 0x20;
        write(file, all);
    }

    /**
     * Zeroes the bytes in {@code [fromOffset, toOffset)}.
     *
     * @param file       the file.
     * @param fromOffset the first byte zeroed.
     * @param toOffset   the byte after the last one zeroed.
     */
    public static void zeroRange(final Path file, final long fromOffset, final long toOffset)
    {
        writeAt(file, fromOffset, new byte[Math.toIntExact(toOffset - fromOffset)]);
    }

    /**
     * Overwrites four bytes with an {@code int} in little-endian order, the byte order of the WAL's headers.
     *
     * @param file   the file.
     * @param offset the offset of the int.
     * @param value  the value.
     */
    public static void writeIntLittleEndian(final Path file, final long offset, final int value)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
        writeAt(file, offset, bytes.array());
    }

    /**
     * A SHA-256 digest of every regular file in a directory except lock files, by name: shows whether any byte
     * changed.
     *
     * @param directory the directory.
     * @return file name to SHA-256 hex, sorted by name.
     */
    public static TreeMap<String, String> digests(final Path directory)
    {
        final TreeMap<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.toList())
            {
                final String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.endsWith(".lock"))
                {
                    final byte[] digest = MessageDigest.getInstance("SHA-256").digest(read(file));
                    digests.put(name, HexFormat.of().formatHex(digest));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required on every JVM", ex);
        }
        return digests;
    }
}
