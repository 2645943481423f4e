/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A durable step (a force, a commit) held on a latch until the test decides its outcome: the {@link StoreFaults.Hold}
 * every {@link StoreFaults} implementation hands out. The stepping thread calls {@link #hold()}; the test thread the
 * {@link StoreFaults.Hold} methods. A step held longer than a minute fails, so a test that never releases it cannot
 * stall the store for good.
 */
public final class HeldStep implements StoreFaults.Hold
{
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean fail;

    /**
     * Blocks the thread taking the step until the test releases it; called by that thread.
     *
     * @return whether the step must fail.
     */
    public boolean hold()
    {
        reached.countDown();
        try
        {
            if (!released.await(60, TimeUnit.SECONDS))
            {
                return true;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return true;
        }
        return fail;
    }

    /** {@inheritDoc} */
    @Override
    public boolean awaitReached(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return reached.await(timeout, unit);
    }

    /** {@inheritDoc} */
    @Override
    public void releaseAndFail()
    {
        fail = true;
        released.countDown();
    }

    /** {@inheritDoc} */
    @Override
    public void release()
    {
        released.countDown();
    }
}
