/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Builds the golden version 1 snapshot byte by byte from the format description, without the writer, and writes it
 * to the path given as the only argument. It was run once to make
 * {@code src/test/resources/format/v1/golden.snap}; the format test reads that checked-in file, never this class, so
 * the file must not be regenerated for a later format version (add a {@code v2} fixture instead).
 */
public final class GoldenSnapshotGenerator
{
    private GoldenSnapshotGenerator()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        Files.write(Path.of(args[0]), goldenBytes());
    }

    static byte[] goldenBytes()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("INMEM_SNAP".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());                         // formatVersion
        out.writeBytes(ByteBuffer.allocate(8).putLong(1_767_225_600_123_456L).array());   // timestampMicros
        out.writeBytes(ByteBuffer.allocate(8).putLong(1_048_640L).array());               // walPosition
        out.writeBytes(ByteBuffer.allocate(8).putLong(0x7a11e5d05a9b4c3eL).array());      // databaseId, most
        out.writeBytes(ByteBuffer.allocate(8).putLong(0x9f100123456789abL).array());      // databaseId, least
        out.writeBytes(ByteBuffer.allocate(4).putInt(4).array());                         // sectionCount
        section(out, 1, "kv-section".getBytes(StandardCharsets.US_ASCII));
        section(out, 2, new byte[0]);
        section(out, 5, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        section(out, 255, new byte[] {(byte)0xFF, 0, (byte)0x80});
        final CRC32 crc = new CRC32();
        crc.update(out.toByteArray());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int)crc.getValue()).array());
        return out.toByteArray();
    }

    private static void section(final ByteArrayOutputStream out, final int typeId, final byte[] data)
    {
        out.write(typeId);
        out.writeBytes(ByteBuffer.allocate(8).putLong(data.length).array());
        out.writeBytes(data);
    }
}
