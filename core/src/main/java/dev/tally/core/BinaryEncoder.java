/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes the deterministic binary encoding: fixed-width integers big-endian, lengths and counts as minimal unsigned
 * LEB128 varints, text as strict UTF-8 with a length prefix, values as a tag byte and a body. The same inputs give the
 * same bytes on every JVM, timezone and locale. Stored on disk; changing an encoding needs a new
 * {@link #CODEC_VERSION}.
 *
 * <p>Not thread-safe: one encoder per thread, reused with {@link #reset()}.
 */
public final class BinaryEncoder
{
    /** The version of this encoding; written at the start of every versioned record. */
    public static final int CODEC_VERSION = 1;

    private static final int INITIAL_CAPACITY = 64;

    private byte[] buffer;
    private int length;
    private boolean handedOut;

    /** Creates an encoder with a small initial buffer that grows as needed. */
    public BinaryEncoder()
    {
        this(INITIAL_CAPACITY);
    }

    /**
     * Creates an encoder.
     *
     * @param initialCapacity the first buffer size in bytes.
     */
    public BinaryEncoder(final int initialCapacity)
    {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /**
     * Forgets what was written, keeping the buffer.
     *
     * @return this encoder.
     */
    public BinaryEncoder reset()
    {
        length = 0;
        return this;
    }

    /**
     * The number of bytes written since the last reset.
     *
     * @return the length.
     */
    public int length()
    {
        return length;
    }

    /**
     * The internal buffer; valid bytes are {@code [0, length())}, and only until the next write.
     *
     * @return the buffer, not a copy.
     */
    public byte[] buffer()
    {
        return buffer;
    }

    /**
     * The bytes written, as an array no later write of this encoder changes: a copy, or the buffer itself when it is
     * exactly full (an encoder sized exactly, which saves the copy; the encoder then copies its buffer before any
     * later write). Two calls with no write between may return the same array.
     *
     * @return an array of {@link #length()} bytes.
     */
    public byte[] toByteArray()
    {
        if (length == buffer.length)
        {
            // Exact fit (the caller sized the encoder): hand the buffer out and copy it before any later write.
            handedOut = true;
            return buffer;
        }
        return Arrays.copyOf(buffer, length);
    }

    /**
     * Writes {@link #CODEC_VERSION} as the first byte of a versioned record.
     *
     * @return this encoder.
     */
    public BinaryEncoder writeVersion()
    {
        return writeByte(CODEC_VERSION);
    }

    /**
     * Writes one byte.
     *
     * @param value the low eight bits are written.
     * @return this encoder.
     */
    public BinaryEncoder writeByte(final int value)
    {
        ensure(1);
        buffer[length++] = (byte)value;
        return this;
    }

    /**
     * Writes a boolean as one byte, 0 or 1.
     *
     * @param value the boolean.
     * @return this encoder.
     */
    public BinaryEncoder writeBoolean(final boolean value)
    {
        return writeByte(value ? 1 : 0);
    }

    /**
     * Writes a 32-bit integer, big-endian.
     *
     * @param value the integer.
     * @return this encoder.
     */
    public BinaryEncoder writeInt(final int value)
    {
        ensure(4);
        buffer[length] = (byte)(value >>> 24);
        buffer[length + 1] = (byte)(value >>> 16);
        buffer[length + 2] = (byte)(value >>> 8);
        buffer[length + 3] = (byte)value;
        length += 4;
        return this;
    }

    /**
     * Writes a 64-bit integer, big-endian.
     *
     * @param value the integer.
     * @return this encoder.
     */
    public BinaryEncoder writeLong(final long value)
    {
        ensure(8);
        for (int i = 0; i < 8; i++)
        {
            buffer[length + i] = (byte)(value >>> (56 - 8 * i));
        }
        length += 8;
        return this;
    }

    /**
     * Writes an unsigned integer as a minimal LEB128 varint (1 to 10 bytes).
     *
     * @param value the value, read as unsigned.
     * @return this encoder.
     */
    public BinaryEncoder writeVarLong(final long value)
    {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            buffer[length++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[length++] = (byte)v;
        return this;
    }

    /**
     * Writes a length or count as a varint.
     *
     * @param value a non-negative value.
     * @return this encoder.
     */
    public BinaryEncoder writeLength(final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("length must not be negative: length=" + value);
        }
        return writeVarLong(value);
    }

    /**
     * Writes a byte string with its length first.
     *
     * @param bytes the bytes.
     * @return this encoder.
     */
    public BinaryEncoder writeBytes(final byte[] bytes)
    {
        writeLength(bytes.length);
        return writeRaw(bytes, 0, bytes.length);
    }

    /**
     * Writes bytes with no length prefix.
     *
     * @param bytes  the source.
     * @param offset the first byte to copy.
     * @param count  how many bytes to copy.
     * @return this encoder.
     */
    public BinaryEncoder writeRaw(final byte[] bytes, final int offset, final int count)
    {
        ensure(count);
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
        return this;
    }

    /**
     * Writes bytes of a buffer with no length prefix, read with absolute reads (the buffer's position is not used).
     *
     * @param bytes  the source.
     * @param offset the first byte to copy.
     * @param count  how many bytes to copy.
     * @return this encoder.
     */
    public BinaryEncoder writeRaw(final ByteBuffer bytes, final int offset, final int count)
    {
        ensure(count);
        bytes.get(offset, buffer, length, count);
        length += count;
        return this;
    }

    /**
     * Writes text as strict UTF-8 with its encoded length first.
     *
     * @param text well-formed UTF-16 text.
     * @return this encoder.
     * @throws InvalidArgumentException when the text holds a lone surrogate.
     */
    public BinaryEncoder writeString(final java.lang.String text)
    {
        final int encodedLength = utf8Length(text);
        writeLength(encodedLength);
        ensure(encodedLength);
        length = encodeUtf8(text, buffer, length);
        return this;
    }

    /**
     * Writes a key as its UTF-8 bytes with the length first.
     *
     * @param key the key.
     * @return this encoder.
     */
    public BinaryEncoder writeKey(final Key key)
    {
        return writeBytes(key.utf8());
    }

    /**
     * Writes a UUID as two big-endian longs (16 bytes).
     *
     * @param uuid the UUID.
     * @return this encoder.
     */
    public BinaryEncoder writeUuid(final UUID uuid)
    {
        writeLong(uuid.getMostSignificantBits());
        return writeLong(uuid.getLeastSignificantBits());
    }

    /**
     * Writes a value: its tag, then its body.
     *
     * @param value the value.
     * @return this encoder.
     */
    public BinaryEncoder writeValue(final Value value)
    {
        writeByte(value.tag());
        if (value instanceof Value.Bool)
        {
            writeBoolean(((Value.Bool)value).value());
        }
        else if (value instanceof Value.I64)
        {
            writeLong(((Value.I64)value).value());
        }
        else if (value instanceof Value.F64)
        {
            writeLong(Double.doubleToLongBits(((Value.F64)value).value()));
        }
        else if (value instanceof Value.String)
        {
            writeString(((Value.String)value).value());
        }
        else if (value instanceof Value.Bytes)
        {
            writeBytes(((Value.Bytes)value).array());
        }
        return this;
    }

    /**
     * The encoded length of a key as {@link #writeKey} writes it (length prefix and UTF-8 bytes); any thread.
     *
     * @param key the key.
     * @return the length in bytes.
     */
    public static int encodedLength(final Key key)
    {
        final int n = key.encodedLength();
        return varLongLength(n) + n;
    }

    /**
     * The number of bytes {@link #writeValue(Value)} writes for a value; any thread.
     *
     * @param value the value.
     * @return the encoded length, tag included.
     */
    public static int encodedLength(final Value value)
    {
        if (value instanceof Value.Bool)
        {
            return 2;
        }
        if (value instanceof Value.I64 || value instanceof Value.F64)
        {
            return 9;
        }
        if (value instanceof Value.String)
        {
            final int n = utf8Length(((Value.String)value).value());
            return 1 + varLongLength(n) + n;
        }
        if (value instanceof Value.Bytes)
        {
            final int n = ((Value.Bytes)value).length();
            return 1 + varLongLength(n) + n;
        }
        return 1;
    }

    /**
     * The number of bytes of a varint.
     *
     * @param value the value, read as unsigned.
     * @return 1 to 10.
     */
    public static int varLongLength(final long value)
    {
        final int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    static int utf8Length(final java.lang.String text)
    {
        final int chars = text.length();
        int bytes = 0;
        for (int i = 0; i < chars; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                bytes += 1;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                throw new InvalidArgumentException(
                    ErrorCode.INVALID_ARGUMENT, "text is not well-formed UTF-16 (lone surrogate): index=" + i);
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes;
    }

    static int encodeUtf8(final java.lang.String text, final byte[] out, final int start)
    {
        int p = start;
        final int chars = text.length();
        for (int i = 0; i < chars; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                out[p++] = (byte)c;
            }
            else if (c < 0x800)
            {
                out[p++] = (byte)(0xC0 | (c >> 6));
                out[p++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c))
            {
                final int cp = Character.toCodePoint(c, text.charAt(++i));
                out[p++] = (byte)(0xF0 | (cp >> 18));
                out[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                out[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                out[p++] = (byte)(0x80 | (cp & 0x3F));
            }
            else
            {
                out[p++] = (byte)(0xE0 | (c >> 12));
                out[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                out[p++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    private void ensure(final int extra)
    {
        final long needed = (long)length + extra;
        if (handedOut)
        {
            buffer = Arrays.copyOf(buffer, (int)Math.max(buffer.length, Math.min(needed, Integer.MAX_VALUE - 8L)));
            handedOut = false;
        }
        if (needed > buffer.length)
        {
            if (needed > Integer.MAX_VALUE - 8)
            {
                throw new InvalidArgumentException(
                    ErrorCode.RECORD_TOO_LARGE, "encoded record too large: length=" + needed);
            }
            buffer = Arrays.copyOf(buffer, (int)Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, buffer.length * 2L)));
        }
    }
}
