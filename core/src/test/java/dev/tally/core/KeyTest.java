/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import dev.tally.core.testing.Seeds;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class KeyTest
{
    private static final String EMOJI = "\ud83d\ude00";

    /** Rows: a name, the key text, and the expected error code, or {@code null} when the key is accepted. */
    static Stream<Arguments> keyTable()
    {
        return Stream.of(
            row("plain ASCII", "a", null),
            row("namespaced ASCII", "user:42/profile", null),
            row("path-like dots", "..", null),
            row("lone high surrogate", "\ud83d", ErrorCode.INVALID_KEY),
            row("lone low surrogate", "\ude00", ErrorCode.INVALID_KEY),
            row("reversed surrogate pair", "\ude00\ud83d", ErrorCode.INVALID_KEY),
            row("high surrogate before ASCII", "a\ud83db", ErrorCode.INVALID_KEY),
            row("high surrogate at end", "abc\ud83d", ErrorCode.INVALID_KEY),
            row("two high surrogates", "\ud83d\ud83d\ude00", ErrorCode.INVALID_KEY),
            row("valid surrogate pair (emoji)", EMOJI, null),
            row("NUL alone", "\u0000", ErrorCode.INVALID_KEY),
            row("NUL inside", "a\u0000b", ErrorCode.INVALID_KEY),
            row("NUL at end", "ab\u0000", ErrorCode.INVALID_KEY),
            row("empty", "", ErrorCode.INVALID_KEY),
            row("null", null, ErrorCode.INVALID_KEY),
            row("1024 ASCII bytes", "k".repeat(1024), null),
            row("1025 ASCII bytes", "k".repeat(1025), ErrorCode.KEY_TOO_LARGE),
            row("1024 bytes of 2-byte chars", "\u00e9".repeat(512), null),
            row("1026 bytes of 2-byte chars", "\u00e9".repeat(513), ErrorCode.KEY_TOO_LARGE),
            row("1025 bytes, 2-byte chars plus ASCII", "\u00e9".repeat(512) + "a", ErrorCode.KEY_TOO_LARGE),
            row("1024 chars that are 2048 bytes", "\u00e9".repeat(1024), ErrorCode.KEY_TOO_LARGE),
            row("1024 bytes of 3-byte chars plus ASCII", "\u20ac".repeat(341) + "a", null),
            row("1025 bytes of 3-byte chars plus ASCII", "\u20ac".repeat(341) + "ab", ErrorCode.KEY_TOO_LARGE),
            row("1026 bytes of 3-byte chars", "\u20ac".repeat(342), ErrorCode.KEY_TOO_LARGE),
            row("1024 bytes of 4-byte chars", EMOJI.repeat(256), null),
            row("1028 bytes of 4-byte chars", EMOJI.repeat(257), ErrorCode.KEY_TOO_LARGE),
            row("1025 bytes, 4-byte chars plus ASCII", EMOJI.repeat(255) + "abcde", ErrorCode.KEY_TOO_LARGE),
            row("NFC e-acute", "caf\u00e9", null),
            row("NFD e plus combining acute", "cafe\u0301", null),
            row("stacked combining marks", "a\u0301\u0302\u0303", null),
            row("ZWJ family emoji", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", null),
            row("flag from regional indicators", "\ud83c\uddef\ud83c\uddf5", null),
            row("skin tone modifier", "\ud83d\udc4d\ud83c\udffd", null),
            row("mixed scripts",
                "latin-\u043a\u0438\u0440-\u6f22\u5b57-\u0639\u0631\u0628\u064a-\u0926\u0947\u0935", null),
            row("whitespace only", " ", null),
            row("tabs and newlines only", "\t\n\r ", null),
            row("C0 controls and DEL", "\u0001\u001f\u007f", null),
            row("C1 controls", "\u0080\u0085\u009f", null),
            row("U+FFFF noncharacter", "\uffff", null),
            row("U+FFFE noncharacter", "\ufffe", null),
            row("U+FEFF BOM at start", "\ufeffkey", null),
            row("U+FFFD replacement character", "\ufffd", null),
            row("BMP private use U+E000", "\ue000", null),
            row("supplementary private use U+F0000", "\udb80\udc00", null),
            row("U+10FFFF", "\udbff\udfff", null),
            row("right-to-left override", "\u202eabc", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTable")
    void shouldAcceptOrRejectWhenKeyIsFromTable(final String text, final ErrorCode expected)
    {
        if (expected == null)
        {
            final Key key = Key.of(text);
            final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(text, key.text());
            assertEquals(text, key.toString());
            assertArrayEquals(utf8, key.toUtf8());
            assertEquals(utf8.length, key.encodedLength());
            assertTrue(key.encodedLength() <= Key.LENGTH_MAX);
            assertEquals(key, Key.fromUtf8(utf8));
            assertEquals(text, Key.fromUtf8(utf8).text());
        }
        else
        {
            final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class, () -> Key.of(text));
            assertEquals(expected, ex.code());
            assertTrue(ex.getMessage().endsWith("[0.1/" + expected.name() + ":" + expected.number() + "]"),
                ex.getMessage());
        }
    }

    @Test
    void shouldHaveAtLeastThirtyRowsWhenTableIsListed()
    {
        assertTrue(keyTable().count() >= 30);
    }

    @Test
    void shouldTreatNfcAndNfdAsDifferentKeysWhenTextIsCanonicallyEquivalent()
    {
        final String nfc = "caf\u00e9";
        final String nfd = "cafe\u0301";
        assertEquals(nfc, Normalizer.normalize(nfd, Normalizer.Form.NFC));
        assertNotEquals(Key.of(nfc), Key.of(nfd));
        assertEquals(5, Key.of(nfc).encodedLength());
        assertEquals(6, Key.of(nfd).encodedLength());
        assertEquals(nfd, Key.of(nfd).text());
    }

    @Test
    void shouldOrderByUtf8BytesWhenUtf16OrderDiffers()
    {
        final Key halfwidth = Key.of("\uff61");
        final Key emoji = Key.of(EMOJI);
        assertArrayEquals(HexFormat.of().parseHex("efbda1"), halfwidth.toUtf8());
        assertArrayEquals(HexFormat.of().parseHex("f09f9880"), emoji.toUtf8());
        assertTrue("\uff61".compareTo(EMOJI) > 0, "UTF-16 order puts U+FF61 after the surrogate pair");
        assertTrue(halfwidth.compareTo(emoji) < 0, "UTF-8 order puts U+FF61 before U+1F600");
        assertTrue(emoji.compareTo(halfwidth) > 0);
    }

    @Test
    void shouldCompareUnsignedWhenBytesHaveHighBit()
    {
        assertTrue(Key.of("z").compareTo(Key.of("\u00e9")) < 0, "0x7a < 0xc3 unsigned");
        assertTrue(Key.of("\u007f").compareTo(Key.of("\u0080")) < 0);
        assertTrue(Key.of("Z").compareTo(Key.of("a")) < 0);
        assertTrue(Key.of("a").compareTo(Key.of("ab")) < 0);
        assertTrue(Key.of("ab").compareTo(Key.of("b")) < 0);
        assertEquals(0, Key.of("same").compareTo(Key.of("same")));
    }

    static List<Long> seeds()
    {
        return Seeds.seeds(1L, 0x5eedL);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldOrderLikeUnsignedUtf8AndCodePointsWhenKeysAreRandom(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 2_000; i++)
        {
            keys.add(Key.of(randomKeyText(random)));
        }
        final List<Key> byKey = new ArrayList<>(keys);
        byKey.sort(Comparator.naturalOrder());
        final List<Key> byBytes = new ArrayList<>(keys);
        byBytes.sort((a, b) -> Arrays.compareUnsigned(
            a.text().getBytes(StandardCharsets.UTF_8), b.text().getBytes(StandardCharsets.UTF_8)));
        final List<Key> byCodePoints = new ArrayList<>(keys);
        byCodePoints.sort((a, b) -> Arrays.compare(a.text().codePoints().toArray(), b.text().codePoints().toArray()));
        assertEquals(byBytes, byKey, Seeds.describe(seed));
        assertEquals(byCodePoints, byKey, Seeds.describe(seed));
        for (final Key key : keys)
        {
            assertEquals(key, Key.fromUtf8(key.toUtf8()), Seeds.describe(seed));
            assertEquals(Integer.signum(key.compareTo(byKey.get(0))), key.equals(byKey.get(0)) ? 0 : 1,
                Seeds.describe(seed));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldCompareWithStoredKeysInArraysAndBuffersOfEitherByteOrderAsCompareToDoes(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 3_000; i++)
        {
            // Pairs that often share a prefix, so every word and byte position decides some comparison.
            final String shared = randomKeyText(random);
            final Key a = Key.of(shared + (random.nextBoolean() ? randomKeyText(random) : ""));
            final Key b = Key.of(random.nextInt(4) == 0 ? a.text() : shared + randomKeyText(random));
            final byte[] stored = b.toUtf8();
            final byte[] padded = new byte[stored.length + 7];
            System.arraycopy(stored, 0, padded, 3, stored.length);
            final int expected = Integer.signum(a.compareTo(b));
            final String context = Seeds.describe(seed) + ", " + a + " vs " + b;
            assertEquals(expected, Integer.signum(a.compareToUtf8(padded, 3, 3 + stored.length)), context);
            for (final ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN,
                ByteOrder.LITTLE_ENDIAN})
            {
                final ByteBuffer buffer = ByteBuffer.wrap(padded).order(order);
                assertEquals(expected, Integer.signum(a.compareToUtf8(buffer, 3, 3 + stored.length)), context);
                assertEquals(b.startsWith(a), a.isPrefixOfUtf8(buffer, 3, 3 + stored.length), context);
            }
        }
    }

    @Test
    void shouldBeEqualWithSameHashWhenTextIsEqual()
    {
        final Key a = Key.of("k\u00e9y");
        final Key b = Key.of(new String("k\u00e9y".toCharArray()));
        assertEquals(a, b);
        assertEquals(b, a);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.hashCode(), a.hashCode());
        assertEquals(0, a.compareTo(b));
        assertNotEquals(a, Key.of("key"));
        assertNotEquals(a, Key.of("K\u00e9y"));
        assertFalse(a.equals(null));
        assertFalse(a.equals((Object)"k\u00e9y"));
    }

    @Test
    void shouldReturnCopyWhenUtf8IsTaken()
    {
        final Key key = Key.of("abc");
        final byte[] copy = key.toUtf8();
        copy[0] = 'z';
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, key.toUtf8());
        assertEquals(Key.of("abc"), key);

        final byte[] stored = {'x', 'y'};
        final Key decoded = Key.fromUtf8(stored);
        stored[0] = 'q';
        assertEquals("xy", decoded.text());
    }

    static Stream<Arguments> invalidUtf8()
    {
        return Stream.of(
            utf8Row("overlong slash C0 AF", "c0af"),
            utf8Row("overlong NUL C0 80 (modified UTF-8)", "c080"),
            utf8Row("overlong 2-byte C1 BF", "c1bf"),
            utf8Row("overlong 3-byte E0 80 AF", "e080af"),
            utf8Row("overlong 3-byte E0 9F BF", "e09fbf"),
            utf8Row("overlong 4-byte F0 80 80 AF", "f08080af"),
            utf8Row("overlong 4-byte F0 8F BF BF", "f08fbfbf"),
            utf8Row("encoded high surrogate ED A0 80", "eda080"),
            utf8Row("encoded low surrogate ED BF BF", "edbfbf"),
            utf8Row("CESU-8 surrogate pair", "eda0bdedb880"),
            utf8Row("truncated 2-byte C3", "61c3"),
            utf8Row("truncated 3-byte E2 82", "e282"),
            utf8Row("truncated 4-byte F0 9F 98", "f09f98"),
            utf8Row("truncated then ASCII", "e28261"),
            utf8Row("above U+10FFFF F4 90 80 80", "f4908080"),
            utf8Row("lead byte F5", "f5808080"),
            utf8Row("5-byte form F8", "f888808080"),
            utf8Row("byte FE", "fe"),
            utf8Row("byte FF", "ff"),
            utf8Row("lone continuation 80", "80"),
            utf8Row("continuation after ASCII", "61bf"),
            utf8Row("empty key", ""),
            utf8Row("NUL byte", "00"),
            utf8Row("NUL inside", "610062"),
            utf8Row("1025 bytes", "6b".repeat(1025)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void shouldRaiseCorruptDataWhenStoredBytesAreNotAValidKey(final byte[] utf8)
    {
        final CorruptDataException ex = assertThrows(CorruptDataException.class, () -> Key.fromUtf8(utf8));
        assertEquals(ErrorCode.CORRUPT_DATA, ex.code());
    }

    @Test
    void shouldKeepCauseWhenStoredKeyBreaksKeyRule()
    {
        final CorruptDataException ex = assertThrows(CorruptDataException.class, () -> Key.fromUtf8(new byte[0]));
        final InvalidArgumentException cause = assertInstanceOf(InvalidArgumentException.class, ex.getCause());
        assertSame(ErrorCode.INVALID_KEY, cause.code());
    }

    @Test
    void shouldMatchBytePrefixWhenStartsWithIsAsked()
    {
        final Key key = Key.of("user:1");
        assertTrue(key.startsWith(Key.of("user:")));
        assertTrue(key.startsWith(Key.of("u")));
        assertTrue(key.startsWith(key));
        assertFalse(key.startsWith(Key.of("user:10")));
        assertFalse(key.startsWith(Key.of("user;")));
        assertFalse(Key.of("user").startsWith(Key.of("user:")));
        assertTrue(Key.of(EMOJI + "x").startsWith(Key.of(EMOJI)));
        assertFalse(Key.of("cafe\u0301").startsWith(Key.of("caf\u00e9")));
        assertTrue(Key.of("cafe\u0301").startsWith(Key.of("cafe")));
    }

    private static String randomKeyText(final SplittableRandom random)
    {
        final int codePoints = 1 + random.nextInt(6);
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++)
        {
            int cp;
            switch (random.nextInt(4))
            {
                case 0:
                    cp = 1 + random.nextInt(0x7f);
                    break;
                case 1:
                    cp = 0x80 + random.nextInt(0x800 - 0x80);
                    break;
                case 2:
                    cp = 0x800 + random.nextInt(0x10000 - 0x800);
                    if (cp >= 0xd800 && cp <= 0xdfff)
                    {
                        cp = 0xff61;
                    }
                    break;
                default:
                    cp = 0x10000 + random.nextInt(0x110000 - 0x10000);
                    break;
            }
            text.appendCodePoint(cp);
        }
        return text.toString();
    }

    private static Arguments row(final String name, final String text, final ErrorCode expected)
    {
        return Arguments.of(Named.of(name, text), expected);
    }

    private static Arguments utf8Row(final String name, final String hex)
    {
        return Arguments.of(Named.of(name, HexFormat.of().parseHex(hex)));
    }
}
