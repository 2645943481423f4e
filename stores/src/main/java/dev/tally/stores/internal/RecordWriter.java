/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.internal;

import dev.tally.core.Value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one store record as the bytes of a KV value: a format version byte, then the fields in a fixed order, each
 * big-endian; a text or byte string is a presence byte, a four-byte length and its bytes. One writer per record; used
 * by one thread. Read back with {@link RecordReader} in the same order.
 */
public final class RecordWriter
{
    private byte[] bytes = new byte[128];
    private int length;

    /**
     * Starts a record.
     *
     * @param version the record's format version, stored first.
     */
    public RecordWriter(final int version)
    {
        writeByte(version);
    }

    /**
     * Writes one byte.
     *
     * @param value the byte (its low eight bits).
     * @return this.
     */
    public RecordWriter writeByte(final int value)
    {
        ensure(1);
        bytes[length++] = (byte)value;
        return this;
    }

    /**
     * Writes a boolean as one byte.
     *
     * @param value the boolean.
     * @return this.
     */
    public RecordWriter writeBoolean(final boolean value)
    {
        return writeByte(value ? 1 : 0);
    }

    /**
     * Writes four bytes.
     *
     * @param value the int.
     * @return this.
     */
    public RecordWriter writeInt(final int value)
    {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            bytes[length++] = (byte)(value >>> shift);
        }
        return this;
    }

    /**
     * Writes eight bytes.
     *
     * @param value the long.
     * @return this.
     */
    public RecordWriter writeLong(final long value)
    {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            bytes[length++] = (byte)(value >>> shift);
        }
        return this;
    }

    /**
     * Writes a text, or its absence.
     *
     * @param value the text, or {@code null}.
     * @return this.
     */
    public RecordWriter writeString(final String value)
    {
        return writeBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a byte string, or its absence.
     *
     * @param value the bytes, or {@code null}; not kept.
     * @return this.
     */
    public RecordWriter writeBytes(final byte[] value)
    {
        if (value == null)
        {
            return writeByte(0);
        }
        writeByte(1).writeInt(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, length, value.length);
        length += value.length;
        return this;
    }

    /**
     * The record as a KV value.
     *
     * @return a bytes value holding a copy of what was written.
     */
    public Value toValue()
    {
        return Value.of(Arrays.copyOf(bytes, length));
    }

    private void ensure(final int more)
    {
        if (length + more > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
