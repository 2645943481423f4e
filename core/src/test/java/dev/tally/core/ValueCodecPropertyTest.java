/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import dev.tally.core.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded round trips of random values through {@link ValueCodec}, and the equality rules of {@link Value}. Every
 * failure message names its seed; {@code -Dtests.seed=<seed>} replays it.
 */
@Timeout(20)
class ValueCodecPropertyTest
{
    private static final int VALUES_PER_SEED = 10_000;
    private static final long CANONICAL_NAN_BITS = 0x7ff8000000000000L;

    static List<Long> seeds()
    {
        return Seeds.seeds(1L, 42L, 0xdecafbadL);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldRoundTripExactlyWhenValuesAreRandom(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] tagCounts = new int[6];
        for (int i = 0; i < VALUES_PER_SEED; i++)
        {
            final Value value = randomValue(random);
            final String where = Seeds.describe(seed) + ", i=" + i + ", value=" + value;
            tagCounts[value.tag()]++;

            try
            {
                assertRoundTrip(value, where);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("unexpected exception, " + where, ex);
            }
        }
        for (int tag = 0; tag < tagCounts.length; tag++)
        {
            assertTrue(tagCounts[tag] > VALUES_PER_SEED / 20, Seeds.describe(seed) + ", tag " + tag + " too rare");
        }
    }

    private static void assertRoundTrip(final Value value, final String where)
    {
        final byte[] encoded = ValueCodec.encode(value);
        assertEquals(BinaryEncoder.encodedLength(value) + 1, encoded.length, where);
        assertEquals(BinaryEncoder.CODEC_VERSION, encoded[0], where);
        assertEquals(value.tag(), encoded[1], where);

        final Value decoded = ValueCodec.decode(encoded);
        assertEquals(value, decoded, where);
        assertEquals(value.hashCode(), decoded.hashCode(), where);
        assertArrayEquals(encoded, ValueCodec.encode(decoded), where);
        assertArrayEquals(encoded, ValueCodec.encode(value), where + " (encoding not deterministic)");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldReadBackSequenceWhenManyValuesShareOneEncoder(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Value> values = new ArrayList<>();
        final BinaryEncoder encoder = new BinaryEncoder(1);
        encoder.writeVersion();
        for (int i = 0; i < 500; i++)
        {
            final Value value = randomValue(random);
            values.add(value);
            encoder.writeValue(value);
        }
        final BinaryDecoder decoder = new BinaryDecoder(encoder.toByteArray());
        assertEquals(BinaryEncoder.CODEC_VERSION, decoder.readVersion(), Seeds.describe(seed));
        for (int i = 0; i < values.size(); i++)
        {
            assertEquals(values.get(i), decoder.readValue(), Seeds.describe(seed) + ", i=" + i);
        }
        assertEquals(0, decoder.remaining(), Seeds.describe(seed));
        decoder.expectEnd();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldEncodeOnlyCanonicalNanWhenNanHasRandomBits(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 1_000; i++)
        {
            final long bits = randomNanBits(random);
            final double nan = Double.longBitsToDouble(bits);
            assertTrue(Double.isNaN(nan));
            final Value value = Value.of(nan);
            final String where = Seeds.describe(seed) + ", bits=0x" + Long.toHexString(bits);
            assertEquals(Value.of(Double.NaN), value, where);
            assertEquals(Value.of(Double.NaN).hashCode(), value.hashCode(), where);
            assertEquals(CANONICAL_NAN_BITS, Double.doubleToRawLongBits(((Value.F64)value).value()), where);
            assertEquals("01037ff8000000000000", HexFormat.of().formatHex(ValueCodec.encode(value)), where);
        }
    }

    @Test
    void shouldTreatNanAsOneValueEqualToItselfWhenBitPatternsDiffer()
    {
        final Value canonical = Value.of(Double.NaN);
        assertEquals(canonical, canonical);
        for (final long bits : new long[] {0x7ff0000000000001L, 0x7ff8000000000001L, 0x7fffffffffffffffL,
            0xfff0000000000001L, 0xfff8000000000000L, 0xffffffffffffffffL})
        {
            final Value other = Value.of(Double.longBitsToDouble(bits));
            assertEquals(other, other);
            assertEquals(canonical, other, Long.toHexString(bits));
            assertEquals(other, canonical, Long.toHexString(bits));
            assertEquals(canonical.hashCode(), other.hashCode(), Long.toHexString(bits));
        }
        assertNotEquals(canonical, Value.of(Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldHoldCanonicalNanBitsWhenMadeFromAnyNan()
    {
        // Value.of(double) promises that every NaN becomes the canonical NaN; a caller writing value() with
        // doubleToRawLongBits (as buffer libraries do) must get the same bytes for every NaN.
        for (final long bits : new long[] {0x7ff0000000000001L, 0xfff8000000000000L, 0x7fffffffffffffffL})
        {
            final double nan = Double.longBitsToDouble(bits);
            assertEquals(CANONICAL_NAN_BITS, Double.doubleToRawLongBits(Value.of(nan).value()), Long.toHexString(bits));
            assertEquals(CANONICAL_NAN_BITS, Double.doubleToRawLongBits(new Value.F64(nan).value()),
                Long.toHexString(bits));
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Value.of(-0.0).value()));
    }

    @Test
    void shouldDistinguishZerosWhenSignDiffers()
    {
        assertNotEquals(Value.of(0.0), Value.of(-0.0));
        assertNotEquals(Value.of(-0.0), Value.of(0.0));
        assertEquals(Value.of(-0.0), Value.of(-0.0));
        assertEquals(Value.of(0.0), Value.of(0.0));
        assertNotEquals(Value.of(0.0).hashCode(), Value.of(-0.0).hashCode());
        final Value negativeZero = ValueCodec.decode(ValueCodec.encode(Value.of(-0.0)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(((Value.F64)negativeZero).value()));
    }

    @Test
    void shouldNeverBeEqualWhenVariantsDiffer()
    {
        final Value[] values = {
            Value.NULL, Value.FALSE, Value.TRUE, Value.of(0L), Value.of(1L), Value.of(0.0), Value.of(1.0),
            Value.of(""), Value.of("0"), Value.of("1"), Value.of("true"), Value.of("Null"),
            Value.of(new byte[0]), Value.of(new byte[] {0}), Value.of(new byte[] {1})};
        for (int i = 0; i < values.length; i++)
        {
            for (int j = 0; j < values.length; j++)
            {
                assertEquals(i == j, values[i].equals(values[j]), values[i] + " vs " + values[j]);
            }
            assertFalse(values[i].equals(null), values[i].toString());
        }
        // Same bits, different variants: I64 0 and F64 0.0 both encode eight zero bytes.
        assertNotEquals(Value.of(0L), Value.of(0.0));
        assertNotEquals(Value.of(Double.doubleToLongBits(1.0)), Value.of(1.0));
        assertNotEquals(Value.of(""), Value.of(new byte[0]));
    }

    @Test
    void shouldCompareBytesByContentWhenArraysAreDifferentObjects()
    {
        final Value.Bytes a = Value.of(new byte[] {1, 2, 3});
        final Value.Bytes b = Value.of(new byte[] {1, 2, 3});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Value.of(new byte[] {1, 2}));
        assertNotEquals(a, Value.of(new byte[] {1, 2, 4}));
        assertEquals(3, a.length());
    }

    @Test
    void shouldStayUnchangedWhenInputOrReturnedArrayIsMutated()
    {
        final byte[] input = {10, 20, 30};
        final Value.Bytes value = Value.of(input);
        input[0] = 99;
        assertArrayEquals(new byte[] {10, 20, 30}, value.value());

        final byte[] returned = value.value();
        returned[1] = 99;
        assertArrayEquals(new byte[] {10, 20, 30}, value.value());
        assertNotSame(value.value(), value.value());
        assertEquals(Value.of(new byte[] {10, 20, 30}), value);

        final byte[] encoded = ValueCodec.encode(value);
        final Value.Bytes decoded = (Value.Bytes)ValueCodec.decode(encoded);
        encoded[3] = 99;
        assertArrayEquals(new byte[] {10, 20, 30}, decoded.value());
    }

    @Test
    void shouldReturnSingletonsWhenBooleansAndNullAreMade()
    {
        assertSame(Value.TRUE, Value.of(true));
        assertSame(Value.FALSE, Value.of(false));
        assertSame(Value.NULL, ValueCodec.decode(new byte[] {1, 0}));
        assertEquals(Value.TRUE, new Value.Bool(true));
    }

    @Test
    void shouldRejectWhenTextOrBytesAreInvalid()
    {
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(InvalidArgumentException.class, () -> Value.of((String)null)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(InvalidArgumentException.class, () -> Value.of((byte[])null)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(InvalidArgumentException.class, () -> Value.of("a\ud800")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(InvalidArgumentException.class, () -> Value.of("\udc00b")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(InvalidArgumentException.class, () -> new BinaryEncoder().writeString("\ud800")).code());
    }

    static Value randomValue(final SplittableRandom random)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return Value.NULL;
            case 1:
                return Value.of(random.nextBoolean());
            case 2:
                return Value.of(randomLong(random));
            case 3:
                return Value.of(randomDouble(random));
            case 4:
                return Value.of(randomString(random));
            default:
                return Value.of(randomBytes(random));
        }
    }

    private static long randomLong(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                final long[] edges = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, 255L, -256L};
                return edges[random.nextInt(edges.length)];
            case 1:
                return random.nextLong(-1_000, 1_000);
            default:
                return random.nextLong();
        }
    }

    static double randomDouble(final SplittableRandom random)
    {
        switch (random.nextInt(5))
        {
            case 0:
                final double[] edges = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
                    1.5, 0.1, -1.0 / 3.0};
                return edges[random.nextInt(edges.length)];
            case 1:
                return Double.longBitsToDouble(randomNanBits(random));
            case 2:
                // Subnormal, either sign.
                return Double.longBitsToDouble((random.nextLong() & 0x800fffffffffffffL) | 1L);
            default:
                return Double.longBitsToDouble(random.nextLong());
        }
    }

    static long randomNanBits(final SplittableRandom random)
    {
        final long fraction = random.nextLong() & 0x000fffffffffffffL;
        final long sign = random.nextBoolean() ? 0x8000000000000000L : 0L;
        return sign | 0x7ff0000000000000L | (fraction == 0 ? 1L : fraction);
    }

    static String randomString(final SplittableRandom random)
    {
        final int length = random.nextInt(8) == 0 ? random.nextInt(300) : random.nextInt(12);
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            text.appendCodePoint(randomCodePoint(random));
        }
        return text.toString();
    }

    static int randomCodePoint(final SplittableRandom random)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return random.nextInt(0x80);
            case 1:
                return random.nextInt(0x80, 0x800);
            case 2:
                final int bmp = random.nextInt(0x800, 0x10000 - 0x800);
                return bmp < 0xd800 ? bmp : bmp + 0x800;
            case 3:
                return random.nextInt(0x10000, 0x110000);
            case 4:
                final int[] edges = {0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xfffe, 0xffff,
                    0x10000, 0x1f600, 0x10ffff};
                return edges[random.nextInt(edges.length)];
            default:
                return random.nextInt(0x20, 0x7f);
        }
    }

    static byte[] randomBytes(final SplittableRandom random)
    {
        final int length = random.nextInt(8) == 0 ? random.nextInt(300) : random.nextInt(16);
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
