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

import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden vectors for the on-disk value encoding. Every expected byte string below was worked out by hand from the
 * format documented in {@link ValueCodec} and {@link BinaryEncoder} (version byte 0x01, tag, big-endian fixed-width
 * bodies, minimal LEB128 lengths, strict UTF-8), never by running the encoder. A failure here means the format
 * changed: that needs a new codec version, not a new vector.
 */
@Timeout(10)
class ValueCodecFormatTest
{
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> goldenValues()
    {
        return Stream.of(
            golden("Null", Value.NULL, "01" + "00"),
            golden("true", Value.of(true), "01" + "01" + "01"),
            golden("false", Value.of(false), "01" + "01" + "00"),
            golden("I64 0", Value.of(0L), "01" + "02" + "0000000000000000"),
            golden("I64 1", Value.of(1L), "01" + "02" + "0000000000000001"),
            golden("I64 -1", Value.of(-1L), "01" + "02" + "ffffffffffffffff"),
            golden("I64 Long.MIN_VALUE", Value.of(Long.MIN_VALUE), "01" + "02" + "8000000000000000"),
            golden("I64 Long.MAX_VALUE", Value.of(Long.MAX_VALUE), "01" + "02" + "7fffffffffffffff"),
            golden("I64 0x0102030405060708", Value.of(0x0102030405060708L), "01" + "02" + "0102030405060708"),
            golden("F64 0.0", Value.of(0.0), "01" + "03" + "0000000000000000"),
            golden("F64 -0.0", Value.of(-0.0), "01" + "03" + "8000000000000000"),
            golden("F64 NaN", Value.of(Double.NaN), "01" + "03" + "7ff8000000000000"),
            golden("F64 +Inf", Value.of(Double.POSITIVE_INFINITY), "01" + "03" + "7ff0000000000000"),
            golden("F64 -Inf", Value.of(Double.NEGATIVE_INFINITY), "01" + "03" + "fff0000000000000"),
            // 1.5 = 1.1b x 2^0: sign 0, biased exponent 0x3ff, fraction 0x8000000000000.
            golden("F64 1.5", Value.of(1.5), "01" + "03" + "3ff8000000000000"),
            // -2.0 = -1.0b x 2^1: sign 1, biased exponent 0x400, fraction 0.
            golden("F64 -2.0", Value.of(-2.0), "01" + "03" + "c000000000000000"),
            golden("F64 Double.MIN_VALUE", Value.of(Double.MIN_VALUE), "01" + "03" + "0000000000000001"),
            golden("F64 Double.MAX_VALUE", Value.of(Double.MAX_VALUE), "01" + "03" + "7fefffffffffffff"),
            golden("String empty", Value.of(""), "01" + "04" + "00"),
            golden("String a", Value.of("a"), "01" + "04" + "01" + "61"),
            golden("String NUL", Value.of("\u0000"), "01" + "04" + "01" + "00"),
            // h=68, U+00E9 = 110_00011 10_101001 = c3 a9, l=6c, l=6c, o=6f: six bytes.
            golden("String h\u00e9llo", Value.of("h\u00e9llo"), "01" + "04" + "06" + "68c3a96c6c6f"),
            // U+07FF, the last two-byte code point: 110_11111 10_111111.
            golden("String U+07FF", Value.of("\u07ff"), "01" + "04" + "02" + "dfbf"),
            // U+0800, the first three-byte code point: 1110_0000 10_100000 10_000000.
            golden("String U+0800", Value.of("\u0800"), "01" + "04" + "03" + "e0a080"),
            // U+20AC euro sign: 0010 000010 101100 -> e2 82 ac.
            golden("String U+20AC", Value.of("\u20ac"), "01" + "04" + "03" + "e282ac"),
            golden("String U+FFFF", Value.of("\uffff"), "01" + "04" + "03" + "efbfbf"),
            // U+1F600 = 000 011111 011000 000000 -> f0 9f 98 80.
            golden("String emoji U+1F600", Value.of("\ud83d\ude00"), "01" + "04" + "04" + "f09f9880"),
            // U+10FFFF = 100 001111 111111 111111 -> f4 8f bf bf.
            golden("String U+10FFFF", Value.of("\udbff\udfff"), "01" + "04" + "04" + "f48fbfbf"),
            // 127 bytes is the longest one-byte length.
            golden("String 127 x", Value.of("x".repeat(127)), "01" + "04" + "7f" + "78".repeat(127)),
            // 128 = 0b1_0000000: low group 0000000 | 0x80 = 80, then 01.
            golden("String 128 x", Value.of("x".repeat(128)), "01" + "04" + "8001" + "78".repeat(128)),
            // 200 = 0b1_1001000: low group 1001000 | 0x80 = c8, then 01.
            golden("String 200 x", Value.of("x".repeat(200)), "01" + "04" + "c801" + "78".repeat(200)),
            // 100 x U+00E9 is 200 bytes: the length counts bytes, not chars.
            golden("String 100 e-acute", Value.of("\u00e9".repeat(100)), "01" + "04" + "c801" + "c3a9".repeat(100)),
            golden("Bytes empty", Value.of(new byte[0]), "01" + "05" + "00"),
            golden("Bytes 00 ff 7f 80", Value.of(new byte[] {0x00, (byte)0xff, 0x7f, (byte)0x80}),
                "01" + "05" + "04" + "00ff7f80"),
            // 300 = 0b10_0101100: 0101100 | 0x80 = ac, then 02.
            golden("Bytes 300 x 0xab", Value.of(filled(300, (byte)0xab)), "01" + "05" + "ac02" + "ab".repeat(300)));
    }

    @ParameterizedTest
    @MethodSource("goldenValues")
    void shouldEncodeToGoldenBytesWhenValueIsFixed(final Value value, final String expectedHex)
    {
        assertEquals(expectedHex, HEX.formatHex(ValueCodec.encode(value)));
        assertEquals(expectedHex.length() / 2 - 1, BinaryEncoder.encodedLength(value));
    }

    @ParameterizedTest
    @MethodSource("goldenValues")
    void shouldDecodeGoldenBytesWhenValueIsFixed(final Value value, final String expectedHex)
    {
        final Value decoded = ValueCodec.decode(HEX.parseHex(expectedHex));
        assertEquals(value, decoded);
        assertEquals(value.tag(), decoded.tag());
        assertEquals(value.hashCode(), decoded.hashCode());
    }

    @Test
    void shouldEncodeCanonicalNanWhenNanHasOtherBitPattern()
    {
        for (final long bits : new long[] {0x7ff0000000000001L, 0xfff8000000000000L, 0x7fffffffffffffffL,
            0xffffffffffffffffL, 0x7ff8000000000001L})
        {
            final double nan = Double.longBitsToDouble(bits);
            assertEquals("01037ff8000000000000", HEX.formatHex(ValueCodec.encode(Value.of(nan))),
                "bits=" + Long.toHexString(bits));
        }
    }

    @Test
    void shouldUseFixedTagsWhenVariantsAreEncoded()
    {
        assertEquals(0, Value.Null.TAG);
        assertEquals(1, Value.Bool.TAG);
        assertEquals(2, Value.I64.TAG);
        assertEquals(3, Value.F64.TAG);
        assertEquals(4, Value.String.TAG);
        assertEquals(5, Value.Bytes.TAG);
        assertEquals(1, BinaryEncoder.CODEC_VERSION);
    }

    static Stream<Arguments> goldenVarints()
    {
        return Stream.of(
            Arguments.of(0L, "00"),
            Arguments.of(1L, "01"),
            Arguments.of(127L, "7f"),
            Arguments.of(128L, "8001"),
            // 300 = 0b10_0101100 -> ac 02.
            Arguments.of(300L, "ac02"),
            // 16383 = fourteen one bits -> ff 7f; 16384 = 2^14 -> 80 80 01.
            Arguments.of(16_383L, "ff7f"),
            Arguments.of(16_384L, "808001"),
            // 2^31 - 1: four groups of seven ones, then 0b111.
            Arguments.of((long)Integer.MAX_VALUE, "ffffffff07"),
            // 2^63 - 1: nine groups of seven ones.
            Arguments.of(Long.MAX_VALUE, "ffffffffffffffff7f"),
            // 2^63 (Long.MIN_VALUE as unsigned): nine groups of zeros, then the top bit.
            Arguments.of(Long.MIN_VALUE, "80808080808080808001"),
            // 2^64 - 1 (-1 as unsigned): nine groups of seven ones, then the last bit.
            Arguments.of(-1L, "ffffffffffffffffff01"));
    }

    @ParameterizedTest
    @MethodSource("goldenVarints")
    void shouldWriteGoldenVarintWhenValueIsFixed(final long value, final String expectedHex)
    {
        assertEquals(expectedHex, hex(e -> e.writeVarLong(value)));
        assertEquals(expectedHex.length() / 2, BinaryEncoder.varLongLength(value));
    }

    @ParameterizedTest
    @MethodSource("goldenVarints")
    void shouldReadGoldenVarintWhenValueIsFixed(final long value, final String expectedHex)
    {
        final BinaryDecoder decoder = new BinaryDecoder(HEX.parseHex(expectedHex));
        assertEquals(value, decoder.readVarLong());
        decoder.expectEnd();
        assertEquals(0, decoder.remaining());
    }

    @Test
    void shouldWriteBigEndianWhenIntegersAreFixedWidth()
    {
        assertEquals("01020304", hex(e -> e.writeInt(0x01020304)));
        assertEquals("ffffffff", hex(e -> e.writeInt(-1)));
        assertEquals("80000000", hex(e -> e.writeInt(Integer.MIN_VALUE)));
        assertEquals("7fffffff", hex(e -> e.writeInt(Integer.MAX_VALUE)));
        assertEquals("0102030405060708", hex(e -> e.writeLong(0x0102030405060708L)));
        assertEquals("fffffffffffffffe", hex(e -> e.writeLong(-2L)));
        assertEquals("8000000000000000", hex(e -> e.writeLong(Long.MIN_VALUE)));
        assertEquals("ff", hex(e -> e.writeByte(0x1ff)));
        assertEquals("0100", hex(e -> e.writeBoolean(true).writeBoolean(false)));
    }

    @Test
    void shouldReadBigEndianWhenIntegersAreFixedWidth()
    {
        final BinaryDecoder decoder = new BinaryDecoder(HEX.parseHex("01020304" + "80000000" + "0102030405060708" +
            "fffffffffffffffe" + "ff" + "01" + "00"));
        assertEquals(0x01020304, decoder.readInt());
        assertEquals(Integer.MIN_VALUE, decoder.readInt());
        assertEquals(0x0102030405060708L, decoder.readLong());
        assertEquals(-2L, decoder.readLong());
        assertEquals(0xff, decoder.readByte());
        assertEquals(true, decoder.readBoolean());
        assertEquals(false, decoder.readBoolean());
        decoder.expectEnd();
    }

    @Test
    void shouldWriteUuidAsTwoBigEndianLongsWhenUuidIsFixed()
    {
        final UUID uuid = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        assertEquals("00112233445566778899aabbccddeeff", hex(e -> e.writeUuid(uuid)));
        final BinaryDecoder decoder = new BinaryDecoder(HEX.parseHex("00112233445566778899aabbccddeeff"));
        assertEquals(uuid, decoder.readUuid());
        decoder.expectEnd();

        final UUID signed = new UUID(-1L, Long.MIN_VALUE);
        assertEquals("ffffffffffffffff8000000000000000", hex(e -> e.writeUuid(signed)));
    }

    @Test
    void shouldWriteLengthPrefixedFormsWhenStringsBytesAndKeysAreWritten()
    {
        assertEquals("06" + "68c3a96c6c6f", hex(e -> e.writeString("h\u00e9llo")));
        assertEquals("00", hex(e -> e.writeString("")));
        assertEquals("03" + "616263", hex(e -> e.writeBytes(new byte[] {0x61, 0x62, 0x63})));
        assertEquals("04" + "6b" + "e282ac", hex(e -> e.writeKey(Key.of("k\u20ac"))));
        assertEquals("0102", hex(e -> e.writeRaw(new byte[] {0, 1, 2, 3}, 1, 2)));
        assertEquals("01", hex(BinaryEncoder::writeVersion));
        assertEquals("01" + "04" + "01" + "61", hex(e -> e.writeVersion().writeValue(Value.of("a"))));
    }

    @Test
    void shouldReadLengthPrefixedFormsWhenGoldenBytesGiven()
    {
        final BinaryDecoder decoder = new BinaryDecoder(HEX.parseHex("0668c3a96c6c6f" + "03616263" + "046be282ac"));
        assertEquals("h\u00e9llo", decoder.readString());
        assertArrayEquals(new byte[] {0x61, 0x62, 0x63}, decoder.readBytes());
        assertEquals(Key.of("k\u20ac"), decoder.readKey());
        decoder.expectEnd();
    }

    @Test
    void shouldForgetWrittenBytesWhenReset()
    {
        final BinaryEncoder encoder = new BinaryEncoder(1);
        encoder.writeLong(1L).writeLong(2L).writeLong(3L);
        assertEquals(24, encoder.length());
        encoder.reset().writeByte(0x7f);
        assertEquals(1, encoder.length());
        assertEquals("7f", HEX.formatHex(encoder.toByteArray()));
        assertEquals(0x7f, encoder.buffer()[0]);
    }

    @Test
    void shouldNeverChangeReturnedArrayWhenEncoderWasExactlyFullAndIsWrittenAgain()
    {
        final Key key = Key.of("k1");
        final Value value = Value.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        final BinaryEncoder encoder =
            new BinaryEncoder(BinaryEncoder.encodedLength(key) + BinaryEncoder.encodedLength(value));
        final byte[] first = encoder.writeKey(key).writeValue(value).toByteArray();
        assertEquals(encoder.length(), first.length);
        assertEquals(first.length, BinaryEncoder.encodedLength(key) + BinaryEncoder.encodedLength(value));
        final String before = HEX.formatHex(first);
        encoder.reset().writeLong(-1L).writeLong(-1L);
        encoder.writeByte(0);
        assertEquals(before, HEX.formatHex(first), "a later write changed an array already handed out");
        assertEquals(17, encoder.toByteArray().length);
        final BinaryDecoder decoder = new BinaryDecoder(first);
        assertEquals(key, decoder.readKey());
        assertEquals(value, decoder.readValue());
        decoder.expectEnd();
    }

    @Test
    void shouldGiveDecodedBytesValueItsOwnArrayWhenInputChangesLater()
    {
        final byte[] encoded = new BinaryEncoder().writeValue(Value.of(new byte[] {5, 6, 7})).toByteArray();
        final Value decoded = new BinaryDecoder(encoded).readValue();
        Arrays.fill(encoded, (byte)0);
        assertEquals(Value.of(new byte[] {5, 6, 7}), decoded);
    }

    private static String hex(final Consumer<BinaryEncoder> write)
    {
        final BinaryEncoder encoder = new BinaryEncoder();
        write.accept(encoder);
        return HEX.formatHex(encoder.toByteArray());
    }

    private static byte[] filled(final int length, final byte b)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, b);
        return bytes;
    }

    private static Arguments golden(final String name, final Value value, final String hex)
    {
        return Arguments.of(Named.of(name, value), hex);
    }
}
