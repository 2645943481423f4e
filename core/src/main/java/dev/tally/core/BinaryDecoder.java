/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads what {@link BinaryEncoder} writes, trusting nothing: every read checks the bytes that remain, lengths are
 * checked against the remaining bytes before anything is allocated, varints must be minimal, booleans 0 or 1, NaN
 * canonical and text strict UTF-8, so each value has exactly one accepted encoding. Any violation raises a
 * {@link CorruptDataException} with {@link ErrorCode#CORRUPT_DATA}; no other exception escapes for bad input.
 *
 * <p>Not thread-safe: one decoder per thread and per input.
 */
public final class BinaryDecoder
{
    private static final long CANONICAL_NAN_BITS = Double.doubleToLongBits(Double.NaN);

    private final byte[] buffer;
    private final int limit;
    private int offset;

    /**
     * Decodes a whole array.
     *
     * @param buffer the bytes; not copied, must not change while decoding.
     */
    public BinaryDecoder(final byte[] buffer)
    {
        this(buffer, 0, buffer.length);
    }

    /**
     * Decodes a slice of an array.
     *
     * @param buffer the bytes; not copied.
     * @param offset the first byte.
     * @param length the number of bytes.
     */
    public BinaryDecoder(final byte[] buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > buffer.length - length)
        {
            throw new IllegalArgumentException(
                "slice out of bounds: offset=" + offset + ", length=" + length + ", capacity=" + buffer.length);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + length;
    }

    /**
     * The bytes not yet read.
     *
     * @return the remaining length.
     */
    public int remaining()
    {
        return limit - offset;
    }

    /**
     * The offset of the next byte in the underlying array.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Moves past bytes a caller has already checked in place, without reading them; the decoder's thread.
     *
     * @param length the number of bytes, at most {@link #remaining()}.
     * @throws CorruptDataException when fewer bytes remain.
     */
    public void skipChecked(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
        require(length);
        offset += length;
    }

    /**
     * Reads and checks the version byte of a versioned record.
     *
     * @return the version, currently always {@link BinaryEncoder#CODEC_VERSION}.
     * @throws CorruptDataException with {@link ErrorCode#UNKNOWN_FORMAT_VERSION} for another version.
     */
    public int readVersion()
    {
        final int version = readByte();
        if (version != BinaryEncoder.CODEC_VERSION)
        {
            throw new CorruptDataException(
                ErrorCode.UNKNOWN_FORMAT_VERSION, "unknown codec version: version=" + version);
        }
        return version;
    }

    /**
     * Reads one unsigned byte.
     *
     * @return 0 to 255.
     */
    public int readByte()
    {
        require(1);
        return buffer[offset++] & 0xFF;
    }

    /**
     * Reads a boolean, which must be stored as 0 or 1.
     *
     * @return the boolean.
     */
    public boolean readBoolean()
    {
        final int b = readByte();
        if (b > 1)
        {
            throw corrupt("boolean byte must be 0 or 1: value=" + b);
        }
        return b == 1;
    }

    /**
     * Reads a big-endian 32-bit integer.
     *
     * @return the integer.
     */
    public int readInt()
    {
        require(4);
        final int v = ((buffer[offset] & 0xFF) << 24) | ((buffer[offset + 1] & 0xFF) << 16) |
            ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF);
        offset += 4;
        return v;
    }

    /**
     * Reads a big-endian 64-bit integer.
     *
     * @return the integer.
     */
    public long readLong()
    {
        require(8);
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (buffer[offset + i] & 0xFF);
        }
        offset += 8;
        return v;
    }

    /**
     * Reads a minimal unsigned LEB128 varint of at most 10 bytes.
     *
     * @return the value, as an unsigned long.
     */
    public long readVarLong()
    {
        long result = 0;
        for (int i = 0; i < 10; i++)
        {
            final int b = readByte();
            if (i == 9 && b > 1)
            {
                throw corrupt("varint overflows 64 bits");
            }
            result |= (long)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw corrupt("varint is not minimal");
                }
                return result;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    /**
     * Reads a length or count, which must fit the bytes that remain when each item takes at least
     * {@code bytesPerItemMin} bytes, so a hostile length cannot make the caller allocate.
     *
     * @param bytesPerItemMin the least number of bytes each counted item occupies (1 for a byte string).
     * @return the length.
     */
    public int readLength(final int bytesPerItemMin)
    {
        final long value = readVarLong();
        if (value < 0 || value > Integer.MAX_VALUE || value * Math.max(1, bytesPerItemMin) > remaining())
        {
            throw corrupt("length exceeds remaining bytes: length=" + Long.toUnsignedString(value) +
                ", remaining=" + remaining());
        }
        return (int)value;
    }

    /**
     * Reads a length-prefixed byte string.
     *
     * @return a new array.
     */
    public byte[] readBytes()
    {
        final int n = readLength(1);
        final byte[] out = new byte[n];
        System.arraycopy(buffer, offset, out, 0, n);
        offset += n;
        return out;
    }

    /**
     * Reads length-prefixed strict UTF-8 text.
     *
     * @return the text.
     */
    public java.lang.String readString()
    {
        final int n = readLength(1);
        final java.lang.String text = decodeUtf8(buffer, offset, n);
        offset += n;
        return text;
    }

    /**
     * Reads a key, which must satisfy every rule of {@link Key#of(String)}.
     *
     * @return the key.
     */
    public Key readKey()
    {
        final int n = readLength(1);
        if (n > Key.LENGTH_MAX)
        {
            // Refused before anything is copied or decoded: the length alone is wrong.
            final InvalidArgumentException cause = Key.tooLong(n);
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored key is invalid: " + cause.getMessage(),
                cause);
        }
        final byte[] utf8 = new byte[n];
        System.arraycopy(buffer, offset, utf8, 0, n);
        // Plain ASCII without NUL is valid UTF-8 and a valid key text: no need to decode it (keys decode on demand).
        final java.lang.String text = isAsciiWithoutNul(utf8) ? null : decodeUtf8(buffer, offset, n);
        offset += n;
        try
        {
            return Key.ofDecoded(text, utf8);
        }
        catch (final InvalidArgumentException ex)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored key is invalid: " + ex.getMessage(), ex);
        }
    }

    /**
     * Checks a key as {@link #readKey()} would and moves past it without materialising it (no copy of a plain ASCII
     * key); for callers that search stored keys in place. The key's bytes are the {@code length} bytes before {@link
     * #offset()} on return.
     *
     * @return the key's length in bytes.
     * @throws CorruptDataException when the key is malformed.
     */
    public int skipKey()
    {
        final int start = offset;
        final int n = readLength(1);
        if (n > 0 && n <= Key.LENGTH_MAX && isAsciiWithoutNul(buffer, offset, n))
        {
            offset += n;
            return n;
        }
        offset = start;
        readKey(); // not plain ASCII, or invalid: the full check, which throws on a bad key
        return n;
    }

    /**
     * Reads a UUID stored as two big-endian longs.
     *
     * @return the UUID.
     */
    public UUID readUuid()
    {
        final long msb = readLong();
        return new UUID(msb, readLong());
    }

    /**
     * Reads a tagged value.
     *
     * @return the value.
     */
    public Value readValue()
    {
        final int tag = readByte();
        switch (tag)
        {
            case Value.Null.TAG:
                return Value.NULL;
            case Value.Bool.TAG:
                return Value.of(readBoolean());
            case Value.I64.TAG:
                return Value.of(readLong());
            case Value.F64.TAG:
                return Value.of(readCanonicalDouble());
            case Value.String.TAG:
                return Value.of(readString());
            case Value.Bytes.TAG:
                return Value.Bytes.wrap(readBytes());
            default:
                throw corrupt("unknown value tag: tag=" + tag);
        }
    }

    /**
     * Checks a tagged value as {@link #readValue()} would and moves past it, without materialising it (a byte string
     * is not copied); for callers that keep values in their encoded form.
     *
     * @throws CorruptDataException when the value is malformed.
     */
    public void skipValue()
    {
        final int tag = readByte();
        switch (tag)
        {
            case Value.Null.TAG:
                return;
            case Value.Bool.TAG:
                readBoolean();
                return;
            case Value.I64.TAG:
                readLong();
                return;
            case Value.F64.TAG:
                readCanonicalDouble();
                return;
            case Value.String.TAG:
                final int n = readLength(1);
                decodeUtf8(buffer, offset, n); // strict: the same checks as readString
                offset += n;
                return;
            case Value.Bytes.TAG:
                final int length = readLength(1); // read first: it moves the offset past the length prefix
                offset += length;
                return;
            default:
                throw corrupt("unknown value tag: tag=" + tag);
        }
    }

    private double readCanonicalDouble()
    {
        final long bits = readLong();
        final double d = Double.longBitsToDouble(bits);
        if (Double.isNaN(d) && bits != CANONICAL_NAN_BITS)
        {
            throw corrupt("non-canonical NaN: bits=0x" + Long.toHexString(bits));
        }
        return d;
    }

    /**
     * Checks that every byte was read.
     *
     * @throws CorruptDataException when bytes remain.
     */
    public void expectEnd()
    {
        if (offset != limit)
        {
            throw corrupt("trailing bytes after record: remaining=" + remaining());
        }
    }

    private void require(final int count)
    {
        if (limit - offset < count)
        {
            throw corrupt("truncated: need=" + count + ", remaining=" + (limit - offset));
        }
    }

    private CorruptDataException corrupt(final java.lang.String reason)
    {
        return new CorruptDataException(ErrorCode.CORRUPT_DATA, reason + ", offset=" + offset);
    }

    private static boolean isAsciiWithoutNul(final byte[] bytes, final int from, final int length)
    {
        for (int i = from; i < from + length; i++)
        {
            if (bytes[i] <= 0)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiWithoutNul(final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            if (b <= 0)
            {
                return false;
            }
        }
        return true;
    }

    static java.lang.String decodeUtf8(final byte[] bytes, final int offset, final int length)
    {
        boolean ascii = true;
        for (int i = offset; i < offset + length; i++)
        {
            if (bytes[i] < 0)
            {
                ascii = false;
                break;
            }
        }
        if (ascii)
        {
            return new java.lang.String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, length))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored text is not valid UTF-8", ex);
        }
    }
}
