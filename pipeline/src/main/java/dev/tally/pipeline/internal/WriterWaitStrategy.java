/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How the log writer thread waits for the next frame: it spins briefly, then yields, then parks until a publisher
 * wakes it or the timeout passes (the Buffered flush timer rides on the timeout).
 *
 * <p>Design note: a publisher pays for a wake-up only when the writer is actually parked. The writer announces itself
 * in a volatile field, then a full fence, then its last check of the cursor; a publisher reads the field after its
 * claim of the cursor (an atomic update, itself a full fence). So either the publisher sees the parked writer and
 * unparks it, or the writer's check sees the claim and does not park: no wake-up is lost. Disruptor's blocking
 * strategies take a lock and signal a condition on every publish, which costs the publisher more than the rest of the
 * publish when the writer keeps up.
 *
 * <p>Threading: {@link #waitFor} is called by the one writer thread; {@link #signalAllWhenBlocking} by any publisher,
 * and by the writer's halt.
 */
public final class WriterWaitStrategy implements WaitStrategy
{
    private static final int SPIN_TRIES = 200;
    private static final int YIELD_TRIES = 50;

    private final long timeoutNs;
    private volatile Thread parkedWriter;

    /**
     * Creates the strategy; the pipeline, for its ring, before the writer starts.
     *
     * @param timeout the longest park before {@link TimeoutException} reaches the writer's handler.
     * @param unit    the unit of {@code timeout}.
     */
    public WriterWaitStrategy(final long timeout, final TimeUnit unit)
    {
        this.timeoutNs = unit.toNanos(timeout);
    }

    @Override
    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, TimeoutException
    {
        long available = dependentSequence.get();
        if (available >= sequence)
        {
            return available;
        }
        final long deadline = System.nanoTime() + timeoutNs;
        int tries = 0;
        // Bounded by the deadline: every pass either finds the sequence, throws on alert, or moves towards the timeout.
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (tries < SPIN_TRIES)
            {
                tries++;
                Thread.onSpinWait();
            }
            else if (tries < SPIN_TRIES + YIELD_TRIES)
            {
                tries++;
                Thread.yield();
            }
            else
            {
                final long remainingNs = deadline - System.nanoTime();
                if (remainingNs <= 0)
                {
                    throw TimeoutException.INSTANCE;
                }
                parkedWriter = Thread.currentThread();
                // Store-load barrier: the announcement must be visible before the cursor is read again (a volatile
                // store followed by the sequence's plain-plus-acquire read could otherwise be reordered).
                VarHandle.fullFence();
                try
                {
                    if (dependentSequence.get() < sequence)
                    {
                        barrier.checkAlert();
                        LockSupport.parkNanos(this, remainingNs);
                    }
                }
                finally
                {
                    parkedWriter = null;
                }
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        final Thread writer = parkedWriter;
        if (writer != null)
        {
            LockSupport.unpark(writer);
        }
    }
}
