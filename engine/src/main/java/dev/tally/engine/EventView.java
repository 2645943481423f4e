/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import java.util.List;
import java.util.Optional;

/**
 * The event log of one replayed run, read-only: it has no write methods. Any thread.
 */
public interface EventView
{
    /**
     * Reads one event; any thread.
     *
     * @param sequence the 1-based sequence.
     * @return the event, or empty.
     */
    Optional<Event> read(long sequence);

    /**
     * Reads the events with sequences from {@code start} (inclusive) to {@code end} (exclusive), clamped to what
     * exists; any thread.
     *
     * @param start the first sequence.
     * @param end   one past the last sequence.
     * @return the events in sequence order.
     */
    List<Event> range(long start, long end);

    /**
     * The number of events, which is also the last sequence; any thread.
     *
     * @return the count.
     */
    long count();
}
