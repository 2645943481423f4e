/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A validated name: a KV key, a cell name, a document key or an event type. Immutable and safe to share.
 *
 * <p>Rules, checked once at construction:
 * <ul>
 *   <li>the text is encoded as strict UTF-8: a lone surrogate is rejected, never replaced by {@code ?}, so two
 *       different strings can never become the same key;</li>
 *   <li>the empty key is rejected;</li>
 *   <li>U+0000 (NUL) is rejected, so keys survive tools and formats that end strings at NUL;</li>
 *   <li>the encoded form is at most {@link #LENGTH_MAX} bytes (an engine may set a lower limit);</li>
 *   <li>no Unicode normalisation is applied: composed and decomposed forms are different keys.</li>
 * </ul>
 * Keys order by the unsigned lexicographic order of their UTF-8 bytes, which is the order {@code list} returns
 * (and, for UTF-8, also the order of code points).
 */
public final class Key implements Comparable<Key>
{
    /** The longest encoded key accepted, in bytes. */
    public static final int LENGTH_MAX = 1024;
    /** Big-endian longs over a byte array, to compare eight bytes at a time. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] utf8;
    private int hash;

    private Key(final byte[] utf8)
    {
        this.utf8 = utf8;
    }

    /**
     * Validates and encodes a key; any thread.
     *
     * @param text the key text.
     * @return the key.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_KEY} for null, empty, NUL or malformed text, or
     *                                  {@link ErrorCode#KEY_TOO_LARGE} when the encoded form is too long.
     */
    public static Key of(final String text)
    {
        if (text == null || text.isEmpty())
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_KEY, "key must not be null or empty");
        }
        if (text.length() > LENGTH_MAX)
        {
            throw tooLong(text.length());
        }
        if (text.indexOf('\u0000') >= 0)
        {
            throw new InvalidArgumentException(
                ErrorCode.INVALID_KEY, "key must not contain NUL: key=" + printable(text));
        }
        final byte[] utf8 = encodeStrict(text);
        if (utf8.length > LENGTH_MAX)
        {
            throw tooLong(utf8.length);
        }
        return new Key(utf8);
    }

    /**
     * Decodes a key from its stored UTF-8 bytes, applying the same rules as {@link #of(String)}; any thread.
     *
     * @param utf8 the encoded key; not retained.
     * @return the key.
     * @throws CorruptDataException with {@link ErrorCode#CORRUPT_DATA} when the bytes are not a valid key.
     */
    public static Key fromUtf8(final byte[] utf8)
    {
        final String text = decodeStrict(utf8);
        try
        {
            return ofDecoded(text, utf8.clone());
        }
        catch (final InvalidArgumentException ex)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored key is invalid: " + ex.getMessage(), ex);
        }
    }

    /**
     * The key text, decoded from the stored UTF-8 on each call (a key keeps only its bytes, to stay small in
     * memory); any thread.
     *
     * @return the text as given.
     */
    public String text()
    {
        return BinaryDecoder.decodeUtf8(utf8, 0, utf8.length);
    }

    /**
     * A copy of the strict UTF-8 encoding; any thread.
     *
     * @return a new array.
     */
    public byte[] toUtf8()
    {
        return utf8.clone();
    }

    /**
     * The number of bytes of the UTF-8 encoding.
     *
     * @return the encoded length.
     */
    public int encodedLength()
    {
        return utf8.length;
    }

    /**
     * Whether this key's encoded bytes start with the prefix's encoded bytes; any thread.
     *
     * @param prefix the prefix.
     * @return {@code true} if it is a byte prefix.
     */
    public boolean startsWith(final Key prefix)
    {
        return prefix.utf8.length <= utf8.length && Arrays.equals(utf8, 0, prefix.utf8.length, prefix.utf8, 0,
            prefix.utf8.length);
    }

    /**
     * Whether a key stored as UTF-8 bytes inside a larger array starts with this key, checked in place; any thread.
     *
     * @param data the array holding the stored key.
     * @param from the stored key's first byte.
     * @param to   the end of the stored key, exclusive.
     * @return whether this key is a prefix of the stored one.
     */
    public boolean isPrefixOfUtf8(final byte[] data, final int from, final int to)
    {
        return utf8.length <= to - from && Arrays.equals(utf8, 0, utf8.length, data, from, from + utf8.length);
    }

    /**
     * Whether a key stored as UTF-8 bytes inside a buffer starts with this key, checked in place with absolute reads
     * (the buffer's position is not used); any thread that may read the buffer.
     *
     * @param data the buffer holding the stored key.
     * @param from the stored key's first byte.
     * @param to   the end of the stored key, exclusive.
     * @return whether this key is a prefix of the stored one.
     */
    public boolean isPrefixOfUtf8(final ByteBuffer data, final int from, final int to)
    {
        return utf8.length <= to - from && compareUtf8(data, from, from + utf8.length) == 0;
    }

    byte[] utf8()
    {
        return utf8;
    }

    /**
     * Orders keys by the unsigned bytes of their UTF-8 encoding.
     *
     * @param other the key to compare with.
     * @return negative, zero or positive.
     */
    @Override
    public int compareTo(final Key other)
    {
        return Arrays.compareUnsigned(utf8, other.utf8);
    }

    /**
     * Compares this key with a key stored as UTF-8 bytes inside a larger array, in place, in the order of {@link
     * #compareTo}; any thread.
     *
     * @param data the array holding the stored key.
     * @param from the stored key's first byte.
     * @param to   the end of the stored key, exclusive.
     * @return negative, zero or positive as this key sorts before, with or after the stored one.
     */
    public int compareToUtf8(final byte[] data, final int from, final int to)
    {
        return Arrays.compareUnsigned(utf8, 0, utf8.length, data, from, to);
    }

    /**
     * Compares this key with a key stored as UTF-8 bytes inside a buffer, in place with absolute reads (the buffer's
     * position is not used), in the order of {@link #compareTo}; any thread that may read the buffer.
     *
     * @param data the buffer holding the stored key.
     * @param from the stored key's first byte.
     * @param to   the end of the stored key, exclusive.
     * @return negative, zero or positive as this key sorts before, with or after the stored one.
     */
    public int compareToUtf8(final ByteBuffer data, final int from, final int to)
    {
        return compareUtf8(data, from, to);
    }

    private int compareUtf8(final ByteBuffer data, final int from, final int to)
    {
        final int common = Math.min(utf8.length, to - from);
        final boolean isBigEndian = data.order() == ByteOrder.BIG_ENDIAN;
        int i = 0;
        // Eight bytes at a time: big-endian words compare as unsigned longs as their bytes do.
        for (; i <= common - Long.BYTES; i += Long.BYTES)
        {
            final long stored = data.getLong(from + i);
            final long x = (long)LONGS.get(utf8, i);
            final long y = isBigEndian ? stored : Long.reverseBytes(stored);
            if (x != y)
            {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < common; i++)
        {
            final int cmp = Byte.compareUnsigned(utf8[i], data.get(from + i));
            if (cmp != 0)
            {
                return cmp;
            }
        }
        return Integer.compare(utf8.length, to - from);
    }

    /**
     * Keys are equal when their text is equal.
     *
     * @param obj the other object.
     * @return whether equal.
     */
    @Override
    public boolean equals(final Object obj)
    {
        return obj instanceof Key && Arrays.equals(utf8, ((Key)obj).utf8);
    }

    /**
     * A hash of the encoded bytes, the same on every JVM.
     *
     * @return the hash.
     */
    @Override
    public int hashCode()
    {
        int h = hash;
        if (h == 0)
        {
            h = Arrays.hashCode(utf8);
            hash = h;
        }
        return h;
    }

    /**
     * The key text.
     *
     * @return the text.
     */
    @Override
    public String toString()
    {
        return text();
    }

    static byte[] encodeStrict(final String text)
    {
        final int length;
        try
        {
            length = BinaryEncoder.utf8Length(text);
        }
        catch (final InvalidArgumentException ex)
        {
            throw new InvalidArgumentException(
                ErrorCode.INVALID_KEY, "text is not well-formed UTF-16 (lone surrogate): text=" + printable(text), ex);
        }
        final byte[] bytes = new byte[length];
        BinaryEncoder.encodeUtf8(text, bytes, 0);
        return bytes;
    }

    /**
     * Builds a key from text already decoded from these strict UTF-8 bytes, checking the key rules without encoding
     * again; for the codec's decoder.
     *
     * @param text the decoded text, or {@code null} when the bytes are ASCII without NUL (nothing to decode then).
     * @param utf8 the bytes it was decoded from; owned by the key from now on.
     * @return the key.
     * @throws InvalidArgumentException as {@link #of(String)} does.
     */
    static Key ofDecoded(final String text, final byte[] utf8)
    {
        if (utf8.length == 0)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_KEY, "key must not be null or empty");
        }
        if (utf8.length > LENGTH_MAX)
        {
            throw tooLong(utf8.length);
        }
        for (final byte b : utf8)
        {
            if (b == 0)
            {
                throw new InvalidArgumentException(
                    ErrorCode.INVALID_KEY, "key must not contain NUL: key=" + printable(text));
            }
        }
        return new Key(utf8);
    }

    static String decodeStrict(final byte[] utf8)
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        try
        {
            return decoder.decode(ByteBuffer.wrap(utf8)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored text is not valid UTF-8", ex);
        }
    }

    static String printable(final String text)
    {
        final StringBuilder out = new StringBuilder(Math.min(text.length(), 64) + 8);
        for (int i = 0; i < text.length() && i < 64; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c))
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        if (text.length() > 64)
        {
            out.append("...");
        }
        return out.toString();
    }

    static InvalidArgumentException tooLong(final int length)
    {
        return new InvalidArgumentException(
            ErrorCode.KEY_TOO_LARGE, "key too long: encodedLength=" + length + ", lengthMax=" + LENGTH_MAX);
    }
}
