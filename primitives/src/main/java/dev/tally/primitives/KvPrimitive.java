/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.internal.KvBase;
import dev.tally.primitives.internal.KvBulkRun;
import dev.tally.primitives.internal.Sections;
import dev.tally.snapshot.SectionBytes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The key-value primitive: per run, a sorted map from key to value and the version (log position) of its last write.
 * Mutated by the commit-lock holder; read lock-free by any thread.
 *
 * <p>Design note: a run's keys are two layers. The base is what the snapshot this state was opened from held for the
 * run, searched in place in the snapshot's bytes ({@link KvBase}); the overlay is a skip list of every write since.
 * The overlay wins: a put there shadows the base entry, and a delete of a key the base holds leaves a tombstone
 * there. A run never loaded from a snapshot has an empty base and no tombstones, so it is just the skip list. The
 * number of live keys per run is kept as writes apply, and a run whose last key goes is removed, as before.
 *
 * <pre>
 * KV_PUT body:    key | value          KV_DELETE body: key
 * section:        version | run count | per run (sorted): run id | key count | per key (sorted): key | version | value
 * </pre>
 */
public final class KvPrimitive implements RunSections, LoadablePrimitive
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 1;

    /** Marks a key deleted in the bulk-load overlay. */
    private static final Versioned DELETED = new Versioned(new byte[] {0}, 0, 1, -1);

    /**
     * Bytes of writes collected while bulk loading at which the first compaction runs: a sixteenth of the heap, at
     * least 1 MiB and at most 64 MiB. Later compactions run when the collected writes reach the size of the state.
     */
    private static final long BULK_COMPACT_FIRST =
        Math.max(1L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));

    /** A run whose collected writes take less than this share of its state at the end gets them as an overlay. */
    private static final int OVERLAY_SHARE_MAX = 4;

    /** The largest state a run's base can hold: the array limit, less a margin. */
    private static final long BASE_BYTES_MAX = Integer.MAX_VALUE - 64;

    private final Map<RunId, RunKeys> byRun = new ConcurrentHashMap<>();
    private final long bulkCompactFirst;
    private Map<RunId, KvBulkRun> bulk;
    /** The run whose writes were collected last and its collection, or {@code null}; always an entry of the map. */
    private RunId lastBulkRunId;
    private KvBulkRun lastBulkRun;
    private long bulkBytes;
    private long bulkCompactAt;

    /** Creates an empty primitive; the opening thread. */
    public KvPrimitive()
    {
        this(BULK_COMPACT_FIRST);
    }

    /** For tests: compacts bulk-loaded writes from a chosen number of collected bytes on. */
    KvPrimitive(final long bulkCompactFirst)
    {
        this.bulkCompactFirst = bulkCompactFirst;
    }

    /**
     * One run's keys: the base read from a snapshot and the overlay of later writes ({@link #DELETED} marks a base key
     * deleted). Written by the commit-lock holder; read by any thread.
     */
    private static final class RunKeys
    {
        final KvBase base;
        final ConcurrentSkipListMap<Key, Versioned> overlay;
        volatile int size;

        RunKeys(final KvBase base, final ConcurrentSkipListMap<Key, Versioned> overlay, final int size)
        {
            this.base = base;
            this.overlay = overlay;
            this.size = size;
        }

        Versioned get(final Key key)
        {
            final Versioned written = overlay.get(key);
            if (written != null)
            {
                return written == DELETED ? null : written;
            }
            final int index = base.find(key);
            return index >= 0 ? base.entry(index) : null;
        }

        /** Commit-lock holder only. */
        void put(final Key key, final Versioned value)
        {
            final Versioned previous = overlay.put(key, value);
            if (previous == DELETED || (previous == null && base.find(key) < 0))
            {
                size = size + 1;
            }
        }

        /** Commit-lock holder only. */
        void delete(final Key key)
        {
            if (base.find(key) >= 0)
            {
                if (overlay.put(key, DELETED) != DELETED)
                {
                    size = size - 1;
                }
            }
            else if (overlay.remove(key) != null)
            {
                size = size - 1;
            }
        }

        /**
         * Visits the live keys starting with a prefix in key order, base and overlay merged, the overlay winning.
         */
        void forEach(final Key prefix, final KeyVisitor visitor)
        {
            final NavigableMap<Key, Versioned> written = prefix == null ? overlay : overlay.tailMap(prefix, true);
            final Iterator<Map.Entry<Key, Versioned>> writes = written.entrySet().iterator();
            Map.Entry<Key, Versioned> write = nextWrite(writes, prefix);
            int index = prefix == null ? 0 : base.lowerBound(prefix);
            // Bounded: every pass consumes a base entry, a write, or both.
            while (true)
            {
                final boolean hasBase = index < base.count() && (prefix == null || base.startsWith(index, prefix));
                if (!hasBase && write == null)
                {
                    return;
                }
                final int cmp = !hasBase ? 1 : write == null ? -1 : base.compareTo(index, write.getKey());
                if (cmp < 0)
                {
                    visitor.base(base, index++);
                }
                else
                {
                    if (cmp == 0)
                    {
                        index++;
                    }
                    if (write.getValue() != DELETED)
                    {
                        visitor.written(write.getKey(), write.getValue());
                    }
                    write = nextWrite(writes, prefix);
                }
            }
        }

        private static Map.Entry<Key, Versioned> nextWrite(
            final Iterator<Map.Entry<Key, Versioned>> writes, final Key prefix)
        {
            if (!writes.hasNext())
            {
                return null;
            }
            final Map.Entry<Key, Versioned> next = writes.next();
            return prefix == null || next.getKey().startsWith(prefix) ? next : null;
        }
    }

    /** Receives the live keys of a run in order. */
    private interface KeyVisitor
    {
        void base(KvBase base, int index);

        void written(Key key, Versioned value);
    }

    /**
     * A value with the log position of the write that set it. Design note: the value is kept in its encoded form,
     * the tail of the body of the entry that wrote it (an array nothing changes), and decoded on each read: no
     * second copy of the bytes next to the body, which InMemory mode also keeps as the run's history.
     */
    public static final class Versioned
    {
        private final byte[] encoded;
        private final int valueOffset;
        private final int valueLength;
        private final long version;

        /**
         * Wraps an encoded value; the primitive and its base only, on the thread that reads or loads the entry.
         *
         * @param encoded     the bytes holding the encoded value; retained, never changed.
         * @param valueOffset where the value starts in {@code encoded}.
         * @param valueLength the value's encoded length.
         * @param version     the position of the frame that wrote the value.
         */
        public Versioned(final byte[] encoded, final int valueOffset, final int valueLength, final long version)
        {
            this.encoded = encoded;
            this.valueOffset = valueOffset;
            this.valueLength = valueLength;
            this.version = version;
        }

        /**
         * The value, decoded anew from its encoded form; any thread.
         *
         * @return the value.
         */
        public Value value()
        {
            return new BinaryDecoder(encoded, valueOffset, valueLength).readValue();
        }

        /**
         * The position of the frame that wrote the value; any thread.
         *
         * @return the version.
         */
        public long version()
        {
            return version;
        }

        void writeValue(final BinaryEncoder encoder)
        {
            encoder.writeRaw(encoded, valueOffset, valueLength);
        }
    }

    /** {@inheritDoc} */
    @Override
    public int primitiveTypeId()
    {
        return TYPE_ID;
    }

    /** {@inheritDoc} */
    @Override
    public String name()
    {
        return "kv";
    }

    /** {@inheritDoc} */
    @Override
    public int[] walEntryTypes()
    {
        return new int[] {WalEntryType.KV_PUT.code(), WalEntryType.KV_DELETE.code()};
    }

    /**
     * Encodes a put body; any thread.
     *
     * @param key   the key.
     * @param value the value.
     * @return the body.
     */
    public static byte[] putBody(final Key key, final Value value)
    {
        return new BinaryEncoder(BinaryEncoder.encodedLength(key) + BinaryEncoder.encodedLength(value))
            .writeKey(key).writeValue(value).toByteArray();
    }

    /**
     * Encodes a delete body; any thread.
     *
     * @param key the key.
     * @return the body.
     */
    public static byte[] deleteBody(final Key key)
    {
        return new BinaryEncoder(BinaryEncoder.encodedLength(key)).writeKey(key).toByteArray();
    }

    /**
     * The current entry of a key; any thread.
     *
     * @param runId the run.
     * @param key   the key.
     * @return the entry, or {@code null}.
     */
    public Versioned get(final RunId runId, final Key key)
    {
        final RunKeys run = byRun.get(runId);
        return run == null ? null : run.get(key);
    }

    /**
     * The keys of a run starting with a prefix, in encoded-byte order; any thread.
     *
     * @param runId  the run.
     * @param prefix the prefix, or {@code null} for all.
     * @return the keys.
     */
    public List<Key> list(final RunId runId, final Key prefix)
    {
        final RunKeys run = byRun.get(runId);
        final List<Key> keys = new ArrayList<>();
        if (run == null)
        {
            return keys;
        }
        run.forEach(prefix, new KeyVisitor()
        {
            @Override
            public void base(final KvBase base, final int index)
            {
                keys.add(base.key(index));
            }

            @Override
            public void written(final Key key, final Versioned value)
            {
                keys.add(key);
            }
        });
        return keys;
    }

    /**
     * The number of keys of every run; any thread.
     *
     * @return the count.
     */
    public long keyCount()
    {
        long count = 0;
        for (final RunKeys run : byRun.values())
        {
            count += run.size;
        }
        return count;
    }

    /** {@inheritDoc} */
    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        final BinaryDecoder decoder = Sections.body(entry);
        if (bulk != null)
        {
            collect(entry, decoder);
            return;
        }
        final Key key = decoder.readKey();
        if (entry.typeCode() == WalEntryType.KV_PUT.code())
        {
            final int valueOffset = decoder.offset();
            decoder.skipValue();
            decoder.expectEnd();
            final Versioned versioned = new Versioned(entry.payload(), valueOffset, decoder.offset() - valueOffset,
                entry.position());
            byRun.computeIfAbsent(entry.runId(), r -> new RunKeys(KvBase.EMPTY, new ConcurrentSkipListMap<>(), 0))
                .put(key, versioned);
        }
        else if (entry.typeCode() == WalEntryType.KV_DELETE.code())
        {
            decoder.expectEnd();
            final RunKeys run = byRun.get(entry.runId());
            if (run != null)
            {
                run.delete(key);
                if (run.size == 0)
                {
                    byRun.remove(entry.runId());
                }
            }
        }
        else
        {
            throw unknownCode(entry.typeCode());
        }
    }

    private static CorruptDataException unknownCode(final int typeCode)
    {
        return new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE, "kv cannot apply code=" + typeCode);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Design note: a sorted concurrent map costs a search, a linked insert and several objects per put, which
     * dominated replaying a large log, and the objects lived until the end, so the collector copied each of them. While
     * bulk loading, puts and deletes are only copied, per run and in log order, into a {@link KvBulkRun}: no object per
     * write. When the collected bytes reach the size of the state (at first {@link #BULK_COMPACT_FIRST}), every run is
     * compacted: its writes stably sorted by key (a log written in key order is seen sorted in one pass), cut to the
     * last write of each key, and merged with the run's entries into a new {@link KvBase}, so memory follows the live
     * keys, not the length of the log, and the state ends as one array per run, as a snapshot would leave it. Writes
     * that ascend into an empty run are adopted as its base without a copy. At the end, a run whose collected writes
     * are small beside its state (a snapshot and a short log after it) takes them into its overlay instead of copying
     * its base; so does a run whose state would outgrow an array.
     */
    @Override
    public void beginBulkLoad()
    {
        bulk = new HashMap<>();
        forgetLastBulkRun();
        bulkBytes = 0;
        bulkCompactAt = bulkCompactFirst;
    }

    /** {@inheritDoc} */
    @Override
    public void endBulkLoad()
    {
        if (bulk == null)
        {
            return;
        }
        compactAll(true);
        bulk = null;
        forgetLastBulkRun();
    }

    /** For tests: how many writes bulk loading holds now. */
    int bulkCollectedCount()
    {
        int count = 0;
        if (bulk != null)
        {
            for (final KvBulkRun run : bulk.values())
            {
                count += run.count();
            }
        }
        return count;
    }

    /** For tests: how many bytes the writes bulk loading holds take now. */
    long bulkCollectedBytes()
    {
        return bulk == null ? 0 : bulkBytes;
    }

    private void forgetLastBulkRun()
    {
        lastBulkRunId = null;
        lastBulkRun = null;
    }

    /** The collected writes of a run; the run of the previous write is remembered, as a log holds runs of them. */
    private KvBulkRun bulkRun(final RunId runId)
    {
        if (!runId.equals(lastBulkRunId))
        {
            lastBulkRun = bulk.computeIfAbsent(runId, r -> new KvBulkRun());
            lastBulkRunId = runId;
        }
        return lastBulkRun;
    }

    private void collect(final WalEntry entry, final BinaryDecoder decoder)
    {
        final byte[] body = entry.payload();
        decoder.skipKey();
        final int keyEnd = decoder.offset();
        final KvBulkRun run = bulkRun(entry.runId());
        final long before = run.bytes();
        if (entry.typeCode() == WalEntryType.KV_PUT.code())
        {
            decoder.skipValue();
            decoder.expectEnd();
            run.put(body, keyEnd, entry.position());
        }
        else if (entry.typeCode() == WalEntryType.KV_DELETE.code())
        {
            decoder.expectEnd();
            run.delete(body, entry.position());
        }
        else
        {
            throw unknownCode(entry.typeCode());
        }
        bulkBytes += run.bytes() - before;
        if (bulkBytes >= bulkCompactAt)
        {
            compactAll(false);
        }
    }

    /**
     * Folds every run's collected writes into its state; at the end, small ones may go to the overlay. Before the end,
     * a run whose writes only append puts above its last key is left alone: compacting it would free nothing.
     */
    private void compactAll(final boolean end)
    {
        long kept = 0;
        for (final Map.Entry<RunId, KvBulkRun> collected : bulk.entrySet())
        {
            final KvBulkRun ops = collected.getValue();
            final RunKeys current = byRun.get(collected.getKey());
            if (ops.count() == 0 || (!end && appendsOnly(current, ops)))
            {
                kept += ops.bytes();
                continue;
            }
            final RunKeys compacted = compact(current, ops, end);
            ops.clear();
            if (compacted.size == 0)
            {
                byRun.remove(collected.getKey());
            }
            else
            {
                byRun.put(collected.getKey(), compacted);
            }
        }
        long stateBytes = 0;
        for (final RunKeys run : byRun.values())
        {
            stateBytes += run.base.byteLength();
        }
        bulkBytes = kept;
        bulkCompactAt = kept + Math.max(bulkCompactFirst, stateBytes);
    }

    /** Whether collected writes only add keys above every key of the run's state, each once. */
    private static boolean appendsOnly(final RunKeys current, final KvBulkRun ops)
    {
        if (!ops.isAscendingPuts())
        {
            return false;
        }
        if (current == null)
        {
            return true;
        }
        final KvBase base = current.base;
        return current.overlay.isEmpty() && (base.count() == 0 || base.compareTo(base.count() - 1, ops.chunkOf(0),
            ops.keyFrom(0), ops.keyTo(0)) < 0);
    }

    private static RunKeys compact(final RunKeys current, final KvBulkRun ops, final boolean end)
    {
        if (current == null)
        {
            final KvBase adopted = ops.adoptIfAscendingPuts();
            if (adopted != null)
            {
                return new RunKeys(adopted, new ConcurrentSkipListMap<>(), adopted.count());
            }
        }
        final int[] latest = ops.latestInKeyOrder();
        final long currentBytes = current == null ? 0 : current.base.byteLength() + overlayBytes(current);
        final boolean small = end && current != null && ops.length() * (long)OVERLAY_SHARE_MAX < currentBytes;
        if (small || currentBytes + ops.length() > BASE_BYTES_MAX)
        {
            final RunKeys run = current == null ? new RunKeys(KvBase.EMPTY, new ConcurrentSkipListMap<>(), 0)
                : current;
            for (final int op : latest)
            {
                final Key key = new BinaryDecoder(ops.chunkOf(op), ops.recordFrom(op),
                    ops.keyTo(op) - ops.recordFrom(op)).readKey();
                if (ops.isDelete(op))
                {
                    run.delete(key);
                }
                else
                {
                    final int valueOffset = ops.keyTo(op) + Long.BYTES;
                    run.put(key, new Versioned(ops.chunkOf(op), valueOffset, ops.recordTo(op) - valueOffset,
                        ops.version(op)));
                }
            }
            return run;
        }
        final Merger merger = new Merger(ops, latest, (int)(currentBytes + ops.length()),
            (current == null ? 0 : current.size) + latest.length + 1);
        if (current != null)
        {
            current.forEach(null, merger);
        }
        return merger.finish();
    }

    private static long overlayBytes(final RunKeys run)
    {
        long bytes = 0;
        for (final Map.Entry<Key, Versioned> written : run.overlay.entrySet())
        {
            bytes += BinaryEncoder.encodedLength(written.getKey()) + Long.BYTES + written.getValue().valueLength;
        }
        return bytes;
    }

    /**
     * Merges a run's live entries, in key order, with the last collected write of each key into the entries of a new
     * base; a collected write wins over an entry of the same key, and a collected delete removes it.
     */
    private static final class Merger implements KeyVisitor
    {
        private final KvBulkRun ops;
        private final int[] latest;
        private final BinaryEncoder out;
        private final int[] starts;
        private int next;
        private int count;

        Merger(final KvBulkRun ops, final int[] latest, final int bytes, final int entriesMax)
        {
            this.ops = ops;
            this.latest = latest;
            this.out = new BinaryEncoder(bytes);
            this.starts = new int[entriesMax];
        }

        @Override
        public void base(final KvBase base, final int index)
        {
            int cmp = 1;
            // Bounded: every pass takes a collected write.
            while (next < latest.length && (cmp = compareOp(base, index)) < 0)
            {
                takeOp();
            }
            if (cmp == 0 && next < latest.length)
            {
                takeOp();
                return;
            }
            starts[count++] = out.length();
            base.writeEntry(out, index);
        }

        @Override
        public void written(final Key key, final Versioned value)
        {
            int cmp = 1;
            // Bounded: every pass takes a collected write.
            while (next < latest.length && (cmp = compareOp(key)) < 0)
            {
                takeOp();
            }
            if (cmp == 0 && next < latest.length)
            {
                takeOp();
                return;
            }
            starts[count++] = out.length();
            out.writeKey(key).writeLong(value.version());
            value.writeValue(out);
        }

        private int compareOp(final Key key)
        {
            final int op = latest[next];
            return -key.compareToUtf8(ops.chunkOf(op), ops.keyFrom(op), ops.keyTo(op));
        }

        private int compareOp(final KvBase base, final int index)
        {
            final int op = latest[next];
            return -base.compareTo(index, ops.chunkOf(op), ops.keyFrom(op), ops.keyTo(op));
        }

        private void takeOp()
        {
            final int op = latest[next++];
            if (!ops.isDelete(op))
            {
                starts[count++] = out.length();
                out.writeRaw(ops.chunkOf(op), ops.recordFrom(op), ops.recordTo(op) - ops.recordFrom(op));
            }
        }

        RunKeys finish()
        {
            // Bounded: every pass takes a collected write.
            while (next < latest.length)
            {
                takeOp();
            }
            starts[count] = out.length();
            final byte[] buffer = out.buffer();
            final int length = out.length();
            final byte[] data = length >= buffer.length - (buffer.length >> 3) ? buffer : out.toByteArray();
            final int[] entryStarts = count + 1 >= starts.length - (starts.length >> 3) ? starts
                : Arrays.copyOf(starts, count + 1);
            return new RunKeys(KvBase.of(data, entryStarts, count), new ConcurrentSkipListMap<>(), count);
        }
    }

    /** {@inheritDoc} */
    @Override
public byte[] snapshotSerialize()
    {
        return serialize(byRun);
    }

    /** {@inheritDoc} */
    @Override
    public byte[] serializeRun(final RunId runId)
    {
        return serialize(Sections.only(byRun, runId));
    }

    private byte[] serialize(final Map<RunId, RunKeys> runs)
    {
        assert bulk == null : "serialised while bulk loading";
        return Sections.writeRuns(runs, (encoder, run) ->
        {
            final int size = run.size;
            encoder.writeLength(size);
            final int[] written = new int[1];
            run.forEach(null, new KeyVisitor()
            {
                @Override
                public void base(final KvBase base, final int index)
                {
                    base.writeEntry(encoder, index);
                    written[0]++;
                }

                @Override
                public void written(final Key key, final Versioned value)
                {
                    encoder.writeKey(key);
                    encoder.writeLong(value.version());
                    value.writeValue(encoder);
                    written[0]++;
                }
            });
            if (written[0] != size)
            {
                // Never write a snapshot whose count disagrees with its entries: fail this snapshot instead.
                throw new IllegalStateException("kv key count differs from the keys written: count=" + size +
                    ", written=" + written[0]);
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public void snapshotDeserialize(final byte[] data)
    {
        snapshotDeserialize(SectionBytes.of(primitiveTypeId(), data));
    }

    /**
     * {@inheritDoc} Each run's entries are checked in the order they arrive (see {@link KvBase#read}); a section read
     * in place stays in the snapshot file's mapping, which the runs' bases then keep.
     */
    @Override
    public void snapshotDeserialize(final SectionBytes section)
    {
        byRun.clear();
        if (bulk != null)
        {
            bulk.clear();
            forgetLastBulkRun();
            bulkBytes = 0;
            bulkCompactAt = bulkCompactFirst;
        }
        Sections.readRuns(section, byRun, cursor ->
        {
            final int count = cursor.readLength(11);
            final KvBase base = KvBase.read(cursor.section(), cursor.offset(), count);
            cursor.moveTo(base.end());
            return new RunKeys(base, new ConcurrentSkipListMap<>(), count);
        });
    }
}
