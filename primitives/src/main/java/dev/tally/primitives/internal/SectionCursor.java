/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.snapshot.SectionBytes;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Function;

/**
 * A read position in a snapshot section taken on demand ({@link SectionBytes}), copied in or read in place: reads the
 * few framing fields between a section's entries, filling the section first. Each field is decoded by the codec's
 * decoder from a copy of at most a few bytes, cut where the section ends, so it is checked exactly as a decode of the
 * whole section would check it; entries are checked where they lie by their own reader, which then moves the cursor
 * past them. The opening thread only.
 */
public final class SectionCursor
{
    /** The most bytes a varint takes. */
    private static final int VARINT_LENGTH_MAX = 10;
    private static final int UUID_LENGTH = 16;

    private final SectionBytes section;
    private final ByteBuffer bytes;
    private int offset;

    /**
     * Starts at the beginning of a section.
     *
     * @param section the section, nothing of it read yet.
     */
    SectionCursor(final SectionBytes section)
    {
        this.section = section;
        final ByteBuffer inPlace = section.inPlace();
        this.bytes = inPlace != null ? inPlace : ByteBuffer.wrap(section.array());
    }

    /**
     * The section being read.
     *
     * @return the section.
     */
    public SectionBytes section()
    {
        return section;
    }

    /**
     * The offset of the next byte to read in the section.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Moves past bytes a reader checked in place.
     *
     * @param to the new offset, from the current one to the section's length.
     */
    public void moveTo(final int to)
    {
        if (to < offset || to > bytes.limit())
        {
            throw new IllegalArgumentException("cursor moved out of range: offset=" + offset + ", to=" + to +
                ", length=" + bytes.limit());
        }
        offset = to;
    }

    /**
     * Reads and checks a codec version byte.
     *
     * @return the version.
     * @throws CorruptDataException as {@link BinaryDecoder#readVersion()} does.
     */
    int readVersion()
    {
        return read(1, BinaryDecoder::readVersion);
    }

    /**
     * Reads a length or count that must fit the bytes that remain when each item takes at least
     * {@code bytesPerItemMin} bytes, as {@link BinaryDecoder#readLength(int)} does.
     *
     * @param bytesPerItemMin the least number of bytes each counted item occupies.
     * @return the length.
     * @throws CorruptDataException when the varint is malformed or the length does not fit.
     */
    public int readLength(final int bytesPerItemMin)
    {
        final long value = read(VARINT_LENGTH_MAX, BinaryDecoder::readVarLong);
        final int remaining = bytes.limit() - offset;
        if (value < 0 || value > Integer.MAX_VALUE || value * Math.max(1, bytesPerItemMin) > remaining)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "length exceeds remaining bytes: length=" +
                Long.toUnsignedString(value) + ", remaining=" + remaining + ", offset=" + offset);
        }
        return (int)value;
    }

    /**
     * Reads a UUID stored as two big-endian longs.
     *
     * @return the UUID.
     * @throws CorruptDataException when fewer than 16 bytes remain.
     */
    UUID readUuid()
    {
        return read(UUID_LENGTH, BinaryDecoder::readUuid);
    }

    /**
     * Checks that every byte of the section was read.
     *
     * @throws CorruptDataException when bytes remain.
     */
    void expectEnd()
    {
        if (offset != bytes.limit())
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "trailing bytes after record: remaining=" +
                (bytes.limit() - offset) + ", offset=" + offset);
        }
    }

    /** Decodes one field from a copy of at most {@code length} bytes at the offset and moves past what it read. */
    private <T> T read(final int length, final Function<BinaryDecoder, T> field)
    {
        final int to = (int)Math.min(bytes.limit(), (long)offset + length);
        section.fill(to);
        final byte[] window = new byte[to - offset];
        bytes.get(offset, window);
        final BinaryDecoder decoder = new BinaryDecoder(window);
        final T value;
        try
        {
            value = field.apply(decoder);
        }
        catch (final CorruptDataException ex)
        {
            throw new CorruptDataException(ex.code(), ex.getMessage() + " within a field at section offset=" +
                offset, ex);
        }
        offset += decoder.offset();
        return value;
    }
}
