/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes a record written by {@link RecordWriter}, in the order it was written; every read is bounds-checked and a
 * record that does not decode fails with {@link ErrorCode#CORRUPT_DATA}. Used by one thread.
 */
public final class RecordReader
{
    private final byte[] bytes;
    private final int version;
    private int offset;

    /**
     * Starts reading a stored record.
     *
     * @param stored  the KV value, which must be a bytes value.
     * @param versionMax the newest record format version this build reads.
     * @throws CorruptDataException with {@link ErrorCode#CORRUPT_DATA} or {@link ErrorCode#UNKNOWN_FORMAT_VERSION}.
     */
    public RecordReader(final Value stored, final int versionMax)
    {
        if (!(stored instanceof Value.Bytes b) || b.length() < 1)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "a store record is not a non-empty byte string");
        }
        this.bytes = b.value();
        this.version = bytes[0] & 0xFF;
        this.offset = 1;
        if (version < 1 || version > versionMax)
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_FORMAT_VERSION,
                "unknown store record version: version=" + version + ", versionMax=" + versionMax);
        }
    }

    /**
     * The record's format version.
     *
     * @return the version.
     */
    public int version()
    {
        return version;
    }

    /**
     * Reads one byte.
     *
     * @return the byte, 0 to 255.
     */
    public int readByte()
    {
        need(1);
        return bytes[offset++] & 0xFF;
    }

    /**
     * Reads a boolean.
     *
     * @return the boolean.
     */
    public boolean readBoolean()
    {
        return readByte() != 0;
    }

    /**
     * Reads four bytes.
     *
     * @return the int.
     */
    public int readInt()
    {
        need(4);
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            value = (value << 8) | (bytes[offset++] & 0xFF);
        }
        return value;
    }

    /**
     * Reads eight bytes.
     *
     * @return the long.
     */
    public long readLong()
    {
        need(8);
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (bytes[offset++] & 0xFF);
        }
        return value;
    }

    /**
     * Reads a text, or its absence.
     *
     * @return the text, or {@code null}.
     */
    public String readString()
    {
        final byte[] raw = readBytes();
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }

    /**
     * Reads a byte string, or its absence.
     *
     * @return a copy of the bytes, or {@code null}.
     */
    public byte[] readBytes()
    {
        if (readByte() == 0)
        {
            return null;
        }
        final int length = readInt();
        if (length < 0)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "negative length in a store record: length="
                + length);
        }
        need(length);
        final byte[] out = Arrays.copyOfRange(bytes, offset, offset + length);
        offset += length;
        return out;
    }

    private void need(final int count)
    {
        if (count > bytes.length - offset)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "a store record ends early: offset=" + offset
                + ", need=" + count + ", length=" + bytes.length);
        }
    }
}
