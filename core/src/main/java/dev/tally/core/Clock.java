/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * The source of wall-clock time, injected so that recorded times (span times, snapshot timestamps, store lease times)
 * can be made deterministic in tests. Implementations must be safe to call from any thread.
 */
@FunctionalInterface
public interface Clock
{
    /**
     * The current time; any thread.
     *
     * @return microseconds since the Unix epoch.
     */
    long currentTimeMicros();

    /**
     * The system clock, with microsecond precision where the platform offers it; any thread.
     *
     * @return the system clock.
     */
    static Clock system()
    {
        return SystemClock.INSTANCE;
    }

    /** The system clock behind {@link Clock#system()}. */
    final class SystemClock implements Clock
    {
        static final SystemClock INSTANCE = new SystemClock();

        private SystemClock()
        {
        }

        /** {@inheritDoc} */
        @Override
        public long currentTimeMicros()
        {
            final java.time.Instant now = java.time.Instant.now();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        }
    }
}
