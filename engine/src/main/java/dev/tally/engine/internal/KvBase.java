/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.Value;
import dev.tally.snapshot.SectionBytes;

/**
 * One run's keys as a snapshot stored them, searched in place: the entries ({@code key | version | value}, sorted by
 * key, back to back) stay in the bytes of the snapshot's KV section, and only the offset of each entry is kept.
 * Immutable; read by any thread.
 *
 * <p>Design note: loading a snapshot used to build a key object, a value copy, a version holder and a skip-list node
 * per entry, which made opening from a snapshot little faster than replaying the log and left the collector a million
 * objects to copy. A base costs one {@code int} per entry; a lookup is a binary search over the stored key bytes. The
 * price is that the section's bytes stay reachable while any run still reads from them, also for keys overwritten
 * since: at most one KV section, until the next open.
 */
final class KvBase
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
    static final KvBase EMPTY = new KvBase(new byte[0], new int[] {0}, 0);

    private final byte[] data;
    private final int[] starts;
    private final int count;

    private KvBase(final byte[] data, final int[] starts, final int count)
    {
        this.data = data;
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
    static KvBase of(final byte[] data, final int[] starts, final int count)
    {
        return count == 0 ? EMPTY : new KvBase(data, starts, count);
    }

    /**
     * Reads {@code count} entries from the decoder's position, checking each key, version and value as a full decode
     * would and that the keys ascend strictly; the decoder ends after the last entry. The section is filled as the
     * entries are checked, so each is checked while its bytes are fresh in the cache. The opening thread.
     *
     * @param section the section the decoder reads (its array is retained), filled at least up to the decoder.
     * @param decoder positioned at the first entry.
     * @param count   the number of entries.
     * @return the base.
     * @throws CorruptDataException when an entry is malformed or the keys do not ascend.
     */
    static KvBase read(final SectionBytes section, final BinaryDecoder decoder, final int count)
    {
        if (count == 0)
        {
            return EMPTY;
        }
        final byte[] data = section.array();
        final int[] starts = new int[count + 1];
        final int limit = decoder.offset() + decoder.remaining();
        int at = decoder.offset();
        int previousFrom = 0;
        int previousTo = 0;
        for (int i = 0; i < count; i++)
        {
            starts[i] = at;
            section.fill((long)at + COMMON_ENTRY_HEAD_MAX);
            final int keyLengthByte = at < limit ? data[at] : 0;
            int keyFrom = at + 1;
            int keyTo = keyFrom + keyLengthByte;
            int end = keyLengthByte > 0 && keyTo <= limit && StoredKeys.isAsciiWithoutNul(data, keyFrom, keyTo) ?
                skipCommonValue(data, keyTo + Long.BYTES, limit) : -1;
            if (end < 0)
            {
                // Not the common shape (a short ASCII key, a bytes or integer value), or malformed: the full checks.
                section.fill((long)at + ENTRY_HEAD_MAX + VALUE_HEAD_MAX); // up to the value's tag and length
                decoder.skipChecked(at - decoder.offset());
                final int keyLength = decoder.skipKey();
                keyTo = decoder.offset();
                keyFrom = keyTo - keyLength;
                checkAscending(data, i, starts[i], previousFrom, previousTo, keyFrom, keyTo);
                decoder.readLong();
                final int tagAt = decoder.offset();
                section.fill((long)tagAt + VALUE_HEAD_MAX + valueLengthBound(data, tagAt));
                decoder.skipValue();
                end = decoder.offset();
            }
            else
            {
                checkAscending(data, i, starts[i], previousFrom, previousTo, keyFrom, keyTo);
            }
            previousFrom = keyFrom;
            previousTo = keyTo;
            at = end;
        }
        decoder.skipChecked(at - decoder.offset());
        starts[count] = at;
        return new KvBase(data, starts, count);
    }

    /**
     * Moves past an entry's version and value when the value is of the common kinds and checked without decoding:
     * bytes with a one- or two-byte length, an integer, or null.
     *
     * @return the end of the value, or {@code -1} when the value is of another kind, malformed or overruns the limit
     *         (the caller then decodes it in full, which reports what is wrong).
     */
    private static int skipCommonValue(final byte[] data, final int tagAt, final int limit)
    {
        if (tagAt >= limit)
        {
            return -1;
        }
        final int tag = data[tagAt];
        final int end;
        if (tag == Value.Bytes.TAG && tagAt + 1 < limit && data[tagAt + 1] >= 0)
        {
            end = tagAt + 2 + data[tagAt + 1];
        }
        else if (tag == Value.Bytes.TAG && tagAt + 2 < limit && data[tagAt + 1] < 0 && data[tagAt + 2] > 0)
        {
            end = tagAt + 3 + ((data[tagAt + 1] & 0x7F) | (data[tagAt + 2] << 7));
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

    private static void checkAscending(final byte[] data, final int index, final int start, final int previousFrom,
        final int previousTo, final int keyFrom, final int keyTo)
    {
        if (index > 0 && StoredKeys.compare(data, previousFrom, previousTo, data, keyFrom, keyTo) >= 0)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "snapshot section keys out of order: " +
                "entry=" + index + ", offset=" + start);
        }
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
    int count()
    {
        return count;
    }

    /**
     * Finds a key.
     *
     * @param key the key.
     * @return its index, or {@code -(insertion point) - 1} when absent.
     */
    int find(final Key key)
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
    int lowerBound(final Key key)
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
    int compareTo(final int index, final Key key)
    {
        final int keyFrom = keyFrom(index);
        return -key.compareToUtf8(data, keyFrom, keyFrom + keyLength(index));
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
    int compareTo(final int index, final byte[] other, final int from, final int to)
    {
        final int keyFrom = keyFrom(index);
        return StoredKeys.compare(data, keyFrom, keyFrom + keyLength(index), other, from, to);
    }

    /**
     * The bytes the entries take.
     *
     * @return bytes.
     */
    int byteLength()
    {
        return starts[count] - starts[0];
    }

    /**
     * Whether an entry's key starts with a prefix.
     *
     * @param index  the entry.
     * @param prefix the prefix.
     * @return whether it does.
     */
    boolean startsWith(final int index, final Key prefix)
    {
        final int keyFrom = keyFrom(index);
        return prefix.isPrefixOfUtf8(data, keyFrom, keyFrom + keyLength(index));
    }

    /**
     * An entry's key, as a new key object.
     *
     * @param index the entry.
     * @return the key.
     */
    Key key(final int index)
    {
        return new BinaryDecoder(data, starts[index], starts[index + 1] - starts[index]).readKey();
    }

    /**
     * An entry's value and version, reading the stored bytes in place.
     *
     * @param index the entry.
     * @return the entry.
     */
    KvPrimitive.Versioned entry(final int index)
    {
        final int keyEnd = keyFrom(index) + keyLength(index);
        long version = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            version = (version << 8) | (data[keyEnd + i] & 0xFF);
        }
        final int valueOffset = keyEnd + Long.BYTES;
        return new KvPrimitive.Versioned(data, valueOffset, starts[index + 1] - valueOffset, version);
    }

    /**
     * Writes an entry as a snapshot section stores it ({@code key | version | value}), copying its bytes.
     *
     * @param encoder the encoder.
     * @param index   the entry.
     */
    void writeEntry(final BinaryEncoder encoder, final int index)
    {
        encoder.writeRaw(data, starts[index], starts[index + 1] - starts[index]);
    }

    /** The key length: a varint of one or two bytes, keys being at most 1,024 bytes long (checked on read). */
    private int keyLength(final int index)
    {
        final int first = data[starts[index]];
        return first >= 0 ? first : (first & 0x7F) | ((data[starts[index] + 1] & 0x7F) << 7);
    }

    private int keyFrom(final int index)
    {
        return starts[index] + (data[starts[index]] >= 0 ? 1 : 2);
    }
}
