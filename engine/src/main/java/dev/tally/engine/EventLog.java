/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntryType;
import dev.tally.engine.internal.Engine;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.primitives.EventPrimitive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-run append-only event logs numbered 1, 2, 3, ... in commit order. Safe for any number of threads.
 */
public final class EventLog
{
    private final Engine engine;
    private final EventPrimitive events;
    private final Checks checks;

    EventLog(final Engine engine, final EventPrimitive events, final Checks checks)
    {
        this.engine = engine;
        this.events = events;
        this.checks = checks;
    }

    /**
     * Appends an event; any thread.
     *
     * @param runId   the run, which must be active.
     * @param type    the event type, a valid key.
     * @param payload the payload.
     * @return the event's sequence in its run: 1 for the first, then 2, 3, ...
     */
    public long append(final RunId runId, final String type, final Value payload)
    {
        final Key t = checks.key(type);
        final PendingEntries entries = new PendingEntries().add(WalEntryType.EVENT_APPEND.code(),
            EventPrimitive.appendBody(t, engine.config().clock().currentTimeMicros(), checks.value(payload)));
        return engine.commit(checks.run(runId), entries, position -> events.count(runId));
    }

    /**
     * Reads one event; any thread.
     *
     * @param runId    the run, which must exist.
     * @param sequence the 1-based sequence.
     * @return the event, or empty when there is none with that sequence.
     */
    public Optional<Event> read(final RunId runId, final long sequence)
    {
        checks.runExists(runId);
        final EventPrimitive.StoredEvent e = events.read(runId, sequence);
        return e == null ? Optional.empty() : Optional.of(toEvent(e));
    }

    /**
     * Reads the events with sequences from {@code start} (inclusive) to {@code end} (exclusive), clamped to what
     * exists; any thread.
     *
     * @param runId the run, which must exist.
     * @param start the first sequence.
     * @param end   one past the last sequence.
     * @return the events in sequence order.
     */
    public List<Event> range(final RunId runId, final long start, final long end)
    {
        checks.runExists(runId);
        if (end <= start)
        {
            return List.of();
        }
        final List<EventPrimitive.StoredEvent> stored = events.range(runId, start, end - 1);
        final List<Event> out = new ArrayList<>(stored.size());
        for (final EventPrimitive.StoredEvent e : stored)
        {
            out.add(toEvent(e));
        }
        return out;
    }

    /**
     * The number of events of a run, which is also its last sequence; any thread.
     *
     * @param runId the run, which must exist.
     * @return the count.
     */
    public long count(final RunId runId)
    {
        checks.runExists(runId);
        return events.count(runId);
    }

    static Event toEvent(final EventPrimitive.StoredEvent e)
    {
        return new Event(e.sequence(), e.type().text(), e.payload(), e.timeMicros());
    }
}
