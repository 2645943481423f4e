/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * Encodes one value as a standalone versioned record: the codec version byte, the value's tag, its body. The same value
 * always gives the same bytes. Stateless; any thread.
 *
 * <pre>
 *   0        1        2 ...
 *  +--------+--------+---------------------------------------------+
 *  | version|  tag   | body                                        |
 *  +--------+--------+---------------------------------------------+
 *  tag 0 Null   : no body
 *  tag 1 Bool   : 1 byte, 0 or 1
 *  tag 2 I64    : 8 bytes, big-endian two's complement
 *  tag 3 F64    : 8 bytes, big-endian IEEE 754 bits; NaN only as 0x7ff8000000000000
 *  tag 4 String : varint length, then strict UTF-8
 *  tag 5 Bytes  : varint length, then the bytes
 * </pre>
 */
public final class ValueCodec
{
    private ValueCodec()
    {
    }

    /**
     * Encodes a value; any thread.
     *
     * @param value the value.
     * @return the versioned encoding.
     */
    public static byte[] encode(final Value value)
    {
        final BinaryEncoder encoder = new BinaryEncoder(BinaryEncoder.encodedLength(value) + 1);
        encoder.writeVersion().writeValue(value);
        return encoder.toByteArray();
    }

    /**
     * Decodes a value made by {@link #encode(Value)}; any thread.
     *
     * @param bytes the encoding.
     * @return the value.
     * @throws CorruptDataException when the bytes are not exactly one valid encoding.
     */
    public static Value decode(final byte[] bytes)
    {
        final BinaryDecoder decoder = new BinaryDecoder(bytes);
        decoder.readVersion();
        final Value value = decoder.readValue();
        decoder.expectEnd();
        return value;
    }
}
