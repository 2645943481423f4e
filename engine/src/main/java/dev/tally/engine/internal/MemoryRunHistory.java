/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.HistoryEntry;
import dev.tally.core.HistoryFrame;
import dev.tally.core.TxId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * One run's committed frames in InMemory mode, which has no log to read a run's history back from.
 *
 * <p>Design note: kept in columns, not as frame objects: per frame its position and either the body of its one entry
 * (with the entry's type code) or, for a transaction, its entries. The bodies are the arrays the primitives keep as
 * their encoded values, so the history costs about 13 bytes per frame beyond them. A frame's transaction id is not
 * stored: in InMemory mode it is the engine's salt with the frame's position (see {@link Engine#commit}).
 *
 * <p>Threading: one writer, the commit-lock holder, appends; any thread reads. The size is published last, so a
 * reader that reads it first sees every frame below it.
 */
final class MemoryRunHistory
{
    private volatile long[] positions = new long[4];
    private volatile byte[] codes = new byte[4];
    private volatile Object[] payloads = new Object[4];
    private volatile int size;

    /**
     * Appends a committed frame; commit-lock holder only.
     *
     * @param position the frame's position.
     * @param entries  its entries, which nothing changes any more.
     */
    void add(final long position, final PendingEntries entries)
    {
        final int n = size;
        if (n == positions.length)
        {
            final int grown = n + (n >> 1) + 1;
            positions = Arrays.copyOf(positions, grown);
            codes = Arrays.copyOf(codes, grown);
            payloads = Arrays.copyOf(payloads, grown);
        }
        positions[n] = position;
        if (entries.count() == 1)
        {
            codes[n] = (byte)entries.typeCode(0);
            payloads[n] = entries.body(0);
        }
        else
        {
            payloads[n] = entries;
        }
        size = n + 1; // release: publishes the frame before the size
    }

    /**
     * Every frame, in commit order; any thread.
     *
     * @param txIdHigh the engine's transaction id salt.
     * @return new frames.
     */
    List<HistoryFrame> frames(final long txIdHigh)
    {
        final int n = size; // acquire: the size first, then the columns
        final long[] positionColumn = positions;
        final byte[] codeColumn = codes;
        final Object[] payloadColumn = payloads;
        final List<HistoryFrame> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final Object payload = payloadColumn[i];
            final List<HistoryEntry> entries;
            if (payload instanceof byte[])
            {
                entries = List.of(new HistoryEntry(codeColumn[i] & 0xff, (byte[])payload));
            }
            else
            {
                final PendingEntries pending = (PendingEntries)payload;
                entries = new ArrayList<>(pending.count());
                for (int e = 0; e < pending.count(); e++)
                {
                    entries.add(new HistoryEntry(pending.typeCode(e), pending.body(e)));
                }
            }
            final long position = positionColumn[i];
            frames.add(new HistoryFrame(position, new TxId(new UUID(txIdHigh, position)), entries));
        }
        return frames;
    }
}
