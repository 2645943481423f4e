/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.KvPrimitive;
import dev.tally.snapshot.SectionBytes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Loading a run's keys from a snapshot checks every entry where it lies, in a copied section or in place in a mapped
 * one: short ASCII keys with bytes, integer or null values on a word-at-a-time path, everything else through the full
 * decoder. Goal: both paths and both ways of taking a section accept exactly the same entries, find the same
 * boundaries, read the same keys, values and versions back, and refuse every malformed, truncated or out-of-order
 * section, never reading past the section's end.
 */
public class KvBaseReadTest
{
    @Test
    void shouldReadEveryEntryAsTheDecoderDoesWhenKeysAndValuesTakeEveryShape()
    {
        final List<Key> keys = new ArrayList<>();
        for (final String text : new String[] {"a", "aaaaaaa", "aaaaaaaa", "aaaaaaaab", "aaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaab", "aaaaaaaé", "aaaaaaaaé", "b", "é", "éa", "\u00ff\u00ff", "z\u20ac", "~"})
        {
            keys.add(Key.of(text));
        }
        keys.add(Key.of("m".repeat(127)));
        keys.add(Key.of("m".repeat(128)));
        keys.add(Key.of("n".repeat(1024)));
        keys.sort(KvBaseReadTest::compareUtf8);
        final Value[] values = {Value.NULL, Value.of(true), Value.of(-7L), Value.of(2.5), Value.of("text"),
            Value.of("é"), Value.of(new byte[0]), Value.of(new byte[127]), Value.of(new byte[128]),
            Value.of(new byte[16_383]), Value.of(new byte[16_384]), Value.of(Long.MIN_VALUE)};
        final SplittableRandom random = new SplittableRandom(42);
        final BinaryEncoder encoder = new BinaryEncoder(64);
        encoder.writeByte(0x55); // an entry list need not start at offset zero
        final List<Value> written = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++)
        {
            final Value value = values[random.nextInt(values.length)];
            encoder.writeKey(keys.get(i)).writeLong(1_000L + i).writeValue(value);
            written.add(value);
        }
        final byte[] data = encoder.toByteArray();

        for (final Access access : Access.values())
        {
            final KvBase base = KvBase.read(access.section(data), 1, keys.size());

            assertEquals(access == Access.IN_PLACE, base.isInPlace(), access.name());
            assertEquals(data.length, base.end(), access.name());
            assertEquals(keys.size(), base.count());
            assertEquals(data.length - 1, base.byteLength());
            final BinaryEncoder rewritten = new BinaryEncoder(64);
            rewritten.writeByte(0x55);
            for (int i = 0; i < keys.size(); i++)
            {
                final String context = access + ", entry " + i;
                assertEquals(keys.get(i), base.key(i), context);
                assertEquals(written.get(i), base.entry(i).value(), context);
                assertEquals(1_000L + i, base.entry(i).version(), context);
                assertEquals(i, base.find(keys.get(i)), context);
                assertEquals(0, base.compareTo(i, keys.get(i)), context);
                assertTrue(base.startsWith(i, keys.get(i)), context);
                base.writeEntry(rewritten, i);
            }
            assertArrayEquals(data, rewritten.toByteArray(), access.name());
            assertEquals(-1, base.find(Key.of("0")), access.name()); // before every key
            assertEquals(-(keys.size() + 1), base.find(Key.of("\uffff")), access.name()); // after every key
        }
    }

    @Test
    void shouldReadASectionInPlaceWithoutCopyingItAndTakeItInChunks()
    {
        final KvPrimitive written = new KvPrimitive();
        for (int i = 0; i < 20_000; i++)
        {
            written.applyWalEntry(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), RunId.of(1, 1 + (i % 3)),
                10L + i, KvPrimitive.putBody(Key.of("key/" + (100_000 + i)), Value.of(new byte[90]))));
        }
        final byte[] section = written.snapshotSerialize();
        final CountingInPlaceSection inPlace = new CountingInPlaceSection(section);

        final KvPrimitive loaded = new KvPrimitive();
        loaded.snapshotDeserialize(inPlace);

        assertEquals(section.length, inPlace.filled());
        assertTrue(inPlace.supplies > section.length / SectionBytes.FILL_CHUNK_LENGTH, "taken in chunks");
        assertArrayEquals(section, loaded.snapshotSerialize());
        assertEquals(Value.of(new byte[90]), loaded.get(RunId.of(1, 2), Key.of("key/100001")).value());
    }

    @Test
    void shouldBuildTheSameStateWhenTheSectionIsFilledOnlyAsFarAsTheLoaderAsks()
    {
        // Bytes not yet copied hold junk here, not zeros: a read past what was filled would be seen.
        final KvPrimitive written = new KvPrimitive();
        final SplittableRandom random = new SplittableRandom(7);
        final Value[] values = {Value.of(new byte[100]), Value.of(new byte[3_000]), Value.of(5L), Value.NULL,
            Value.of("text"), Value.of(true)};
        for (int i = 0; i < 20_000; i++)
        {
            final String key = (i % 7 == 0 ? "é/" : "key/") + random.nextInt(1_000_000) + "/" + "x".repeat(i % 150);
            written.applyWalEntry(new WalEntry(WalEntryType.KV_PUT.code(), TxId.random(), RunId.of(1, 1 + (i % 3)),
                10L + i, KvPrimitive.putBody(Key.of(key), values[i % values.length])));
        }
        final byte[] section = written.snapshotSerialize();

        final KvPrimitive eager = new KvPrimitive();
        eager.snapshotDeserialize(section);
        final KvPrimitive lazy = new KvPrimitive();
        final JunkFilledSection lazySection = new JunkFilledSection(section);
        lazy.snapshotDeserialize(lazySection);

        assertEquals(section.length, lazySection.filled());
        assertArrayEquals(section, lazy.snapshotSerialize());
        assertArrayEquals(eager.snapshotSerialize(), lazy.snapshotSerialize());
        assertTrue(lazySection.copies > section.length / SectionBytes.FILL_CHUNK_LENGTH, "filled in chunks");
    }

    @Test
    void shouldAcceptExactlyTheKeyOrdersThatAscendWhateverTheKeysShareOrHowLongTheyAre()
    {
        // Keys built from a few characters around the edges of the fast checks (0x01, 0x7F, two-byte UTF-8) and shared
        // prefixes of every length around the 8- and 16-byte words, compared against the keys' own order.
        final String[] pieces = {"a", "b", "\u0001", "\u007f", "é", "\u00ff", "aaaaaaa", "aaaaaaaa", "z".repeat(120)};
        final SplittableRandom random = new SplittableRandom(2026);
        final Value[] values = {Value.of(new byte[3]), Value.of(7L), Value.NULL, Value.of("t")};
        for (int round = 0; round < 3_000; round++)
        {
            final String prefix = "p".repeat(random.nextInt(20));
            final List<Key> keys = new ArrayList<>();
            final int size = 2 + random.nextInt(12);
            while (keys.size() < size)
            {
                final StringBuilder text = new StringBuilder(prefix);
                for (int i = random.nextInt(4); i >= 0; i--)
                {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                final Key key = Key.of(text.length() > 1_000 ? text.substring(0, 1_000) : text.toString());
                if (!keys.contains(key))
                {
                    keys.add(key);
                }
            }
            keys.sort(KvBaseReadTest::compareUtf8);
            if (random.nextBoolean())
            {
                // Disorder it: swap two neighbours, or repeat one key in place of its successor.
                final int i = random.nextInt(keys.size() - 1);
                if (random.nextBoolean())
                {
                    keys.set(i + 1, keys.set(i, keys.get(i + 1)));
                }
                else
                {
                    keys.set(i + 1, keys.get(i));
                }
            }
            int firstOutOfOrder = -1;
            for (int i = 1; i < keys.size() && firstOutOfOrder < 0; i++)
            {
                firstOutOfOrder = compareUtf8(keys.get(i - 1), keys.get(i)) >= 0 ? i : -1;
            }
            final BinaryEncoder encoder = new BinaryEncoder(64);
            for (int i = 0; i < keys.size(); i++)
            {
                encoder.writeKey(keys.get(i)).writeLong(i).writeValue(values[random.nextInt(values.length)]);
            }
            final byte[] data = encoder.toByteArray();
            for (final Access access : Access.values())
            {
                final String context = "round " + round + ", " + access + ", " + keys;
                if (firstOutOfOrder < 0)
                {
                    final KvBase base = KvBase.read(access.section(data), 0, keys.size());
                    for (int i = 0; i < keys.size(); i++)
                    {
                        assertEquals(i, base.find(keys.get(i)), context);
                    }
                }
                else
                {
                    final CorruptDataException ex = assertThrows(CorruptDataException.class,
                        () -> KvBase.read(access.section(data), 0, keys.size()), context);
                    assertTrue(ex.getMessage().startsWith("snapshot section keys out of order: entry=" +
                        firstOutOfOrder + ","), context + ": " + ex.getMessage());
                }
            }
        }
    }

    @Test
    void shouldRefuseEveryTruncationWithoutReadingPastTheEnd()
    {
        final BinaryEncoder encoder = new BinaryEncoder(64);
        encoder.writeKey(Key.of("key-0001")).writeLong(1).writeValue(Value.of(new byte[20]));
        encoder.writeKey(Key.of("key-0002")).writeLong(2).writeValue(Value.of(new byte[200]));
        encoder.writeKey(Key.of("key-0003")).writeLong(3).writeValue(Value.of(9L));
        encoder.writeKey(Key.of("key-0004")).writeLong(4).writeValue(Value.NULL);
        final byte[] whole = encoder.toByteArray();
        // In place, the bytes past each cut are a valid continuation, so only the limit stops a read past it.
        for (int length = 0; length < whole.length; length++)
        {
            final int cut = length;
            assertThrows(CorruptDataException.class,
                () -> KvBase.read(SectionBytes.of(0, Arrays.copyOf(whole, cut)), 0, 4), "copied, length=" + cut);
            assertThrows(CorruptDataException.class,
                () -> KvBase.read(SectionBytes.inPlace(0, ByteBuffer.wrap(whole, 0, cut)), 0, 4),
                "in place, length=" + cut);
        }
    }

    @Test
    void shouldRefuseKeysThatDoNotAscendStrictly()
    {
        final String[][] pairs = {{"b", "a"}, {"a", "a"}, {"ab", "a"}, {"aaaaaaaab", "aaaaaaaaa"},
            {"aaaaaaaa", "aaaaaaaa"}, {"aaaaaaaaa", "aaaaaaaa"}, {"é", "é"}, {"é", "z"}, {"m".repeat(200), "m"},
            {"aaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaa"}, {"aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa"},
            {"aaaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaaa"}, {"aaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa"},
            {"aaaaaaaaaaaaaaaa\u0001", "aaaaaaaaaaaaaaaa"}, {"ab\u0001", "ab"}, {"a".repeat(40), "a".repeat(39) + "\u0001"}};
        for (final String[] pair : pairs)
        {
            final BinaryEncoder encoder = new BinaryEncoder(64);
            encoder.writeKey(Key.of(pair[0])).writeLong(1).writeValue(Value.of(1L));
            encoder.writeKey(Key.of(pair[1])).writeLong(2).writeValue(Value.of(2L));
            final byte[] data = encoder.toByteArray();
            for (final Access access : Access.values())
            {
                final CorruptDataException ex = assertThrows(CorruptDataException.class,
                    () -> KvBase.read(access.section(data), 0, 2), access + " " + Arrays.toString(pair));
                assertEquals("snapshot section keys out of order: entry=1", ex.getMessage().split(", offset")[0]);
                assertEquals(ErrorCode.CORRUPT_SNAPSHOT, ex.code());
            }
        }
    }

    @Test
    void shouldRefuseMalformedKeysAndValues()
    {
        final byte[][] entries = {
            entry(new byte[] {3, 'a', 0, 'b'}, new byte[] {Value.Null.TAG}), // NUL in a key
            entry(new byte[] {9, 'a', 'a', 'a', 0, 'a', 'a', 'a', 'a', 'a'}, new byte[] {Value.Null.TAG}), // NUL, long
            entry(new byte[] {9, 'a', 'a', 'a', 'a', 'a', 'a', 'a', (byte)0xC3, 'a'}, new byte[] {Value.Null.TAG}),
            entry(new byte[] {2, 'a', (byte)0xFF}, new byte[] {Value.Null.TAG}), // not UTF-8
            entry(new byte[] {0}, new byte[] {Value.Null.TAG}), // empty key
            entry(new byte[] {1, 'a'}, new byte[] {9}), // unknown value tag
            entry(new byte[] {1, 'a'}, new byte[] {Value.Bool.TAG, 2}), // not a boolean
            entry(new byte[] {1, 'a'}, new byte[] {Value.Bytes.TAG, (byte)0x80, 0}), // length not minimal
            entry(new byte[] {1, 'a'}, new byte[] {Value.Bytes.TAG, 5, 1, 2}), // bytes overrun the section
            entry(new byte[] {1, 'a'}, new byte[] {Value.String.TAG, 1, (byte)0xC0}), // bad UTF-8 text
            entry(new byte[] {1, 'a'}, new byte[] {Value.I64.TAG, 1, 2, 3}), // a short integer
        };
        for (final byte[] data : entries)
        {
            for (final Access access : Access.values())
            {
                final CorruptDataException ex = assertThrows(CorruptDataException.class,
                    () -> KvBase.read(access.section(data), 0, 1), access + " " + Arrays.toString(data));
                assertTrue(ex.getMessage().contains("entry=0 at offset=0"), ex.getMessage()); // where it starts
            }
        }
    }

    /** A section copied from a source as the loader asks, with junk where nothing was copied yet. */
    private static final class JunkFilledSection extends SectionBytes
    {
        private final byte[] source;
        int copies;

        JunkFilledSection(final byte[] source)
        {
            super(1, junk(source.length), 0);
            this.source = source;
        }

        private static byte[] junk(final int length)
        {
            final byte[] junk = new byte[length];
            Arrays.fill(junk, (byte)0xFF);
            return junk;
        }

        @Override
        protected void supply(final int from, final int to)
        {
            System.arraycopy(source, from, array(), from, to - from);
            copies++;
        }
    }

    /** A section read in place from a direct buffer, counting how often the loader takes more of it. */
    private static final class CountingInPlaceSection extends SectionBytes
    {
        int supplies;

        CountingInPlaceSection(final byte[] source)
        {
            super(1, direct(source));
        }

        @Override
        protected void supply(final int from, final int to)
        {
            supplies++;
        }
    }

    /** The two ways a loader gets a section. */
    enum Access
    {
        COPIED,
        IN_PLACE;

        SectionBytes section(final byte[] data)
        {
            return this == COPIED ? SectionBytes.of(0, data) : SectionBytes.inPlace(0, direct(data));
        }
    }

    /** The bytes in a direct buffer, as a mapped file's section would be. */
    public static ByteBuffer direct(final byte[] data)
    {
        return ByteBuffer.allocateDirect(data.length).put(data).flip();
    }

    private static byte[] entry(final byte[] key, final byte[] value)
    {
        final byte[] data = new byte[key.length + Long.BYTES + value.length];
        System.arraycopy(key, 0, data, 0, key.length);
        System.arraycopy(value, 0, data, key.length + Long.BYTES, value.length);
        return data;
    }

    private static int compareUtf8(final Key a, final Key b)
    {
        return Arrays.compareUnsigned(a.text().getBytes(StandardCharsets.UTF_8),
            b.text().getBytes(StandardCharsets.UTF_8));
    }
}
