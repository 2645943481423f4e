/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.Value;
import dev.tally.primitives.KvPrimitive;
import dev.tally.snapshot.SectionBytes;

import java.nio.ByteBuffer;

/**
 * One run's keys as a snapshot stored them, searched in place: the entries ({@code key | version | value}, sorted by
 * key, back to back) stay in the bytes of the snapshot's KV section, and only the offset of each entry is kept. The
 * bytes are a heap array (a copied section, or entries merged while recovering) or a read-only buffer over the
 * snapshot file's mapping (a section read in place). Immutable; read by any thread.
 *
 * <p>Design note: loading a snapshot used to build a key object, a value copy, a version holder and a skip-list node
 * per entry, which made opening from a snapshot little faster than replaying the log and left the collector a million
 * objects to copy. A base costs one {@code int} per entry; a lookup is a binary search over the stored key bytes. The
 * price is that the section's bytes stay reachable while any run still reads from them, also for keys overwritten
 * since: at most one KV section, until the next open. Read in place, those bytes are the file's pages, shared with
 * the page cache, and opening neither zeroes nor copies them; the mapping lives as long as a base over it.
 */
public final class KvBase
{
    /**
     * The most bytes the in-place check reads of an entry: a one-byte key length, a key of up to 127 bytes, the
     * version, a value tag and a length of up to two bytes.
     */
    private static final int COMMON_ENTRY_HEAD_MAX = 1 + 127 + Long.BYTES + 1 + 2;
    /** The most bytes a key (a two-byte length and at most 1,024 bytes) and the version take. */
    private static final int ENTRY_HEAD_MAX = 2 + Key.LENGTH_MAX + Long.BYTES;
    /** The most bytes a value's tag and length take. */
    private static final int VALUE_HEAD_MAX = 1 + 10;

    /** A base with no entries. */
    public static final KvBase EMPTY = new KvBase(new byte[0], null, new int[] {0}, 0);

    /** The entries' bytes on the heap, or {@code null} when {@link #buffer} holds them. */
    private final byte[] data;
    /** The entries' bytes in a mapped section, read with absolute reads only, or {@code null}. */
    private final ByteBuffer buffer;
    private final int[] starts;
    private final int count;

    private KvBase(final byte[] data, final ByteBuffer buffer, final int[] starts, final int count)
    {
        this.data = data;
        this.buffer = buffer;
        this.starts = starts;
        this.count = count;
    }

    /**
     * Wraps entries already checked and sorted, as {@link KvBulkRun} builds them; the recovering thread.
     *
     * @param data   the entries back to back, retained.
     * @param starts the start of each entry and, at {@code count}, the end of the last; retained.
     * @param count  the number of entries.
     * @return the base.
     */
    public static KvBase of(final byte[] data, final int[] starts, final int count)
    {
        return count == 0 ? EMPTY : new KvBase(data, null, starts, count);
    }

    /**
     * Reads {@code count} entries of a section from {@code from}, checking each key, version and value as a full
     * decode would and that the keys ascend strictly. The section is filled as the entries are checked, so each is
     * checked while its bytes are fresh in the cache and the checksum follows close behind. The base keeps the
     * section's array, or for a section read in place its buffer and so the file's mapping. The opening thread.
     *
     * @param section the section.
     * @param from    the first entry's offset in the section.
     * @param count   the number of entries.
     * @return the base; {@link #end()} is where the last entry ends.
     * @throws CorruptDataException when an entry is malformed or the keys do not ascend.
     */
    public static KvBase read(final SectionBytes section, final int from, final int count)
    {
        final ByteBuffer inPlace = section.inPlace();
        final byte[] data = inPlace == null ? section.array() : null;
        final ByteBuffer bytes = inPlace == null ? ByteBuffer.wrap(data) : inPlace;
        if (count == 0)
        {
            return new KvBase(EMPTY.data, null, new int[] {from}, 0); // keeps no section's bytes
        }
        final int limit = bytes.limit();
        final int[] starts = new int[count + 1];
        int at = from;
        int previousFrom = 0;
        int previousTo = 0;
        long previousWord0 = 0;
        long previousWord1 = 0;
        int filled = section.filled();
        for (int i = 0; i < count; i++)
        {
            starts[i] = at;
            if (at > filled - COMMON_ENTRY_HEAD_MAX) // the section is taken in chunks: rarely true
            {
                section.fill((long)at + COMMON_ENTRY_HEAD_MAX);
                filled = section.filled();
            }
            final int keyLengthByte = at < limit ? bytes.get(at) : 0;
            int keyFrom = at + 1;
            int keyTo = keyFrom + keyLengthByte;
            // The common shape: a plain ASCII key of 1 to 127 bytes, its version, then a bytes, integer or null value.
            int end = keyLengthByte > 0 && keyTo + Long.BYTES < limit ?
                skipCommonValue(bytes, keyTo + Long.BYTES, limit) : -1;
            long word0 = 0;
            long word1 = 0;
            if (end >= 0)
            {
                // Eight bytes from the key's start and from its ninth byte are in the section: the version follows.
                final long raw0 = bytes.getLong(keyFrom);
                final long raw1 = keyLengthByte > Long.BYTES ? bytes.getLong(keyFrom + Long.BYTES) : 0;
                final long mask0 = StoredKeys.keyMask(keyLengthByte);
                final long mask1 = StoredKeys.keyMask(keyLengthByte - Long.BYTES);
                word0 = raw0 & mask0;
                word1 = raw1 & mask1;
                final boolean isAscii = keyLengthByte <= 2 * Long.BYTES ?
                    StoredKeys.isAsciiWithoutNul(raw0, mask0) && StoredKeys.isAsciiWithoutNul(raw1, mask1) :
                    StoredKeys.isAsciiWithoutNul(bytes, keyFrom, keyTo);
                end = isAscii ? end : -1;
            }
            final boolean isCommon = end >= 0;
            if (!isCommon)
            {
                // Not the common shape, or malformed: the full checks, on a copy of the entry.
                final int[] keyRange = {previousFrom, previousTo};
                end = decodeEntryCopy(section, bytes, at, limit, i, keyRange);
                keyFrom = keyRange[0];
                keyTo = keyRange[1];
                filled = section.filled();
                // The key and the eight-byte version after it are in the section: its first two words can be read.
                word0 = keyWord(bytes, keyFrom, keyTo);
                word1 = keyWord(bytes, keyFrom + Long.BYTES, keyTo);
            }
            if (isCommon && i > 0)
            {
                // Ordered by the first 16 bytes as two words; only keys that share them are compared in full.
                int order = word0 != previousWord0 ? Long.compareUnsigned(word0, previousWord0) :
                    word1 != previousWord1 ? Long.compareUnsigned(word1, previousWord1) : 0;
                if (order == 0 && (keyTo - keyFrom > 2 * Long.BYTES || previousTo - previousFrom > 2 * Long.BYTES))
                {
                    order = -StoredKeys.compare(bytes, previousFrom, previousTo, bytes, keyFrom, keyTo);
                }
                if (order <= 0)
                {
                    throw outOfOrder(i, at);
                }
            }
            previousFrom = keyFrom;
            previousTo = keyTo;
            previousWord0 = word0;
            previousWord1 = word1;
            at = end;
        }
        starts[count] = at;
        return new KvBase(data, inPlace, starts, count);
    }

    /**
     * Checks one entry with the full decoder, on a copy of the entry's bytes cut where the section ends, so a
     * truncated entry fails as it would in the section; the key's order is checked before the value is decoded.
     *
     * @param keyRange holds the previous key's first byte and end, and receives this key's.
     * @return where the entry ends in the section.
     */
    private static int decodeEntryCopy(final SectionBytes section, final ByteBuffer bytes, final int at,
        final int limit, final int index, final int[] keyRange)
    {
        final long headEnd = Math.min(limit, (long)at + ENTRY_HEAD_MAX + VALUE_HEAD_MAX);
        section.fill(headEnd); // up to the value's tag and length
        final byte[] head = copy(bytes, at, (int)headEnd);
        final BinaryDecoder decoder = new BinaryDecoder(head);
        final int keyLength;
        try
        {
            keyLength = decoder.skipKey();
        }
        catch (final CorruptDataException ex)
        {
            throw inEntry(ex, index, at);
        }
        final int keyTo = at + decoder.offset();
        checkAscending(bytes, index, at, keyRange[0], keyRange[1], keyTo - keyLength, keyTo);
        keyRange[0] = keyTo - keyLength;
        keyRange[1] = keyTo;
        try
        {
            decoder.readLong();
            final int tagAt = decoder.offset();
            final long entryEnd = Math.min(limit, (long)at + tagAt + VALUE_HEAD_MAX + valueLengthBound(head, tagAt));
            section.fill(entryEnd);
            final byte[] entry = entryEnd <= headEnd ? head : copy(bytes, at, (int)entryEnd);
            final BinaryDecoder value = new BinaryDecoder(entry, tagAt, entry.length - tagAt);
            value.skipValue();
            return at + value.offset();
        }
        catch (final CorruptDataException ex)
        {
            throw inEntry(ex, index, at);
        }
    }

    /** A decoding failure on a copy of one entry, placed in the section (the copy's offsets start at the entry). */
    private static CorruptDataException inEntry(final CorruptDataException ex, final int index, final int at)
    {
        return new CorruptDataException(ex.code(), ex.getMessage() + " within snapshot section entry=" + index +
            " at offset=" + at, ex);
    }

    /**
     * Eight bytes of a key from {@code from} as a big-endian word, the bytes at or past the key's end zeroed: since a
     * key holds no NUL, two keys' words compare as unsigned longs as their bytes do, and equal words mean equal bytes
     * and, when both keys end within them, equal keys. The caller knows eight bytes from {@code from} are in the
     * section (a key is followed by its eight-byte version).
     */
    private static long keyWord(final ByteBuffer bytes, final int from, final int keyTo)
    {
        final int length = keyTo - from;
        return length <= 0 ? 0 : bytes.getLong(from) & StoredKeys.keyMask(length);
    }

    private static byte[] copy(final ByteBuffer bytes, final int from, final int to)
    {
        final byte[] copy = new byte[to - from];
        bytes.get(from, copy);
        return copy;
    }

    private static void checkAscending(final ByteBuffer bytes, final int index, final int start,
        final int previousFrom, final int previousTo, final int keyFrom, final int keyTo)
    {
        if (index > 0 && StoredKeys.compare(bytes, previousFrom, previousTo, bytes, keyFrom, keyTo) >= 0)
        {
            throw outOfOrder(index, start);
        }
    }

    private static CorruptDataException outOfOrder(final int index, final int start)
    {
        return new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "snapshot section keys out of order: " +
            "entry=" + index + ", offset=" + start);
    }

    /**
     * Moves past an entry's version and value when the value is of the common kinds and checked without decoding:
     * bytes with a one- or two-byte length, an integer, or null.
     *
     * @return the end of the value, or {@code -1} when the value is of another kind, malformed or overruns the limit
     *         (the caller then decodes it in full, which reports what is wrong).
     */
    private static int skipCommonValue(final ByteBuffer data, final int tagAt, final int limit)
    {
        if (tagAt >= limit)
        {
            return -1;
        }
        final int tag = data.get(tagAt);
        final int end;
        if (tag == Value.Bytes.TAG && tagAt + 1 < limit && data.get(tagAt + 1) >= 0)
        {
            end = tagAt + 2 + data.get(tagAt + 1);
        }
        else if (tag == Value.Bytes.TAG && tagAt + 2 < limit && data.get(tagAt + 1) < 0 && data.get(tagAt + 2) > 0)
        {
            end = tagAt + 3 + ((data.get(tagAt + 1) & 0x7F) | (data.get(tagAt + 2) << 7));
        }
        else if (tag == Value.I64.TAG)
        {
            end = tagAt + 1 + Long.BYTES;
        }
        else if (tag == Value.Null.TAG)
        {
            end = tagAt + 1;
        }
        else
        {
            return -1;
        }
        return end <= limit ? end : -1;
    }

    /**
     * An upper bound of the bytes a value takes after its tag and length: the length a text or bytes value states
     * (read from its varint, which may be malformed: the decoder reports that), eight for the others.
     */
    private static long valueLengthBound(final byte[] data, final int tagAt)
    {
        final int tag = tagAt < data.length ? data[tagAt] : -1;
        if (tag != Value.String.TAG && tag != Value.Bytes.TAG)
        {
            return Long.BYTES;
        }
        long length = 0;
        for (int i = 0; i < 10 && tagAt + 1 + i < data.length; i++)
        {
            final int b = data[tagAt + 1 + i];
            length |= (long)(b & 0x7F) << (7 * i);
            if (b >= 0)
            {
                break;
            }
        }
        return length < 0 ? Long.MAX_VALUE / 2 : length;
    }

    /**
     * The number of entries.
     *
     * @return the count.
     */
    public int count()
    {
        return count;
    }

    /**
     * Where the last entry ends in the bytes the base reads.
     *
     * @return the offset.
     */
    public int end()
    {
        return starts[count];
    }

    /**
     * Finds a key.
     *
     * @param key the key.
     * @return its index, or {@code -(insertion point) - 1} when absent.
     */
    public int find(final Key key)
    {
        int low = 0;
        int high = count - 1;
        // Bounded: the range halves on every pass.
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int cmp = compareTo(mid, key);
            if (cmp < 0)
            {
                low = mid + 1;
            }
            else if (cmp > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }

    /**
     * The index of the first entry whose key is not below {@code key}.
     *
     * @param key the key.
     * @return the index, {@link #count()} when every key is below.
     */
    public int lowerBound(final Key key)
    {
        final int found = find(key);
        return found >= 0 ? found : -(found + 1);
    }

    /**
     * Compares an entry's key with a key.
     *
     * @param index the entry.
     * @param key   the key.
     * @return negative, zero or positive as the entry's key sorts before, with or after {@code key}.
     */
    public int compareTo(final int index, final Key key)
    {
        final int keyFrom = keyFrom(index);
        final int keyTo = keyFrom + keyLength(index);
        return -(data != null ? key.compareToUtf8(data, keyFrom, keyTo) : key.compareToUtf8(buffer, keyFrom, keyTo));
    }

    /**
     * Compares an entry's key with stored key text.
     *
     * @param index the entry.
     * @param other the array holding the other key's text.
     * @param from  its first byte.
     * @param to    its end, exclusive.
     * @return negative, zero or positive as the entry's key sorts before, with or after the other.
     */
    public int compareTo(final int index, final byte[] other, final int from, final int to)
    {
        final int keyFrom = keyFrom(index);
        final int keyTo = keyFrom + keyLength(index);
        return data != null ? StoredKeys.compare(data, keyFrom, keyTo, other, from, to) :
            StoredKeys.compare(buffer, keyFrom, keyTo, ByteBuffer.wrap(other), from, to);
    }

    /**
     * The bytes the entries take.
     *
     * @return bytes.
     */
    public int byteLength()
    {
        return starts[count] - starts[0];
    }

    /**
     * Whether the entries are read in place from a snapshot file's mapping rather than from the heap.
     *
     * @return whether they are.
     */
    boolean isInPlace()
    {
        return buffer != null;
    }

    /**
     * Whether an entry's key starts with a prefix.
     *
     * @param index  the entry.
     * @param prefix the prefix.
     * @return whether it does.
     */
    public boolean startsWith(final int index, final Key prefix)
    {
        final int keyFrom = keyFrom(index);
        final int keyTo = keyFrom + keyLength(index);
        return data != null ? prefix.isPrefixOfUtf8(data, keyFrom, keyTo) : prefix.isPrefixOfUtf8(buffer, keyFrom,
            keyTo);
    }

    /**
     * An entry's key, as a new key object.
     *
     * @param index the entry.
     * @return the key.
     */
    public Key key(final int index)
    {
        final int start = starts[index];
        final int length = starts[index + 1] - start;
        return (data != null ? new BinaryDecoder(data, start, length) : new BinaryDecoder(copy(buffer, start,
            keyFrom(index) + keyLength(index)))).readKey();
    }

    /**
     * An entry's value and version, reading the stored bytes in place (a value read in place from a mapping is copied
     * out).
     *
     * @param index the entry.
     * @return the entry.
     */
    public KvPrimitive.Versioned entry(final int index)
    {
        final int keyEnd = keyFrom(index) + keyLength(index);
        final int valueOffset = keyEnd + Long.BYTES;
        final int valueLength = starts[index + 1] - valueOffset;
        if (data == null)
        {
            return new KvPrimitive.Versioned(copy(buffer, valueOffset, valueOffset + valueLength), 0, valueLength,
                buffer.getLong(keyEnd));
        }
        long version = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            version = (version << 8) | (data[keyEnd + i] & 0xFF);
        }
        return new KvPrimitive.Versioned(data, valueOffset, valueLength, version);
    }

    /**
     * Writes an entry as a snapshot section stores it ({@code key | version | value}), copying its bytes.
     *
     * @param encoder the encoder.
     * @param index   the entry.
     */
    public void writeEntry(final BinaryEncoder encoder, final int index)
    {
        final int start = starts[index];
        final int length = starts[index + 1] - start;
        if (data != null)
        {
            encoder.writeRaw(data, start, length);
        }
        else
        {
            encoder.writeRaw(buffer, start, length);
        }
    }

    /** The key length: a varint of one or two bytes, keys being at most 1,024 bytes long (checked on read). */
    private int keyLength(final int index)
    {
        final int start = starts[index];
        final int first = byteAt(start);
        return first >= 0 ? first : (first & 0x7F) | ((byteAt(start + 1) & 0x7F) << 7);
    }

    private int keyFrom(final int index)
    {
        return starts[index] + (byteAt(starts[index]) >= 0 ? 1 : 2);
    }

    private byte byteAt(final int offset)
    {
        return data != null ? data[offset] : buffer.get(offset);
    }
}
