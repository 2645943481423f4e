/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.WalEntryType;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one commit, encoded before the commit lock is taken. One commit becomes one WAL frame: a single entry
 * is stored as itself (the frame's type is the entry's type); several are wrapped in a
 * {@link WalEntryType#TRANSACTION_COMMIT} frame whose payload lists them. Not thread-safe: owned by the committing
 * thread.
 *
 * <pre>
 * TRANSACTION_COMMIT payload:
 *   version (1 byte) | count (varint) | count x [ type code (1 byte) | body length (varint) | body ]
 * </pre>
 */
public final class PendingEntries
{
    private int[] codes = new int[4];
    private final List<byte[]> bodies = new ArrayList<>(4);

    /**
     * Adds an entry.
     *
     * @param typeCode the entry type code.
     * @param body     the encoded body; not copied.
     * @return this.
     */
    public PendingEntries add(final int typeCode, final byte[] body)
    {
        final int count = bodies.size();
        if (count == codes.length)
        {
            codes = java.util.Arrays.copyOf(codes, count * 2);
        }
        codes[count] = typeCode;
        bodies.add(body);
        return this;
    }

    /**
     * The number of entries.
     *
     * @return the count.
     */
    public int count()
    {
        return bodies.size();
    }

    /**
     * The type code of an entry.
     *
     * @param index 0-based.
     * @return the code.
     */
    public int typeCode(final int index)
    {
        if (index >= bodies.size())
        {
            throw new IndexOutOfBoundsException("index=" + index + ", count=" + bodies.size());
        }
        return codes[index];
    }

    /**
     * The body of an entry.
     *
     * @param index 0-based.
     * @return the body, not a copy.
     */
    public byte[] body(final int index)
    {
        return bodies.get(index);
    }

    /**
     * The type code of the frame these entries make.
     *
     * @return the single entry's code, or the commit code for several.
     */
    public int frameTypeCode()
    {
        return count() == 1 ? typeCode(0) : WalEntryType.TRANSACTION_COMMIT.code();
    }

    /**
     * The payload of the frame these entries make.
     *
     * @return the single entry's body, or the commit list.
     */
    public byte[] framePayload()
    {
        if (count() == 1)
        {
            return body(0);
        }
        int length = 16;
        for (final byte[] body : bodies)
        {
            length += body.length + 6;
        }
        final BinaryEncoder encoder = new BinaryEncoder(length);
        encoder.writeVersion().writeLength(count());
        for (int i = 0; i < count(); i++)
        {
            encoder.writeByte(typeCode(i)).writeBytes(body(i));
        }
        return encoder.toByteArray();
    }

    /**
     * Splits a frame back into entries, the inverse of {@link #frameTypeCode()} and {@link #framePayload()}.
     *
     * @param frameTypeCode the frame's type code.
     * @param payload       the frame's payload.
     * @return the entries.
     * @throws CorruptDataException when a commit list does not decode or nests another commit.
     */
    public static PendingEntries fromFrame(final int frameTypeCode, final byte[] payload)
    {
        final PendingEntries entries = new PendingEntries();
        if (frameTypeCode != WalEntryType.TRANSACTION_COMMIT.code())
        {
            return entries.add(frameTypeCode, payload);
        }
        final BinaryDecoder decoder = new BinaryDecoder(payload);
        decoder.readVersion();
        final int count = decoder.readLength(2);
        for (int i = 0; i < count; i++)
        {
            final int code = decoder.readByte();
            if (code == WalEntryType.TRANSACTION_COMMIT.code())
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "nested transaction commit entry: index=" + i);
            }
            entries.add(code, decoder.readBytes());
        }
        decoder.expectEnd();
        return entries;
    }
}
