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

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bad input for {@link BinaryDecoder} and {@link ValueCodec#decode(byte[])}: every rejection is a
 * {@link CorruptDataException} with the right {@link ErrorCode}, never an index, array-size or memory error, and
 * nothing large is allocated on the say-so of a length prefix.
 */
@Timeout(30)
class BinaryDecoderTest
{
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> validEncodings()
    {
        return Stream.of(
            Value.NULL, Value.TRUE, Value.of(-1L), Value.of(Long.MIN_VALUE), Value.of(1.5), Value.of(Double.NaN),
            Value.of(""), Value.of("h\u00e9llo \ud83d\ude00"), Value.of("x".repeat(200)), Value.of(new byte[0]),
            Value.of(new byte[] {0, (byte)0xff, 0x7f, (byte)0x80}), Value.of(new byte[300]))
            .map(v -> Arguments.of(Named.of(v.toString().length() > 40 ? "long " + v.tag() : v.toString(), v)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEncodings")
    void shouldRaiseCorruptDataWhenEncodingIsTruncatedAtAnyLength(final Value value)
    {
        final byte[] encoded = ValueCodec.encode(value);
        for (int length = 0; length < encoded.length; length++)
        {
            final byte[] prefix = Arrays.copyOf(encoded, length);
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(prefix), "prefix length=" + length);
        }
        assertEquals(value, ValueCodec.decode(encoded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEncodings")
    void shouldSkipExactlyWhatReadValueReadsAndRejectWhatItRejects(final Value value)
    {
        final byte[] encoded = new BinaryEncoder().writeByte(0x5a).writeValue(value).writeByte(0xa5).toByteArray();
        final BinaryDecoder reader = new BinaryDecoder(encoded, 1, encoded.length - 1);
        assertEquals(value, reader.readValue());
        final BinaryDecoder skipper = new BinaryDecoder(encoded, 1, encoded.length - 1);
        skipper.skipValue();
        assertEquals(reader.offset(), skipper.offset());
        assertEquals(0xa5, skipper.readByte());
        final byte[] alone = new BinaryEncoder().writeValue(value).toByteArray();
        for (int length = 0; length < alone.length; length++)
        {
            final BinaryDecoder truncated = new BinaryDecoder(Arrays.copyOf(alone, length));
            assertCorrupt(ErrorCode.CORRUPT_DATA, truncated::skipValue, "prefix length=" + length);
        }
    }

    @Test
    void shouldRejectInvalidUtf8AndNonCanonicalNanWhenSkipping()
    {
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(HEX.parseHex("0402c328")).skipValue(), "utf8");
        assertCorrupt(ErrorCode.CORRUPT_DATA,
            () -> new BinaryDecoder(HEX.parseHex("037ff8000000000001")).skipValue(), "nan");
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(HEX.parseHex("09")).skipValue(), "tag");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEncodings")
    void shouldRaiseCorruptDataWhenTrailingBytesFollowEncoding(final Value value)
    {
        final byte[] encoded = ValueCodec.encode(value);
        for (final int extra : new int[] {0x00, 0x01, 0xff})
        {
            final byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
            longer[encoded.length] = (byte)extra;
            final CorruptDataException ex = assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(longer), "");
            assertTrue(ex.getMessage().contains("trailing bytes"), ex.getMessage());
        }
    }

    static Stream<Arguments> truncatedPrimitives()
    {
        return Stream.of(
            primitive("readByte", "7f", BinaryDecoder::readByte),
            primitive("readBoolean", "01", BinaryDecoder::readBoolean),
            primitive("readInt", "01020304", BinaryDecoder::readInt),
            primitive("readLong", "0102030405060708", BinaryDecoder::readLong),
            primitive("readUuid", "00112233445566778899aabbccddeeff", BinaryDecoder::readUuid),
            primitive("readVarLong", "ffffffffffffffffff01", BinaryDecoder::readVarLong),
            primitive("readBytes", "03616263", BinaryDecoder::readBytes),
            primitive("readString", "0668c3a96c6c6f", BinaryDecoder::readString),
            primitive("readKey", "04f09f9880", BinaryDecoder::readKey),
            primitive("readVersion", "01", BinaryDecoder::readVersion),
            primitive("readVersion then readValue", "01040161", d ->
            {
                d.readVersion();
                d.readValue();
            }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncatedPrimitives")
    void shouldRaiseCorruptDataWhenPrimitiveIsTruncated(final String hex, final Consumer<BinaryDecoder> read)
    {
        final byte[] whole = HEX.parseHex(hex);
        final BinaryDecoder full = new BinaryDecoder(whole);
        read.accept(full);
        full.expectEnd();
        for (int length = 0; length < whole.length; length++)
        {
            final BinaryDecoder decoder = new BinaryDecoder(Arrays.copyOf(whole, length));
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> read.accept(decoder), "prefix length=" + length);
        }
    }

    @Test
    void shouldStopAtSliceLimitWhenArrayHasMoreBytes()
    {
        final byte[] bytes = HEX.parseHex("ff" + "0102030405060708" + "ff");
        final BinaryDecoder slice = new BinaryDecoder(bytes, 1, 3);
        assertEquals(3, slice.remaining());
        assertEquals(1, slice.offset());
        assertCorrupt(ErrorCode.CORRUPT_DATA, slice::readInt, "readInt past slice");
        final BinaryDecoder exact = new BinaryDecoder(bytes, 1, 8);
        assertEquals(0x0102030405060708L, exact.readLong());
        assertEquals(9, exact.offset());
        exact.expectEnd();
        assertCorrupt(ErrorCode.CORRUPT_DATA, exact::readByte, "readByte at limit");

        assertThrows(IllegalArgumentException.class, () -> new BinaryDecoder(bytes, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> new BinaryDecoder(bytes, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new BinaryDecoder(bytes, 5, 6));
        assertThrows(IllegalArgumentException.class, () -> new BinaryDecoder(bytes, Integer.MAX_VALUE, 1));
    }

    static Stream<Arguments> nonMinimalVarints()
    {
        return Stream.of(
            Arguments.of(Named.of("0 in two bytes", "8000")),
            Arguments.of(Named.of("1 in two bytes", "8100")),
            Arguments.of(Named.of("127 in two bytes", "ff00")),
            Arguments.of(Named.of("0 in three bytes", "808000")),
            Arguments.of(Named.of("128 in three bytes", "808100")),
            Arguments.of(Named.of("0 in ten bytes", "80808080808080808000")),
            Arguments.of(Named.of("2^63-1 padded to ten bytes", "ffffffffffffffffff00")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonMinimalVarints")
    void shouldRejectVarintWhenNotMinimal(final String hex)
    {
        final CorruptDataException ex =
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(HEX.parseHex(hex)).readVarLong(), hex);
        assertTrue(ex.getMessage().contains("not minimal"), ex.getMessage());
        // The same bytes as a string length inside a value.
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(HEX.parseHex("0104" + hex)), hex);
    }

    static Stream<Arguments> overflowingVarints()
    {
        return Stream.of(
            Arguments.of(Named.of("tenth byte 02 (2^64)", "80808080808080808002")),
            Arguments.of(Named.of("tenth byte 7f", "ffffffffffffffffff7f")),
            Arguments.of(Named.of("tenth byte continues", "ffffffffffffffffff81")),
            Arguments.of(Named.of("eleven bytes", "8080808080808080808001")),
            Arguments.of(Named.of("twelve 0xff", "ffffffffffffffffffffffff")),
            Arguments.of(Named.of("tenth byte 80", "80808080808080808080")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overflowingVarints")
    void shouldRejectVarintWhenLongerThanTenBytesOrOverflowing(final String hex)
    {
        final CorruptDataException ex =
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(HEX.parseHex(hex)).readVarLong(), hex);
        assertTrue(ex.getMessage().contains("overflow"), ex.getMessage());
    }

    @Test
    void shouldAcceptLargestVarintWhenTenthByteIsOne()
    {
        final BinaryDecoder decoder = new BinaryDecoder(HEX.parseHex("ffffffffffffffffff01" + "80808080808080808001"));
        assertEquals(-1L, decoder.readVarLong());
        assertEquals(Long.MIN_VALUE, decoder.readVarLong());
        decoder.expectEnd();
    }

    static Stream<Arguments> oversizedLengths()
    {
        return Stream.of(
            Arguments.of(Named.of("5 with 4 left", "05"), "61626364"),
            Arguments.of(Named.of("1 with 0 left", "01"), ""),
            Arguments.of(Named.of("128 with 127 left", "8001"), "00".repeat(127)),
            Arguments.of(Named.of("2^31-1 (Integer.MAX)", "ffffffff07"), "6162"),
            Arguments.of(Named.of("2^31 (Integer.MAX+1)", "8080808008"), "6162"),
            Arguments.of(Named.of("2^32", "8080808010"), "6162"),
            Arguments.of(Named.of("2^63-1 (Long.MAX)", "ffffffffffffffff7f"), "6162"),
            Arguments.of(Named.of("2^63 (negative as long)", "80808080808080808001"), "6162"),
            Arguments.of(Named.of("2^64-1 (-1 as long)", "ffffffffffffffffff01"), "6162"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedLengths")
    void shouldRejectLengthWhenLargerThanRemainingBytes(final String lengthHex, final String bodyHex)
    {
        for (final String tag : new String[] {"04", "05"})
        {
            final byte[] input = HEX.parseHex("01" + tag + lengthHex + bodyHex);
            final CorruptDataException ex =
                assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(input), "tag " + tag);
            assertTrue(ex.getMessage().contains("length exceeds remaining bytes"), ex.getMessage());
        }
        final byte[] raw = HEX.parseHex(lengthHex + bodyHex);
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(raw).readBytes(), "readBytes");
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(raw).readString(), "readString");
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(raw).readKey(), "readKey");
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(raw).readLength(1), "readLength");
    }

    @Test
    void shouldFailFastWithoutAllocatingWhenLengthClaimsTwoGigabytes()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "thread allocation counter not available");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        // A Bytes value that claims Integer.MAX_VALUE - 8 bytes (the largest array the JVM makes, ~2 GiB) but
        // carries sixteen.
        final byte[] input = new BinaryEncoder().writeVersion().writeByte(Value.Bytes.TAG)
            .writeVarLong(Integer.MAX_VALUE - 8).writeRaw(new byte[16], 0, 16).toByteArray();
        final byte[] stringInput = input.clone();
        stringInput[1] = Value.String.TAG;
        final long threadId = Thread.currentThread().getId();

        // Warm up so class loading is not counted.
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(input), "warm-up");
        final long before = threads.getThreadAllocatedBytes(threadId);
        assertTimeout(Duration.ofSeconds(2), () ->
        {
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(input), "2 GiB Bytes");
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(stringInput), "2 GiB String");
        });
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes for a 16-byte input");
    }

    @Test
    void shouldRejectCountWhenItemsCannotFitRemainingBytes()
    {
        // A count of 3 items of at least 8 bytes each needs 24 bytes; 16 remain.
        final byte[] three = HEX.parseHex("03" + "00".repeat(16));
        final CorruptDataException ex =
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(three).readLength(8), "count 3");
        assertTrue(ex.getMessage().contains("length=3, remaining=16"), ex.getMessage());
        final BinaryDecoder two = new BinaryDecoder(HEX.parseHex("02" + "00".repeat(16)));
        assertEquals(2, two.readLength(8));
        assertEquals(16, two.remaining());
        // A count near Integer.MAX of 16-byte items: the product must not overflow into a small number.
        final byte[] huge = HEX.parseHex("ffffffff07" + "00".repeat(16));
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(huge).readLength(Integer.MAX_VALUE), "huge");
    }

    static IntStream unknownTags()
    {
        return IntStream.rangeClosed(6, 255);
    }

    @ParameterizedTest(name = "tag {0}")
    @MethodSource("unknownTags")
    void shouldRejectValueWhenTagIsUnknown(final int tag)
    {
        for (final String body : new String[] {"", "00", "0000000000000000"})
        {
            final byte[] input = HEX.parseHex("01" + HEX.toHexDigits((byte)tag) + body);
            final CorruptDataException ex = assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(input), "");
            assertTrue(ex.getMessage().contains("unknown value tag: tag=" + tag), ex.getMessage());
        }
    }

    @Test
    void shouldRejectBooleanWhenByteIsNotZeroOrOne()
    {
        for (int b = 2; b <= 255; b++)
        {
            final byte[] input = {1, (byte)Value.Bool.TAG, (byte)b};
            final CorruptDataException ex =
                assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(input), "byte=" + b);
            assertTrue(ex.getMessage().contains("boolean byte must be 0 or 1: value=" + b), ex.getMessage());
            final byte[] raw = {(byte)b};
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(raw).readBoolean(), "byte=" + b);
        }
    }

    @Test
    void shouldRejectNanWhenBitPatternIsNotCanonical()
    {
        for (final String bits : new String[] {"7ff0000000000001", "7ff8000000000001", "7fffffffffffffff",
            "fff8000000000000", "fff0000000000001", "ffffffffffffffff", "7ff4000000000000"})
        {
            final CorruptDataException ex =
                assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(HEX.parseHex("0103" + bits)), bits);
            assertTrue(ex.getMessage().contains("non-canonical NaN"), ex.getMessage());
        }
        assertEquals(Value.of(Double.NaN), ValueCodec.decode(HEX.parseHex("0103" + "7ff8000000000000")));
        assertEquals(Value.of(Double.POSITIVE_INFINITY), ValueCodec.decode(HEX.parseHex("0103" + "7ff0000000000000")));
        assertEquals(Value.of(Double.NEGATIVE_INFINITY), ValueCodec.decode(HEX.parseHex("0103" + "fff0000000000000")));
    }

    static Stream<Arguments> invalidUtf8()
    {
        return Stream.of("c0af", "c080", "c1bf", "e080af", "e09fbf", "f08080af", "f08fbfbf", "eda080", "edbfbf",
                "eda0bdedb880", "61c3", "e282", "f09f98", "e28261", "f4908080", "f5808080", "f888808080", "fe", "ff",
                "80", "61bf", "c3c3")
            .map(hex -> Arguments.of(hex));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void shouldRejectStringWhenUtf8IsInvalid(final String utf8Hex)
    {
        final String length = HEX.toHexDigits((byte)(utf8Hex.length() / 2));
        final byte[] value = HEX.parseHex("0104" + length + utf8Hex);
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(value), "value");
        final byte[] raw = HEX.parseHex(length + utf8Hex);
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(raw).readString(), "readString");
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(raw).readKey(), "readKey");
        // The same bytes are fine as a Bytes value.
        assertArrayEquals(HEX.parseHex(utf8Hex),
            ((Value.Bytes)ValueCodec.decode(HEX.parseHex("0105" + length + utf8Hex))).value());
    }

    @Test
    void shouldRejectStoredKeyWhenKeyRulesAreBroken()
    {
        // Empty, NUL alone, NUL inside: valid UTF-8 but not a valid key.
        for (final String hex : new String[] {"00", "0100", "03610062"})
        {
            final CorruptDataException ex = assertCorrupt(
                ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(HEX.parseHex(hex)).readKey(), hex);
            assertEquals(ErrorCode.INVALID_KEY,
                assertInstanceOf(InvalidArgumentException.class, ex.getCause()).code(), hex);
        }
        final byte[] tooLong = new BinaryEncoder().writeString("k".repeat(1025)).toByteArray();
        final CorruptDataException ex =
            assertCorrupt(ErrorCode.CORRUPT_DATA, () -> new BinaryDecoder(tooLong).readKey(), "1025 bytes");
        assertEquals(ErrorCode.KEY_TOO_LARGE, assertInstanceOf(InvalidArgumentException.class, ex.getCause()).code());
        final byte[] longest = new BinaryEncoder().writeString("k".repeat(1024)).toByteArray();
        assertEquals(1024, new BinaryDecoder(longest).readKey().encodedLength());
    }

    @Test
    void shouldRaiseUnknownFormatVersionWhenVersionByteIsNotOne()
    {
        for (final int version : new int[] {0x00, 0x02, 0x7f, 0x80, 0xff})
        {
            final byte[] input = {(byte)version, 0x00};
            final CorruptDataException ex =
                assertCorrupt(ErrorCode.UNKNOWN_FORMAT_VERSION, () -> ValueCodec.decode(input), "version " + version);
            assertTrue(ex.getMessage().contains("unknown codec version: version=" + version), ex.getMessage());
            assertTrue(ex.getMessage().endsWith("[0.1/UNKNOWN_FORMAT_VERSION:403]"), ex.getMessage());
        }
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(new byte[0]), "empty input");
        assertCorrupt(ErrorCode.CORRUPT_DATA, () -> ValueCodec.decode(new byte[] {1}), "version only");
    }

    static List<Long> seeds()
    {
        return Seeds.seeds(1L, 0xf0221L);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldOnlyRejectOrRoundTripWhenValueBytesAreFuzzed(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final byte[] input = (i & 1) == 0 ? randomInput(random) : mutatedEncoding(random);
            try
            {
                final Value value = ValueCodec.decode(input);
                accepted++;
                if (!Arrays.equals(input, ValueCodec.encode(value)))
                {
                    fail("accepted an encoding that does not re-encode identically: " + Seeds.describe(seed) +
                        ", i=" + i + ", input=" + HEX.formatHex(input));
                }
            }
            catch (final CorruptDataException ex)
            {
                if (ex.code() != ErrorCode.CORRUPT_DATA && ex.code() != ErrorCode.UNKNOWN_FORMAT_VERSION)
                {
                    fail("wrong code " + ex.code() + ": " + Seeds.describe(seed) + ", input=" + HEX.formatHex(input));
                }
            }
            catch (final RuntimeException | Error ex)
            {
                throw new AssertionError("unexpected " + ex + ": " + Seeds.describe(seed) + ", i=" + i +
                    ", input=" + HEX.formatHex(input), ex);
            }
        }
        assertTrue(accepted > 1_000, "fuzz accepted too few inputs to reach the decoders: accepted=" + accepted +
            ", " + Seeds.describe(seed));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldOnlyRaiseCorruptDataWhenRandomReadsMeetRandomBytes(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] input = new byte[random.nextInt(40)];
            random.nextBytes(input);
            final BinaryDecoder decoder = new BinaryDecoder(input);
            try
            {
                while (true)
                {
                    final int before = decoder.remaining();
                    randomRead(random, decoder);
                    assertTrue(decoder.remaining() < before || before == 0, Seeds.describe(seed));
                    assertTrue(decoder.remaining() >= 0, Seeds.describe(seed));
                }
            }
            catch (final CorruptDataException ex)
            {
                assertTrue(ex.code() == ErrorCode.CORRUPT_DATA || ex.code() == ErrorCode.UNKNOWN_FORMAT_VERSION,
                    Seeds.describe(seed));
            }
            catch (final RuntimeException | Error ex)
            {
                throw new AssertionError("unexpected " + ex + ": " + Seeds.describe(seed) + ", i=" + i +
                    ", input=" + HEX.formatHex(input), ex);
            }
        }
    }

    private static void randomRead(final SplittableRandom random, final BinaryDecoder decoder)
    {
        switch (random.nextInt(12))
        {
            case 0 -> decoder.readByte();
            case 1 -> decoder.readBoolean();
            case 2 -> decoder.readInt();
            case 3 -> decoder.readLong();
            case 4 -> decoder.readVarLong();
            case 5 -> decoder.readLength(1 + random.nextInt(16));
            case 6 -> decoder.readBytes();
            case 7 -> decoder.readString();
            case 8 -> decoder.readKey();
            case 9 -> decoder.readUuid();
            case 10 -> decoder.readValue();
            default -> decoder.readVersion();
        }
    }

    private static byte[] randomInput(final SplittableRandom random)
    {
        final byte[] input = new byte[random.nextInt(24)];
        random.nextBytes(input);
        if (input.length > 0 && random.nextInt(10) != 0)
        {
            input[0] = (byte)BinaryEncoder.CODEC_VERSION;
        }
        if (input.length > 1 && random.nextInt(5) != 0)
        {
            input[1] = (byte)random.nextInt(7);
        }
        return input;
    }

    private static byte[] mutatedEncoding(final SplittableRandom random)
    {
        byte[] bytes = ValueCodec.encode(ValueCodecPropertyTest.randomValue(random));
        final int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            final int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(6))
            {
                case 0:
                    if (bytes.length > 0)
                    {
                        bytes[at] ^= (byte)(1 << random.nextInt(8));
                    }
                    break;
                case 1:
                    if (bytes.length > 0)
                    {
                        bytes[at] = (byte)random.nextInt(256);
                    }
                    break;
                case 2:
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                    break;
                case 3:
                    final byte[] inserted = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, inserted, 0, at);
                    inserted[at] = (byte)random.nextInt(256);
                    System.arraycopy(bytes, at, inserted, at + 1, bytes.length - at);
                    bytes = inserted;
                    break;
                case 4:
                    if (bytes.length > 0)
                    {
                        final byte[] removed = new byte[bytes.length - 1];
                        System.arraycopy(bytes, 0, removed, 0, at);
                        System.arraycopy(bytes, at + 1, removed, at, bytes.length - at - 1);
                        bytes = removed;
                    }
                    break;
                default:
                    if (bytes.length > 2)
                    {
                        // Overwrite the length prefix of a String or Bytes value with a random varint.
                        final byte[] head = new BinaryEncoder().writeRaw(bytes, 0, 2)
                            .writeVarLong(random.nextLong() >>> random.nextInt(64)).toByteArray();
                        final byte[] joined = Arrays.copyOf(head, head.length + bytes.length - 3);
                        System.arraycopy(bytes, 3, joined, head.length, bytes.length - 3);
                        bytes = joined;
                    }
                    break;
            }
        }
        return bytes;
    }

    private static CorruptDataException assertCorrupt(
        final ErrorCode expected, final Runnable decode, final String context)
    {
        final CorruptDataException ex;
        try
        {
            decode.run();
            throw new AssertionError("expected CorruptDataException, nothing thrown: " + context);
        }
        catch (final CorruptDataException caught)
        {
            ex = caught;
        }
        catch (final RuntimeException | Error other)
        {
            if (other instanceof AssertionError)
            {
                throw other;
            }
            throw new AssertionError("expected CorruptDataException, got " + other + ": " + context, other);
        }
        assertEquals(expected, ex.code(), context + ": " + ex.getMessage());
        return ex;
    }

    private static Arguments primitive(final String name, final String hex, final Consumer<BinaryDecoder> read)
    {
        return Arguments.of(Named.of(name, hex), read);
    }
}
