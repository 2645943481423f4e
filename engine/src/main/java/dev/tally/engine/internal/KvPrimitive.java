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
import java.util.Arrays;
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
    private static final Versioned DELETED = new Versioned(new byte[] {0}, 0, -1);

    private final Map<RunId, ConcurrentSkipListMap<Key, Versioned>> byRun = new ConcurrentHashMap<>();
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
        private final long version;

        Versioned(final byte[] encoded, final int valueOffset, final long version)
        {
            this.encoded = encoded;
            this.valueOffset = valueOffset;
            this.version = version;
        }

        /**
         * The value, decoded anew from its encoded form; any thread.
         *
         * @return the value.
         */
        public Value value()
        {
            return new BinaryDecoder(encoded, valueOffset, encoded.length - valueOffset).readValue();
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
            encoder.writeRaw(encoded, valueOffset, encoded.length - valueOffset);
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
        final ConcurrentSkipListMap<Key, Versioned> map = byRun.get(runId);
        return map == null ? null : map.get(key);
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
        final ConcurrentSkipListMap<Key, Versioned> map = byRun.get(runId);
        final List<Key> keys = new ArrayList<>();
        if (map == null)
        {
            return keys;
        }
        final NavigableMap<Key, Versioned> tail = prefix == null ? map : map.tailMap(prefix, true);
        for (final Key key : tail.keySet())
        {
            if (prefix != null && !key.startsWith(prefix))
            {
                break;
            }
            keys.add(key);
        }
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
        for (final ConcurrentSkipListMap<Key, Versioned> map : byRun.values())
        {
            count += map.size();
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
            final Versioned versioned = new Versioned(entry.payload(), valueOffset, entry.position());
            if (bulk != null)
            {
                collect(entry.runId(), new Op(key, versioned));
                return;
            }
            byRun.computeIfAbsent(entry.runId(), r -> new ConcurrentSkipListMap<>()).put(key, versioned);
        }
        else if (entry.typeCode() == WalEntryType.KV_DELETE.code())
        {
            decoder.expectEnd();
            if (bulk != null)
            {
                collect(entry.runId(), new Op(key, DELETED));
                return;
            }
            final ConcurrentSkipListMap<Key, Versioned> map = byRun.get(entry.runId());
            if (map != null)
            {
                map.remove(key);
                if (map.isEmpty())
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
            final ConcurrentSkipListMap<Key, Versioned> base = byRun.get(run.getKey());
            final ConcurrentSkipListMap<Key, Versioned> loaded;
            if (base == null || base.isEmpty())
            {
                compact(ops, true);
                final SortedEntries<Key, Versioned> sorted = new SortedEntries<>(ops.size());
                ops.forEach(sorted::appendEntry);
                loaded = sorted.toConcurrentMap();
            }
            else
            {
                loaded = applyInOrder(base, ops);
            }
            if (loaded.isEmpty())
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
            final ConcurrentSkipListMap<Key, Versioned> base = byRun.get(runId);
            compact(run.ops, base == null || base.isEmpty());
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

    private static ConcurrentSkipListMap<Key, Versioned> applyInOrder(
        final ConcurrentSkipListMap<Key, Versioned> base, final ArrayList<Op> ops)
    {
        for (final Op op : ops)
        {
            if (op.value == DELETED)
            {
                base.remove(op.key);
            }
            else
            {
                base.put(op.key, op.value);
            }
        }
        return base;
    }

    /** {@inheritDoc} */
    @Override
    public byte[] snapshotSerialize()
    {
        assert bulk == null : "serialised while bulk loading";
        return Sections.writeKeyedRuns(byRun, (encoder, v) ->
        {
            encoder.writeLong(v.version());
            v.writeValue(encoder);
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
        Sections.readKeyedRuns(data, 11, byRun, decoder ->
        {
            final long version = decoder.readLong();
            final int start = decoder.offset();
            decoder.skipValue();
            return new Versioned(Arrays.copyOfRange(data, start, decoder.offset()), 0, version);
        });
    }
}
