/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import java.util.Arrays;

/**
 * The KV writes of one run collected while bulk loading, in log order since the last compaction, copied back to back
 * into one growing array in the layout of a snapshot entry: {@code key | version | value} for a put, {@code key |
 * version} for a delete, which is flagged. Only the start of each record is kept beside it. The recovering thread
 * only.
 *
 * <p>Design note: replaying a large log used to keep a key object, a value holder and a list cell per write alive
 * until the end of recovery, and the collector spent more time copying them between generations than recovery spent
 * applying them. A record here is a copy of the entry's bytes; the frame the entry came from becomes garbage at once.
 * When the writes ascend and hold no delete, the array is already a {@link KvBase} and is adopted without a copy.
 */
final class KvBulkRun
{
    /** Bytes of bookkeeping per record beside its bytes: its start and its delete flag. */
    private static final int RECORD_OVERHEAD = Integer.BYTES + 1;

    private byte[] data = new byte[256];
    private int length;
    private int[] starts = new int[16];
    private boolean[] deletes = new boolean[16];
    private int count;
    /** Whether every record's key is strictly above the one before (so none repeats) and none is a delete. */
    private boolean ascendingPuts = true;

    /**
     * Collects a put.
     *
     * @param body     the KV_PUT body: key, then value; validated by the caller.
     * @param keyEnd   the offset in {@code body} where the encoded key ends and the value starts.
     * @param version  the log position of the write.
     */
    void put(final byte[] body, final int keyEnd, final long version)
    {
        append(body, keyEnd, body.length - keyEnd, version, false);
    }

    /**
     * Collects a delete.
     *
     * @param body    the KV_DELETE body: the key; validated by the caller.
     * @param version the log position of the write.
     */
    void delete(final byte[] body, final long version)
    {
        append(body, body.length, 0, version, true);
    }

    private void append(final byte[] body, final int keyEnd, final int valueLength, final long version,
        final boolean delete)
    {
        final int recordLength = keyEnd + Long.BYTES + valueLength;
        ensureCapacity(recordLength);
        final int start = length;
        System.arraycopy(body, 0, data, start, keyEnd);
        int at = start + keyEnd;
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            data[at++] = (byte)(version >>> shift);
        }
        System.arraycopy(body, keyEnd, data, at, valueLength);
        starts[count] = start;
        deletes[count] = delete;
        if (delete || (count > 0 && compareKeys(count - 1, count) >= 0))
        {
            ascendingPuts = false;
        }
        count++;
        length += recordLength;
    }

    private void ensureCapacity(final int recordLength)
    {
        if (count + 1 >= starts.length)
        {
            final int grown = starts.length + (starts.length >> 1) + 1;
            starts = Arrays.copyOf(starts, grown);
            deletes = Arrays.copyOf(deletes, grown);
        }
        final long needed = (long)length + recordLength;
        if (needed > data.length)
        {
            if (needed > Integer.MAX_VALUE - 16)
            {
                throw new IllegalStateException("bulk load buffer full: compact before " + needed + " bytes");
            }
            data = Arrays.copyOf(data, (int)Math.min(Integer.MAX_VALUE - 16, Math.max(needed, data.length * 3L / 2)));
        }
    }

    /**
     * The number of records collected.
     *
     * @return the count.
     */
    int count()
    {
        return count;
    }

    /**
     * The memory the records hold, bookkeeping included.
     *
     * @return bytes.
     */
    long bytes()
    {
        return length + (long)count * RECORD_OVERHEAD;
    }

    /**
     * The bytes the records take.
     *
     * @return bytes.
     */
    int length()
    {
        return length;
    }

    /**
     * The array the records are in; valid until the next write.
     *
     * @return the array, not a copy.
     */
    byte[] data()
    {
        return data;
    }

    /**
     * Hands the records over as a base when they ascend and hold no delete, and starts empty again.
     *
     * @return the base, or {@code null} when the records must be merged instead (then nothing changes).
     */
    KvBase adoptIfAscendingPuts()
    {
        if (!ascendingPuts || count == 0)
        {
            return null;
        }
        final int[] entryStarts = count + 1 == starts.length ? starts : Arrays.copyOf(starts, count + 1);
        entryStarts[count] = length;
        final byte[] entryData = length == data.length || length >= data.length - (data.length >> 3) ? data
            : Arrays.copyOf(data, length);
        final KvBase base = KvBase.of(entryData, entryStarts, count);
        clear();
        return base;
    }

    /** Forgets every record, releasing the arrays. */
    void clear()
    {
        data = new byte[256];
        starts = new int[16];
        deletes = new boolean[16];
        length = 0;
        count = 0;
        ascendingPuts = true;
    }

    /**
     * The last write of each key, in key order: a stable sort of the records by key, keeping the last of each run of
     * equal keys.
     *
     * @return record indexes.
     */
    int[] latestInKeyOrder()
    {
        final int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        if (!inKeyOrder(order))
        {
            final int[] scratch = order.clone();
            mergeSort(scratch, order, 0, count);
        }
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            if (i + 1 == count || compareKeys(order[i], order[i + 1]) != 0)
            {
                order[kept++] = order[i];
            }
        }
        return kept == count ? order : Arrays.copyOf(order, kept);
    }

    private boolean inKeyOrder(final int[] order)
    {
        for (int i = 1; i < order.length; i++)
        {
            if (compareKeys(order[i - 1], order[i]) > 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Sorts {@code to[from, until)} stably by key, {@code from} holding the same indexes on entry (top-down merge
     * sort, insertion sort for short ranges, and no merge when the halves are already in order).
     */
    private void mergeSort(final int[] from, final int[] to, final int low, final int high)
    {
        if (high - low <= 16)
        {
            for (int i = low + 1; i < high; i++)
            {
                final int moving = to[i];
                int j = i - 1;
                while (j >= low && compareKeys(to[j], moving) > 0)
                {
                    to[j + 1] = to[j];
                    j--;
                }
                to[j + 1] = moving;
            }
            return;
        }
        final int mid = (low + high) >>> 1;
        mergeSort(to, from, low, mid);
        mergeSort(to, from, mid, high);
        if (compareKeys(from[mid - 1], from[mid]) <= 0)
        {
            System.arraycopy(from, low, to, low, high - low);
            return;
        }
        int left = low;
        int right = mid;
        for (int i = low; i < high; i++)
        {
            if (right >= high || (left < mid && compareKeys(from[left], from[right]) <= 0))
            {
                to[i] = from[left++];
            }
            else
            {
                to[i] = from[right++];
            }
        }
    }

    /**
     * Compares the keys of two records.
     *
     * @param a a record index.
     * @param b a record index.
     * @return negative, zero or positive as {@code a}'s key sorts before, with or after {@code b}'s.
     */
    int compareKeys(final int a, final int b)
    {
        return Arrays.compareUnsigned(data, keyFrom(a), keyTo(a), data, keyFrom(b), keyTo(b));
    }

    /**
     * Whether a record is a delete.
     *
     * @param index the record.
     * @return whether it is.
     */
    boolean isDelete(final int index)
    {
        return deletes[index];
    }

    /**
     * The first byte of a record (its encoded key).
     *
     * @param index the record.
     * @return the offset in {@link #data()}.
     */
    int recordFrom(final int index)
    {
        return starts[index];
    }

    /**
     * The end of a record, exclusive.
     *
     * @param index the record.
     * @return the offset in {@link #data()}.
     */
    int recordTo(final int index)
    {
        return index + 1 == count ? length : starts[index + 1];
    }

    /**
     * The first byte of a record's key text, after its length.
     *
     * @param index the record.
     * @return the offset in {@link #data()}.
     */
    int keyFrom(final int index)
    {
        return starts[index] + (data[starts[index]] >= 0 ? 1 : 2);
    }

    /**
     * The end of a record's key text, exclusive; the version follows.
     *
     * @param index the record.
     * @return the offset in {@link #data()}.
     */
    int keyTo(final int index)
    {
        final int first = data[starts[index]];
        final int keyLength = first >= 0 ? first : (first & 0x7F) | ((data[starts[index] + 1] & 0x7F) << 7);
        return keyFrom(index) + keyLength;
    }

    /**
     * The version of a record.
     *
     * @param index the record.
     * @return the log position of its write.
     */
    long version(final int index)
    {
        final int at = keyTo(index);
        long version = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            version = (version << 8) | (data[at + i] & 0xFF);
        }
        return version;
    }
}
