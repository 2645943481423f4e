/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import dev.tally.core.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when a test moves it, so recorded times are deterministic. Thread-safe: reads and
 * moves are atomic.
 */
public final class ManualClock implements Clock
{
    /** The default start, 2026-01-01T00:00:00Z, in microseconds since the Unix epoch. */
    public static final long DEFAULT_START_MICROS = 1_767_225_600_000_000L;

    private final AtomicLong micros;

    /** Creates a clock reading {@link #DEFAULT_START_MICROS}. */
    public ManualClock()
    {
        this(DEFAULT_START_MICROS);
    }

    /**
     * Creates a clock.
     *
     * @param startMicros the first reading, in microseconds since the Unix epoch.
     */
    public ManualClock(final long startMicros)
    {
        micros = new AtomicLong(startMicros);
    }

    /** {@inheritDoc} */
    @Override
    public long currentTimeMicros()
    {
        return micros.get();
    }

    /**
     * Sets the reading; may move the clock backwards, to test a clock that steps back.
     *
     * @param newMicros the new reading, in microseconds since the Unix epoch.
     */
    public void setMicros(final long newMicros)
    {
        micros.set(newMicros);
    }

    /**
     * Moves the clock forwards.
     *
     * @param deltaMicros how far, not negative.
     * @return the new reading.
     * @throws IllegalArgumentException when the delta is negative.
     * @throws ArithmeticException      when the reading would overflow.
     */
    public long advanceMicros(final long deltaMicros)
    {
        if (deltaMicros < 0)
        {
            throw new IllegalArgumentException("delta must not be negative: deltaMicros=" + deltaMicros);
        }
        return micros.accumulateAndGet(deltaMicros, Math::addExact);
    }

    /**
     * Moves the clock forwards by a duration, truncated to whole microseconds.
     *
     * @param delta how far, not negative.
     * @return the new reading.
     */
    public long advance(final Duration delta)
    {
        final long seconds = delta.getSeconds();
        return advanceMicros(Math.addExact(Math.multiplyExact(seconds, 1_000_000L), delta.getNano() / 1_000));
    }
}
