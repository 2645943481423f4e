/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.internal.KvBaseReadTest;
import dev.tally.snapshot.SectionBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A run loaded from a snapshot keeps its keys in the snapshot's bytes (the base) and later writes in a skip list (the
 * overlay). Goal: every read (get, list by prefix, key count) and the next snapshot are exactly what a state that
 * never went through a snapshot gives, through any mix of overwrites of base keys, deletes of base keys (tombstones),
 * puts after those deletes and snapshots taken again, whether the base was copied onto the heap or is read in place
 * in the snapshot's bytes; and a snapshot whose keys do not ascend is refused.
 */
class KvBaseOverlayTest
{
    private static final HexFormat HEX = HexFormat.of();
    private static final RunId[] RUNS = {RunId.of(1, 1), RunId.of(1, 2), RunId.of(2, 1)};
    private static final String[] PREFIXES = {"a", "ab", "b", "k1", "k", "é", "z", "k10"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void shouldReadAndSnapshotExactlyAsAStateThatNeverReloadedWhenWritesFollowSnapshots(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final KvPrimitive reference = new KvPrimitive();
        final Map<RunId, TreeMap<Key, Value>> model = new java.util.HashMap<>();
        KvPrimitive reloaded = new KvPrimitive();
        long position = 1;
        for (int round = 0; round < 6; round++)
        {
            final int writes = 1 + random.nextInt(round == 0 ? 2000 : 400);
            for (int i = 0; i < writes; i++)
            {
                final WalEntry entry = randomEntry(random, position++, model);
                reference.applyWalEntry(entry);
                reloaded.applyWalEntry(entry);
            }
            check(reference, reloaded, model, "seed " + seed + ", round " + round);
            final KvPrimitive next = new KvPrimitive();
            final boolean isInPlace = (seed + round) % 2 == 0; // the base on the heap or in a mapped section
            final byte[] section = reloaded.snapshotSerialize();
            if (isInPlace)
            {
                next.snapshotDeserialize(SectionBytes.inPlace(KvPrimitive.TYPE_ID, KvBaseReadTest.direct(section)));
            }
            else
            {
                next.snapshotDeserialize(section);
            }
            reloaded = next;
            check(reference, reloaded, model, "seed " + seed + ", round " + round + ", reloaded " +
                (isInPlace ? "in place" : "copied"));
        }
    }

    @Test
    void shouldRefuseASnapshotWhoseKeysDoNotAscend()
    {
        final BinaryEncoder encoder = new BinaryEncoder(64);
        encoder.writeVersion();
        encoder.writeLength(1);
        encoder.writeUuid(RUNS[0].uuid());
        encoder.writeLength(2);
        encoder.writeKey(Key.of("b")).writeLong(1).writeValue(Value.of(1));
        encoder.writeKey(Key.of("a")).writeLong(2).writeValue(Value.of(2));
        final CorruptDataException thrown = assertThrows(CorruptDataException.class,
            () -> new KvPrimitive().snapshotDeserialize(encoder.toByteArray()));
        assertEquals(ErrorCode.CORRUPT_SNAPSHOT, thrown.code());
    }

    @Test
    void shouldRefuseASnapshotHoldingAnInvalidKey()
    {
        final BinaryEncoder encoder = new BinaryEncoder(64);
        encoder.writeVersion();
        encoder.writeLength(1);
        encoder.writeUuid(RUNS[0].uuid());
        encoder.writeLength(1);
        encoder.writeBytes(new byte[] {'a', 0, 'b'}).writeLong(1).writeValue(Value.of(1)); // NUL inside a key
        assertThrows(CorruptDataException.class, () -> new KvPrimitive().snapshotDeserialize(encoder.toByteArray()));
    }

    private static void check(final KvPrimitive reference, final KvPrimitive actual,
        final Map<RunId, TreeMap<Key, Value>> model, final String context)
    {
        assertEquals(HEX.formatHex(reference.snapshotSerialize()), HEX.formatHex(actual.snapshotSerialize()),
            context + ": snapshot bytes");
        assertEquals(model.values().stream().mapToLong(TreeMap::size).sum(), actual.keyCount(), context + ": count");
        for (final RunId run : RUNS)
        {
            final TreeMap<Key, Value> keys = model.getOrDefault(run, new TreeMap<>());
            assertEquals(new ArrayList<>(keys.keySet()), actual.list(run, null), context + ": list all");
            for (final String text : PREFIXES)
            {
                final Key prefix = Key.of(text);
                final List<Key> expected = keys.keySet().stream().filter(k -> k.startsWith(prefix))
                    .collect(Collectors.toList());
                assertEquals(expected, actual.list(run, prefix), context + ": list " + text);
            }
            for (int i = 0; i < 60; i++)
            {
                final Key key = key(i);
                final KvPrimitive.Versioned got = actual.get(run, key);
                final Value value = keys.get(key);
                if (value == null)
                {
                    assertNull(got, context + ": " + key);
                }
                else
                {
                    assertEquals(value, got.value(), context + ": " + key);
                    assertEquals(reference.get(run, key).version(), got.version(), context + ": version " + key);
                }
            }
        }
    }

    private static WalEntry randomEntry(final SplittableRandom random, final long position,
        final Map<RunId, TreeMap<Key, Value>> model)
    {
        final RunId run = RUNS[random.nextInt(RUNS.length)];
        final Key key = key(random.nextInt(60));
        final TreeMap<Key, Value> keys = model.computeIfAbsent(run, r -> new TreeMap<>());
        if (random.nextInt(4) == 0)
        {
            keys.remove(key);
            return new WalEntry(WalEntryType.KV_DELETE.code(), TxId.random(), run, position,
                KvPrimitive.deleteBody(key));
        }
        final Value value = random.nextBoolean() ? Value.of(random.nextLong()) : Value.of(new byte[random.nextInt(30)]);
        keys.put(key, value);
        return new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), run, position, KvPrimitive.putBody(key, value));
    }

    /** Keys with shared prefixes, of one and two length-byte lengths, and non-ASCII ones. */
    private static Key key(final int i)
    {
        switch (i % 6)
        {
            case 0:
                return Key.of("a" + i);
            case 1:
                return Key.of("ab" + i);
            case 2:
                return Key.of("k" + i);
            case 3:
                return Key.of("é" + i);
            case 4:
                return Key.of("k1" + "x".repeat(150 + i));
            default:
                return Key.of("b" + i);
        }
    }
}
