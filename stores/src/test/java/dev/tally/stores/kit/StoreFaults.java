/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import java.util.concurrent.TimeUnit;

/**
 * Failures a contract suite injects into an implementation's durable step: the force of the embedded engine, the
 * commit of a PostgreSQL transaction. Armed by the test thread; fires on whichever thread reaches the step.
 */
public interface StoreFaults
{
    /** When an injected failure strikes, relative to the durable step it replaces. */
    enum Timing
    {
        /** The step fails before anything is made durable. */
        BEFORE,
        /** The step is made durable, then reported as failed (an acknowledgement lost on the way back). */
        AFTER
    }

    /** An implementation with no durable step to fail. */
    StoreFaults NONE = new StoreFaults()
    {
        @Override
        public boolean isSupported()
        {
            return false;
        }

        @Override
        public void failNext(final Timing timing)
        {
            throw new UnsupportedOperationException("no faults to inject");
        }

        @Override
        public Hold holdNext()
        {
            throw new UnsupportedOperationException("no faults to inject");
        }

        @Override
        public void clear()
        {
        }
    };

    /**
     * Whether this implementation can inject failures.
     *
     * @return {@code true} if {@link #failNext} and {@link #holdNext} work.
     */
    boolean isSupported();

    /**
     * Makes the next durable step fail.
     *
     * @param timing before or after it takes effect.
     */
    void failNext(Timing timing);

    /**
     * Holds the next durable step until the test releases it, so the test can act while a commit is visible but not
     * yet durable.
     *
     * @return the hold.
     */
    Hold holdNext();

    /** Disarms whatever is armed and releases any hold without failing it. */
    void clear();

    /** A durable step held open by {@link #holdNext()}. */
    interface Hold
    {
        /**
         * Waits until some thread has reached the held step.
         *
         * @param timeout the longest wait.
         * @param unit    its unit.
         * @return whether the step was reached.
         * @throws InterruptedException when interrupted.
         */
        boolean awaitReached(long timeout, TimeUnit unit) throws InterruptedException;

        /** Lets the step go on and fail before it takes effect. */
        void releaseAndFail();

        /** Lets the step go on and succeed. */
        void release();
    }
}
