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
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
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
public final class KvPrimitive implements dev.tally.core.PrimitiveStorageExt, BulkLoadable
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 1;

    /** Marks a key deleted in the bulk-load overlay. */
    private static final Versioned DELETED = new Versioned(new byte[] {0}, 0, 1, -1);

    private final Map<RunId, RunKeys> byRun = new ConcurrentHashMap<>();
    /** Collected writes of one run at which the first compaction runs; later ones at twice what a compaction kept. */
    private static final int BULK_COMPACT_FIRST = 1 << 16;

    private final int bulkCompactFirst;
    private Map<RunId, BulkRun> bulk;

    /** Creates an empty primitive; the opening thread. */
    public KvPrimitive()
    {
        this(BULK_COMPACT_FIRST);
    }

    /** For tests: compacts bulk-loaded writes from a chosen count on. */
    KvPrimitive(final int bulkCompactFirst)
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

    /** The writes collected for one run while bulk loading, in log order after the last compaction. */
    private static final class BulkRun
    {
        final ArrayList<Op> ops = new ArrayList<>();
        int compactAt;

        BulkRun(final int compactAt)
        {
            this.compactAt = compactAt;
        }
    }

    /** One collected write while bulk loading: a put, or a delete ({@link #DELETED}). */
    private static final class Op implements Map.Entry<Key, Versioned>
    {
        private final Key key;
        private final Versioned value;

        Op(final Key key, final Versioned value)
        {
            this.key = key;
            this.value = value;
        }

        @Override
        public Key getKey()
        {
            return key;
        }

        @Override
        public Versioned getValue()
        {
            return value;
        }

        @Override
        public Versioned setValue(final Versioned ignored)
        {
            throw new UnsupportedOperationException("immutable");
        }
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

        Versioned(final byte[] encoded, final int valueOffset, final int valueLength, final long version)
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
        final Key key = decoder.readKey();
        if (entry.typeCode() == WalEntryType.KV_PUT.code())
        {
            final int valueOffset = decoder.offset();
            decoder.skipValue();
            decoder.expectEnd();
            final Versioned versioned = new Versioned(entry.payload(), valueOffset, decoder.offset() - valueOffset,
                entry.position());
            if (bulk != null)
            {
                collect(entry.runId(), new Op(key, versioned));
                return;
            }
            byRun.computeIfAbsent(entry.runId(), r -> new RunKeys(KvBase.EMPTY, new ConcurrentSkipListMap<>(), 0))
                .put(key, versioned);
        }
        else if (entry.typeCode() == WalEntryType.KV_DELETE.code())
        {
            decoder.expectEnd();
            if (bulk != null)
            {
                collect(entry.runId(), new Op(key, DELETED));
                return;
            }
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
            throw new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE, "kv cannot apply code=" + entry.typeCode());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Design note: a sorted concurrent map costs a search and a linked insert per put, which dominated replaying a
     * large log. While bulk loading, puts and deletes are only collected, in log order, per run. Now and then (each
     * time the collected writes double) they are compacted: stably sorted by key (a log written in key order is
     * sorted already, which the merge sort sees in one pass) and cut to the last write of each key, so the memory
     * follows the live keys, not the length of the log. The end applies them in order to a run that had entries
     * (from a snapshot; writes to different keys commute, so compaction does not change the result); a run that was
     * empty is built in one pass from its compacted writes, deletes dropped.
     */
    @Override
    public void beginBulkLoad()
    {
        bulk = new HashMap<>();
    }

    /** {@inheritDoc} */
    @Override
    public void endBulkLoad()
    {
        final Map<RunId, BulkRun> collected = bulk;
        bulk = null;
        if (collected == null)
        {
            return;
        }
        for (final Map.Entry<RunId, BulkRun> run : collected.entrySet())
        {
            final ArrayList<Op> ops = run.getValue().ops;
            final RunKeys existing = byRun.get(run.getKey());
            final RunKeys loaded;
            if (existing == null)
            {
                compact(ops, true);
                final SortedEntries<Key, Versioned> sorted = new SortedEntries<>(ops.size());
                ops.forEach(sorted::appendEntry);
                final ConcurrentSkipListMap<Key, Versioned> map = sorted.toConcurrentMap();
                loaded = new RunKeys(KvBase.EMPTY, map, map.size());
            }
            else
            {
                loaded = applyInOrder(existing, ops);
            }
            if (loaded.size == 0)
            {
                byRun.remove(run.getKey());
            }
            else
            {
                byRun.put(run.getKey(), loaded);
            }
        }
    }

    /** For tests: how many writes bulk loading holds now. */
    int bulkCollectedCount()
    {
        int count = 0;
        if (bulk != null)
        {
            for (final BulkRun run : bulk.values())
            {
                count += run.ops.size();
            }
        }
        return count;
    }

    private void collect(final RunId runId, final Op op)
    {
        final BulkRun run = bulk.computeIfAbsent(runId, r -> new BulkRun(bulkCompactFirst));
        run.ops.add(op);
        if (run.ops.size() >= run.compactAt)
        {
            compact(run.ops, byRun.get(runId) == null);
            run.compactAt = Math.max(bulkCompactFirst, 2 * run.ops.size());
        }
    }

    /**
     * Sorts writes by key, stably, and keeps the last write of each key; drops deletes when the run has no entries
     * they could remove.
     */
    private static void compact(final ArrayList<Op> ops, final boolean dropDeletes)
    {
        ops.sort((a, b) -> a.key.compareTo(b.key));
        final int n = ops.size();
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            final Op op = ops.get(i);
            final boolean superseded = i + 1 < n && ops.get(i + 1).key.equals(op.key);
            if (!superseded && !(dropDeletes && op.value == DELETED))
            {
                ops.set(kept++, op);
            }
        }
        ops.subList(kept, n).clear();
    }

    private static RunKeys applyInOrder(final RunKeys run, final ArrayList<Op> ops)
    {
        for (final Op op : ops)
        {
            if (op.value == DELETED)
            {
                run.delete(op.key);
            }
            else
            {
                run.put(op.key, op.value);
            }
        }
        return run;
    }

    /** {@inheritDoc} */
    @Override
    public byte[] snapshotSerialize()
    {
        assert bulk == null : "serialised while bulk loading";
        return Sections.writeRuns(byRun, (encoder, run) ->
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
        byRun.clear();
        if (bulk != null)
        {
            bulk.clear();
        }
        Sections.readRuns(data, byRun, decoder ->
        {
            final int count = decoder.readLength(11);
            return new RunKeys(KvBase.read(data, decoder, count), new ConcurrentSkipListMap<>(), count);
        });
    }
}
