/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.wal.SegmentForcer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link StoreFaults} of the embedded engine, through its force seam: a {@link SegmentForcer} that forces as the
 * default does unless a failure or a hold is armed. Install it with {@code DatabaseBuilder.segmentForcer}. The engine
 * fails stop on a failed force, so one injected failure fails the store until it is restarted.
 */
public final class ForceFaults implements StoreFaults, SegmentForcer
{
    private final AtomicReference<Object> armed = new AtomicReference<>();
    private final AtomicReference<HeldStep> lastHold = new AtomicReference<>();

    /** {@inheritDoc} */
    @Override
    public boolean isSupported()
    {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public void failNext(final Timing timing)
    {
        armed.set(timing);
    }

    /** {@inheritDoc} */
    @Override
    public Hold holdNext()
    {
        final HeldStep hold = new HeldStep();
        lastHold.set(hold);
        armed.set(hold);
        return hold;
    }

    /** {@inheritDoc} */
    @Override
    public void clear()
    {
        armed.set(null);
        // The force may already have taken the hold out of the armed slot and be waiting on it: release it too.
        final HeldStep hold = lastHold.getAndSet(null);
        if (hold != null)
        {
            hold.release();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void force(final MappedByteBuffer buffer, final int offset, final int length) throws IOException
    {
        final Object fault = armed.getAndSet(null);
        if (fault == Timing.BEFORE)
        {
            throw new IOException("injected force failure (before)");
        }
        if (fault instanceof HeldStep hold && hold.hold())
        {
            throw new IOException("injected force failure (held, then failed)");
        }
        buffer.force(offset, length);
        if (fault == Timing.AFTER)
        {
            throw new IOException("injected force failure (after)");
        }
    }
}
