/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import java.util.Arrays;

/**
 * The KV writes of one run collected while bulk loading, in log order since the last compaction, copied back to back
 * into chunks in the layout of a snapshot entry: {@code key | version | value} for a put, {@code key | version} for a
 * delete, which is flagged. Only where each record lies is kept beside it. The recovering thread only.
 *
 * <p>Design note: replaying a large log used to keep a key object, a value holder and a list cell per write alive
 * until the end of recovery, and the collector spent more time copying them between generations than recovery spent
 * applying them. A record here is a copy of the entry's bytes; the frame the entry came from becomes garbage at once.
 * Chunks (doubling from 4 KiB to 1 MiB, so a run with few writes stays small) are never copied as they fill, unlike
 * a growing array; writes that ascend into an empty run become its {@link KvBase} in one copy.
 */
public final class KvBulkRun
{
    /** Bytes of bookkeeping per record beside its bytes: where it lies, its length and its delete flag. */
    private static final int RECORD_OVERHEAD = Long.BYTES + Integer.BYTES + 1;
    private static final int CHUNK_LENGTH_FIRST = 4 << 10;
    private static final int CHUNK_LENGTH_MAX = 1 << 20;

    private byte[][] chunks = new byte[4][];
    private int[] chunkUsed = new int[4];
    private int chunkCount;
    private long length;
    /** Per record: its chunk in the high 32 bits, its offset in the low. */
    private long[] refs = new long[16];
    private int[] lengths = new int[16];
    private boolean[] deletes = new boolean[16];
    private int count;
    /** Whether every record's key is strictly above the one before (so none repeats) and none is a delete. */
    private boolean ascendingPuts = true;

    /**
     * Collects a put.
     *
     * @param body    the KV_PUT body: key, then value; validated by the caller.
     * @param keyEnd  the offset in {@code body} where the encoded key ends and the value starts.
     * @param version the log position of the write.
     */
    public void put(final byte[] body, final int keyEnd, final long version)
    {
        append(body, keyEnd, body.length - keyEnd, version, false);
    }

    /**
     * Collects a delete.
     *
     * @param body    the KV_DELETE body: the key; validated by the caller.
     * @param version the log position of the write.
     */
    public void delete(final byte[] body, final long version)
    {
        append(body, body.length, 0, version, true);
    }

    private void append(final byte[] body, final int keyEnd, final int valueLength, final long version,
        final boolean delete)
    {
        final int recordLength = keyEnd + Long.BYTES + valueLength;
        final int chunkIndex = chunkFor(recordLength);
        final byte[] chunk = chunks[chunkIndex];
        final int start = chunkUsed[chunkIndex];
        System.arraycopy(body, 0, chunk, start, keyEnd);
        int at = start + keyEnd;
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            chunk[at++] = (byte)(version >>> shift);
        }
        System.arraycopy(body, keyEnd, chunk, at, valueLength);
        chunkUsed[chunkIndex] = start + recordLength;
        if (count == refs.length)
        {
            final int grown = count + (count >> 1) + 1;
            refs = Arrays.copyOf(refs, grown);
            lengths = Arrays.copyOf(lengths, grown);
            deletes = Arrays.copyOf(deletes, grown);
        }
        refs[count] = ((long)chunkIndex << 32) | start;
        lengths[count] = recordLength;
        deletes[count] = delete;
        if (delete || (count > 0 && compareKeys(count - 1, count) >= 0))
        {
            ascendingPuts = false;
        }
        count++;
        length += recordLength;
    }

    /** The chunk the next record of a length goes to, adding one when the last is full. */
    private int chunkFor(final int recordLength)
    {
        if (chunkCount > 0 && chunks[chunkCount - 1].length - chunkUsed[chunkCount - 1] >= recordLength)
        {
            return chunkCount - 1;
        }
        if (chunkCount == chunks.length)
        {
            chunks = Arrays.copyOf(chunks, chunkCount * 2);
            chunkUsed = Arrays.copyOf(chunkUsed, chunkCount * 2);
        }
        final int doubled = chunkCount == 0 ? CHUNK_LENGTH_FIRST
            : Math.min(CHUNK_LENGTH_MAX, chunks[chunkCount - 1].length * 2);
        chunks[chunkCount] = new byte[Math.max(doubled, recordLength)];
        chunkUsed[chunkCount] = 0;
        return chunkCount++;
    }

    /**
     * The number of records collected.
     *
     * @return the count.
     */
    public int count()
    {
        return count;
    }

    /**
     * The bytes the records take.
     *
     * @return bytes.
     */
    public long length()
    {
        return length;
    }

    /**
     * The memory the records hold, bookkeeping included.
     *
     * @return bytes.
     */
    public long bytes()
    {
        return length + (long)count * RECORD_OVERHEAD;
    }

    /**
     * Whether every record is a put of a key above the one before.
     *
     * @return whether they ascend.
     */
    public boolean isAscendingPuts()
    {
        return ascendingPuts;
    }

    /**
     * Hands the records over as a base, copied into one array, when they ascend and hold no delete, and starts empty
     * again.
     *
     * @return the base, or {@code null} when the records must be merged instead (then nothing changes).
     */
    public KvBase adoptIfAscendingPuts()
    {
        if (!ascendingPuts || count == 0 || length > Integer.MAX_VALUE - 64)
        {
            return null;
        }
        final byte[] data = new byte[(int)length];
        final int[] chunkStarts = new int[chunkCount];
        int at = 0;
        for (int i = 0; i < chunkCount; i++)
        {
            chunkStarts[i] = at;
            System.arraycopy(chunks[i], 0, data, at, chunkUsed[i]);
            at += chunkUsed[i];
        }
        final int[] starts = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            starts[i] = chunkStarts[(int)(refs[i] >>> 32)] + (int)refs[i];
        }
        starts[count] = at;
        final KvBase base = KvBase.of(data, starts, count);
        clear();
        return base;
    }

    /** Forgets every record, releasing the chunks. */
    public void clear()
    {
        chunks = new byte[4][];
        chunkUsed = new int[4];
        chunkCount = 0;
        refs = new long[16];
        lengths = new int[16];
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
    public int[] latestInKeyOrder()
    {
        final int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        if (ascendingPuts)
        {
            return order;
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
        return Arrays.compareUnsigned(chunkOf(a), keyFrom(a), keyTo(a), chunkOf(b), keyFrom(b), keyTo(b));
    }

    /**
     * Whether a record is a delete.
     *
     * @param index the record.
     * @return whether it is.
     */
    public boolean isDelete(final int index)
    {
        return deletes[index];
    }

    /**
     * The array a record is in.
     *
     * @param index the record.
     * @return the chunk, not a copy.
     */
    public byte[] chunkOf(final int index)
    {
        return chunks[(int)(refs[index] >>> 32)];
    }

    /**
     * The first byte of a record (its encoded key).
     *
     * @param index the record.
     * @return the offset in {@link #chunkOf(int)}.
     */
    public int recordFrom(final int index)
    {
        return (int)refs[index];
    }

    /**
     * The end of a record, exclusive.
     *
     * @param index the record.
     * @return the offset in {@link #chunkOf(int)}.
     */
    public int recordTo(final int index)
    {
        return (int)refs[index] + lengths[index];
    }

    /**
     * The first byte of a record's key text, after its length.
     *
     * @param index the record.
     * @return the offset in {@link #chunkOf(int)}.
     */
    public int keyFrom(final int index)
    {
        final int from = (int)refs[index];
        return from + (chunkOf(index)[from] >= 0 ? 1 : 2);
    }

    /**
     * The end of a record's key text, exclusive; the version follows.
     *
     * @param index the record.
     * @return the offset in {@link #chunkOf(int)}.
     */
    public int keyTo(final int index)
    {
        final byte[] chunk = chunkOf(index);
        final int from = (int)refs[index];
        final int first = chunk[from];
        return first >= 0 ? from + 1 + first : from + 2 + ((first & 0x7F) | ((chunk[from + 1] & 0x7F) << 7));
    }

    /**
     * The version of a record.
     *
     * @param index the record.
     * @return the log position of its write.
     */
    public long version(final int index)
    {
        final byte[] chunk = chunkOf(index);
        final int at = keyTo(index);
        long version = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            version = (version << 8) | (chunk[at + i] & 0xFF);
        }
        return version;
    }
}
