/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One committed transaction of a run: the log position of its frame, its transaction id and its entries in the order
 * they were applied. Immutable; any thread.
 *
 * @param position the frame's log position (or the virtual position of an InMemory commit).
 * @param txId     the transaction id.
 * @param entries  the entries, one or more.
 */
public record HistoryFrame(long position, TxId txId, List<HistoryEntry> entries)
{
    /**
     * Checks and freezes the entries; any thread.
     *
     * @param position the frame's log position.
     * @param txId     the transaction id.
     * @param entries  the entries.
     */
    public HistoryFrame
    {
        entries = List.copyOf(entries);
    }

    /**
     * Splits a frame's payload into its entries: a {@link WalEntryType#TRANSACTION_COMMIT} frame carries a list
     * ({@code version | count | count x [type code | body]}), any other frame is one entry of its own type; any
     * thread.
     *
     * @param position      the frame's position.
     * @param txId          the transaction id.
     * @param frameTypeCode the frame's type code.
     * @param payload       the frame's payload; not copied.
     * @return the frame.
     * @throws CorruptDataException when a commit list does not decode or nests another commit.
     */
    public static HistoryFrame decode(final long position, final TxId txId, final int frameTypeCode,
        final byte[] payload)
    {
        if (frameTypeCode != WalEntryType.TRANSACTION_COMMIT.code())
        {
            return new HistoryFrame(position, txId, List.of(new HistoryEntry(frameTypeCode, payload)));
        }
        final BinaryDecoder decoder = new BinaryDecoder(payload);
        decoder.readVersion();
        final int count = decoder.readLength(2);
        final List<HistoryEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final int code = decoder.readByte();
            if (code == WalEntryType.TRANSACTION_COMMIT.code())
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "nested transaction commit entry: index=" + i);
            }
            entries.add(new HistoryEntry(code, decoder.readBytes()));
        }
        decoder.expectEnd();
        return new HistoryFrame(position, txId, entries);
    }
}
