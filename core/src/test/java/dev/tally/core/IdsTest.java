/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RunId}, {@link TxId} and {@link IdGenerator}: strict parsing, unsigned order, deterministic generation. */
@Timeout(10)
class IdsTest
{
    private static final String CANONICAL = "00112233-4455-6677-8899-aabbccddeeff";
    private static final UUID CANONICAL_UUID = new UUID(0x0011223344556677L, 0x8899aabbccddeeffL);

    /** Both id types behind one shape: parse, toString, wrap a UUID, compare. */
    private record IdKind<T extends Comparable<T>>(
        Function<String, T> parse, Function<UUID, T> wrap, Function<T, UUID> unwrap)
    {
    }

    static Stream<Arguments> kinds()
    {
        return Stream.of(
            Arguments.of(Named.of("RunId", new IdKind<RunId>(RunId::parse, RunId::new, RunId::uuid))),
            Arguments.of(Named.of("TxId", new IdKind<TxId>(TxId::parse, TxId::new, TxId::uuid))));
    }

    static Stream<Arguments> nonCanonical()
    {
        final List<String> texts = List.of(
            "1-1-1-1-1",
            "00112233445566778899aabbccddeeff",
            "00112233-4455-6677-8899aabbccddeeff",
            "0011223-34455-6677-8899-aabbccddeeff",
            "00112233-4455-6677-8899-aabbccddeef",
            "00112233-4455-6677-8899-aabbccddeeff0",
            "00112233-4455-6677-8899-aabbccddeefg",
            "0011223z-4455-6677-8899-aabbccddeeff",
            "\uff10\uff10112233-4455-6677-8899-aabbccddeeff",
            "\u0660\u0660112233-4455-6677-8899-aabbccddeeff",
            "00112233-4455-6677-8899-aabbccddee\uff26\uff26",
            "00112233_4455_6677_8899_aabbccddeeff",
            "{0112233-4455-6677-8899-aabbccddeef}",
            " 0112233-4455-6677-8899-aabbccddeeff",
            "00112233-4455-6677-8899-aabbccddeef ",
            "+0112233-4455-6677-8899-aabbccddeeff",
            "00112233-+455-6677-8899-aabbccddeeff",
            "urn:uuid:00112233-4455-6677-8899-aabbccddeeff",
            "",
            "------------------------------------");
        final List<Arguments> rows = new ArrayList<>();
        kinds().forEach(kind -> texts.forEach(text -> rows.add(Arguments.of(kind.get()[0], text))));
        kinds().forEach(kind -> rows.add(Arguments.of(kind.get()[0], null)));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kinds")
    <T extends Comparable<T>> void shouldRoundTripWhenFormattedAndParsed(final IdKind<T> kind)
    {
        final T id = kind.parse().apply(CANONICAL);
        assertEquals(CANONICAL_UUID, kind.unwrap().apply(id));
        assertEquals(CANONICAL, id.toString());
        for (int i = 0; i < 100; i++)
        {
            final T random = kind.wrap().apply(UUID.randomUUID());
            assertEquals(random, kind.parse().apply(random.toString()));
        }
        final T extreme = kind.wrap().apply(new UUID(-1L, Long.MIN_VALUE));
        assertEquals("ffffffff-ffff-ffff-8000-000000000000", extreme.toString());
        assertEquals(extreme, kind.parse().apply(extreme.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <T extends Comparable<T>> void shouldAcceptUpperAndMixedCaseWhenHexIsValid(final IdKind<T> kind)
    {
        final T lower = kind.parse().apply(CANONICAL);
        assertEquals(lower, kind.parse().apply(CANONICAL.toUpperCase(Locale.ROOT)));
        assertEquals(lower, kind.parse().apply("00112233-4455-6677-8899-AaBbCcDdEeFf"));
        assertEquals(CANONICAL, kind.parse().apply("00112233-4455-6677-8899-AABBCCDDEEFF").toString());
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("nonCanonical")
    <T extends Comparable<T>> void shouldRejectTextWhenNotCanonicalUuid(final IdKind<T> kind, final String text)
    {
        final InvalidArgumentException ex =
            assertThrows(InvalidArgumentException.class, () -> kind.parse().apply(text));
        assertEquals(ErrorCode.INVALID_ID, ex.code());
        assertTrue(ex.getMessage().endsWith("[0.1/INVALID_ID:108]"), ex.getMessage());
    }

    @Test
    void shouldShowThatJdkParserIsLaxWhenGivenShortForm()
    {
        // The JDK accepts this short form; our parser must not (see the rejection table above).
        assertEquals(new UUID(0x0000000100010001L, 0x0001000000000001L), UUID.fromString("1-1-1-1-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <T extends Comparable<T>> void shouldCompareUnsignedWhenHighBitIsSet(final IdKind<T> kind)
    {
        final T small = kind.wrap().apply(new UUID(0x7fffffffffffffffL, 0L));
        final T large = kind.wrap().apply(new UUID(0x8000000000000000L, 0L));
        assertTrue(small.compareTo(large) < 0, "0x7f.. < 0x80.. unsigned");
        assertTrue(large.compareTo(small) > 0);
        assertTrue(new UUID(0x7fffffffffffffffL, 0L).compareTo(new UUID(0x8000000000000000L, 0L)) > 0,
            "UUID.compareTo is signed, so the id order differs from it");

        final T lowOne = kind.wrap().apply(new UUID(5L, 1L));
        final T lowMax = kind.wrap().apply(new UUID(5L, -1L));
        assertTrue(lowOne.compareTo(lowMax) < 0);
        assertTrue(kind.wrap().apply(new UUID(4L, -1L)).compareTo(lowOne) < 0);
        assertEquals(0, lowOne.compareTo(kind.wrap().apply(new UUID(5L, 1L))));

        // Unsigned order agrees with the order of the canonical strings.
        final T zero = kind.parse().apply("00000000-0000-0000-0000-000000000000");
        final T max = kind.parse().apply("ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertTrue(zero.compareTo(max) < 0);
        assertTrue(zero.toString().compareTo(max.toString()) < 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <T extends Comparable<T>> void shouldRejectNullUuidWhenIdIsWrapped(final IdKind<T> kind)
    {
        assertEquals(ErrorCode.INVALID_ID,
            assertThrows(InvalidArgumentException.class, () -> kind.wrap().apply(null)).code());
    }

    @Test
    void shouldBuildIdsFromHalvesWhenReadFromDisk()
    {
        assertEquals(RunId.parse(CANONICAL), RunId.of(0x0011223344556677L, 0x8899aabbccddeeffL));
        assertEquals(TxId.parse(CANONICAL), TxId.of(0x0011223344556677L, 0x8899aabbccddeeffL));
        assertNotEquals(RunId.random(), RunId.random());
        assertNotEquals(TxId.random(), TxId.random());
    }

    @Test
    void shouldGiveSameSequenceWhenSeedIsSame()
    {
        final IdGenerator a = IdGenerator.seeded(42L);
        final IdGenerator b = IdGenerator.seeded(42L);
        final IdGenerator other = IdGenerator.seeded(43L);
        final Set<UUID> seen = new HashSet<>();
        boolean differs = false;
        for (int i = 0; i < 1_000; i++)
        {
            final UUID next = a.nextUuid();
            assertEquals(next, b.nextUuid(), "i=" + i);
            assertEquals(4, next.version(), "random-based version");
            assertEquals(2, next.variant(), "IETF variant");
            assertTrue(seen.add(next), "repeated id at i=" + i);
            differs |= !next.equals(other.nextUuid());
        }
        assertTrue(differs, "seeds 42 and 43 gave the same sequence");
        assertEquals(IdGenerator.seeded(7L).nextRunId().uuid(), IdGenerator.seeded(7L).nextUuid());
        assertEquals(IdGenerator.seeded(7L).nextTxId().uuid(), IdGenerator.seeded(7L).nextUuid());
    }

    @Test
    void shouldMakeVersionFourIdsWhenGeneratorIsRandom()
    {
        final IdGenerator random = IdGenerator.random();
        final UUID first = random.nextUuid();
        assertEquals(4, first.version());
        assertNotEquals(first, random.nextUuid());
    }
}
