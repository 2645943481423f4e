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
public final class KvPrimitive implements dev.tally.core.PrimitiveStorageExt
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 1;

    private final Map<RunId, ConcurrentSkipListMap<Key, Versioned>> byRun = new ConcurrentHashMap<>();

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
            byRun.computeIfAbsent(entry.runId(), r -> new ConcurrentSkipListMap<>())
                .put(key, new Versioned(entry.payload(), valueOffset, entry.position()));
        }
        else if (entry.typeCode() == WalEntryType.KV_DELETE.code())
        {
            decoder.expectEnd();
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

    /** {@inheritDoc} */
    @Override
    public byte[] snapshotSerialize()
    {
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
        Sections.readKeyedRuns(data, 11, byRun, decoder ->
        {
            final long version = decoder.readLong();
            final int start = decoder.offset();
            decoder.skipValue();
            return new Versioned(Arrays.copyOfRange(data, start, decoder.offset()), 0, version);
        });
    }
}
