/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.internal.KvBaseReadTest;
import dev.tally.snapshot.SectionBytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bulk loading, the recovery path of the KV primitive. Goal: the state after a bulk load is the state the same entries
 * applied one by one give, byte for byte, whatever the order of keys and the mix of puts, overwrites and deletes, and
 * whether the runs were empty (loaded from the log alone) or not (loaded from a snapshot first).
 */
class KvBulkLoadTest
{
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void shouldEndInTheSameStateAsApplyingOneByOneWhenEntriesAreRandom(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<WalEntry> base = entries(random, 1 + random.nextInt(300), 0);
        final List<WalEntry> tail = entries(random, 1 + random.nextInt(3000), 10_000);

        final KvPrimitive oneByOne = new KvPrimitive();
        base.forEach(oneByOne::applyWalEntry);
        final byte[] snapshot = oneByOne.snapshotSerialize();
        tail.forEach(oneByOne::applyWalEntry);

        final long compactFirst = random.nextBoolean() ? 1 << 16 : 1 + random.nextInt(400); // also compacting often
        final KvPrimitive fromLog = new KvPrimitive(compactFirst);
        fromLog.beginBulkLoad();
        base.forEach(fromLog::applyWalEntry);
        tail.forEach(fromLog::applyWalEntry);
        fromLog.endBulkLoad();
        assertEquals(HEX.formatHex(oneByOne.snapshotSerialize()), HEX.formatHex(fromLog.snapshotSerialize()),
            "log alone, seed " + seed + ", compactFirst " + compactFirst);

        final KvPrimitive fromSnapshot = new KvPrimitive(compactFirst);
        fromSnapshot.beginBulkLoad();
        if (seed % 2 == 0)
        {
            fromSnapshot.snapshotDeserialize(snapshot);
        }
        else // the log merged into a base read in place
        {
            fromSnapshot.snapshotDeserialize(SectionBytes.inPlace(KvPrimitive.TYPE_ID, KvBaseReadTest.direct(snapshot)));
        }
        tail.forEach(fromSnapshot::applyWalEntry);
        fromSnapshot.endBulkLoad();
        assertEquals(HEX.formatHex(oneByOne.snapshotSerialize()), HEX.formatHex(fromSnapshot.snapshotSerialize()),
            "snapshot then log, seed " + seed + ", compactFirst " + compactFirst);

        for (final WalEntry entry : tail)
        {
            final Key key = new dev.tally.core.BinaryDecoder(entry.payload()).readKey();
            final KvPrimitive.Versioned expected = oneByOne.get(entry.runId(), key);
            final KvPrimitive.Versioned actual = fromSnapshot.get(entry.runId(), key);
            if (expected == null)
            {
                assertNull(actual);
            }
            else
            {
                assertEquals(expected.value(), actual.value());
                assertEquals(expected.version(), actual.version());
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void shouldForgetCollectedEntriesWhenASnapshotIsLoadedAfterThem(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<WalEntry> first = entries(random, 200, 0);
        final KvPrimitive empty = new KvPrimitive();
        final KvPrimitive kv = new KvPrimitive();
        kv.beginBulkLoad();
        first.forEach(kv::applyWalEntry);
        kv.snapshotDeserialize(empty.snapshotSerialize()); // recovery's reset after a snapshot failed half-way
        kv.endBulkLoad();
        assertEquals(HEX.formatHex(empty.snapshotSerialize()), HEX.formatHex(kv.snapshotSerialize()));
    }

    @org.junit.jupiter.api.Test
    void shouldHoldMemoryForTheLiveKeysNotForTheLogWhenFewKeysAreOverwrittenOften()
    {
        final long compactFirst = 64 << 10;
        final KvPrimitive kv = new KvPrimitive(compactFirst);
        final RunId run = RunId.of(3, 3);
        kv.beginBulkLoad();
        long most = 0;
        for (int i = 0; i < 300_000; i++)
        {
            kv.applyWalEntry(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), run, i,
                KvPrimitive.putBody(Key.of("hot" + (i % 10)), Value.of(i))));
            most = Math.max(most, kv.bulkCollectedBytes());
        }
        assertTrue(most < compactFirst, "collected writes never reach the first compaction point: " + most);
        kv.endBulkLoad();
        assertEquals(10, kv.keyCount());
        assertEquals(Value.of(299_999), kv.get(run, Key.of("hot9")).value());
        assertEquals(299_999, kv.get(run, Key.of("hot9")).version());
    }

    @ParameterizedTest(name = "compact first at {0} bytes")
    @ValueSource(longs = {1, 1000, 1 << 20})
    void shouldEndInTheSameStateWhenKeysAscendAcrossCompactions(final long compactFirst)
    {
        final RunId run = RunId.of(4, 4);
        final List<WalEntry> ascending = new ArrayList<>();
        for (int i = 0; i < 5_000; i++)
        {
            ascending.add(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), run, i,
                KvPrimitive.putBody(Key.of(String.format(java.util.Locale.ROOT, "key-%06d", i)), Value.of(i))));
        }
        final KvPrimitive oneByOne = new KvPrimitive();
        ascending.forEach(oneByOne::applyWalEntry);
        final KvPrimitive bulk = new KvPrimitive(compactFirst);
        bulk.beginBulkLoad();
        ascending.forEach(bulk::applyWalEntry);
        bulk.endBulkLoad();
        assertEquals(HEX.formatHex(oneByOne.snapshotSerialize()), HEX.formatHex(bulk.snapshotSerialize()));
        assertEquals(5_000, bulk.keyCount());
        assertEquals(Value.of(4_321), bulk.get(run, Key.of("key-004321")).value());
        assertNull(bulk.get(run, Key.of("key-5")));

        // The loaded state takes later writes like any other: an overwrite, a delete and a new key.
        for (final KvPrimitive kv : List.of(oneByOne, bulk))
        {
            kv.applyWalEntry(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), run, 9_000,
                KvPrimitive.putBody(Key.of("key-000007"), Value.of("seven"))));
            kv.applyWalEntry(new WalEntry(WalEntryType.KV_DELETE.code(), TxId.random(), run, 9_001,
                KvPrimitive.deleteBody(Key.of("key-000008"))));
            kv.applyWalEntry(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), run, 9_002,
                KvPrimitive.putBody(Key.of("a"), Value.of(1))));
        }
        assertEquals(HEX.formatHex(oneByOne.snapshotSerialize()), HEX.formatHex(bulk.snapshotSerialize()));
        assertEquals(List.of(Key.of("key-000006"), Key.of("key-000007"), Key.of("key-000009")),
            bulk.list(run, Key.of("key-00000")).subList(6, 9));
        assertEquals(5_000, bulk.keyCount());
    }

    @org.junit.jupiter.api.Test
    void shouldKeepValuesLargerThanACollectionChunkWhole()
    {
        final RunId run = RunId.of(5, 5);
        final SplittableRandom random = new SplittableRandom(5);
        final List<WalEntry> entries = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            final byte[] value = new byte[i % 3 == 0 ? (3 << 20) + i : 10 + i];
            random.nextBytes(value);
            entries.add(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), run, i,
                KvPrimitive.putBody(Key.of("big" + (7 - i % 7)), Value.of(value))));
        }
        final KvPrimitive oneByOne = new KvPrimitive();
        entries.forEach(oneByOne::applyWalEntry);
        final KvPrimitive bulk = new KvPrimitive(1 << 20);
        bulk.beginBulkLoad();
        entries.forEach(bulk::applyWalEntry);
        bulk.endBulkLoad();
        assertEquals(7, bulk.keyCount());
        assertTrue(java.util.Arrays.equals(oneByOne.snapshotSerialize(), bulk.snapshotSerialize()));
        assertEquals(oneByOne.get(run, Key.of("big4")).value(), bulk.get(run, Key.of("big4")).value());
    }

    private static List<WalEntry> entries(final SplittableRandom random, final int count, final long firstPosition)
    {
        final RunId[] runs = {RunId.of(1, 1), RunId.of(1, 2), RunId.of(2, 1)};
        final List<WalEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final RunId run = runs[random.nextInt(runs.length)];
            final Key key = Key.of("k" + random.nextInt(random.nextBoolean() ? 40 : 400));
            final long position = firstPosition + i;
            if (random.nextInt(5) == 0)
            {
                entries.add(new WalEntry(WalEntryType.KV_DELETE.code(), TxId.random(), run, position,
                    KvPrimitive.deleteBody(key)));
            }
            else
            {
                final Value value = random.nextBoolean() ? Value.of(random.nextLong())
                    : Value.of(new byte[random.nextInt(20)]);
                entries.add(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), run, position,
                    KvPrimitive.putBody(key, value)));
            }
        }
        return entries;
    }
}
