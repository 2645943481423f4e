/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.internal.AppendOnlyList;
import dev.tally.primitives.internal.Sections;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event log: per run, events numbered 1, 2, 3, ... in commit order. The sequence is not stored in the entry; it
 * is the position of the event in its run's log, so replaying the same entries always numbers them the same. Mutated
 * by the commit-lock holder; read lock-free by any thread.
 *
 * <pre>
 * EVENT_APPEND body: type (key) | time (micros) | payload (value)
 * section: version | run count | per run (sorted): run id | event count | per event: type | time | payload
 * </pre>
 */
public final class EventPrimitive implements RunSections, LoadablePrimitive
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 3;

    private final Map<RunId, AppendOnlyList<StoredEvent>> byRun = new ConcurrentHashMap<>();

    /**
     * One stored event.
     *
     * @param sequence   1-based number in its run.
     * @param type       the event type.
     * @param timeMicros when it was appended.
     * @param payload    the payload.
     */
    public record StoredEvent(long sequence, Key type, long timeMicros, Value payload)
    {
    }

    /** {@inheritDoc} */
    @Override
    public int primitiveTypeId()
    {
        return TYPE_ID;
    }

    /** {@inheritDoc} */
    @Override
    public String name()
    {
        return "events";
    }

    /** {@inheritDoc} */
    @Override
    public int[] walEntryTypes()
    {
        return new int[] {WalEntryType.EVENT_APPEND.code()};
    }

    /**
     * Encodes an append body; any thread.
     *
     * @param type       the event type.
     * @param timeMicros the time.
     * @param payload    the payload.
     * @return the body.
     */
    public static byte[] appendBody(final Key type, final long timeMicros, final Value payload)
    {
        return new BinaryEncoder(BinaryEncoder.encodedLength(type) + Long.BYTES + BinaryEncoder.encodedLength(payload))
            .writeKey(type).writeLong(timeMicros).writeValue(payload).toByteArray();
    }

    /**
     * The number of events of a run, which is also the last sequence; any thread.
     *
     * @param runId the run.
     * @return the count.
     */
    public long count(final RunId runId)
    {
        final AppendOnlyList<StoredEvent> events = byRun.get(runId);
        return events == null ? 0 : events.size();
    }

    /**
     * One event; any thread.
     *
     * @param runId    the run.
     * @param sequence the 1-based sequence.
     * @return the event, or {@code null}.
     */
    public StoredEvent read(final RunId runId, final long sequence)
    {
        final AppendOnlyList<StoredEvent> events = byRun.get(runId);
        if (events == null || sequence < 1 || sequence > events.size())
        {
            return null;
        }
        return events.get((int)(sequence - 1));
    }

    /**
     * The events with sequences in {@code [start, end]}, clamped to what exists; any thread.
     *
     * @param runId the run.
     * @param start the first sequence.
     * @param end   the last sequence, inclusive.
     * @return the events in order.
     */
    public List<StoredEvent> range(final RunId runId, final long start, final long end)
    {
        final AppendOnlyList<StoredEvent> events = byRun.get(runId);
        if (events == null)
        {
            return List.of();
        }
        final long first = Math.max(1, start);
        final long last = Math.min(events.size(), end);
        if (first > last)
        {
            return List.of();
        }
        final StoredEvent[] out = new StoredEvent[(int)(last - first + 1)];
        for (long s = first; s <= last; s++)
        {
            out[(int)(s - first)] = events.get((int)(s - 1));
        }
        return List.of(out);
    }

    /** {@inheritDoc} */
    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        if (entry.typeCode() != WalEntryType.EVENT_APPEND.code())
        {
            throw new CorruptDataException(
                ErrorCode.UNKNOWN_ENTRY_TYPE, "events cannot apply code=" + entry.typeCode());
        }
        final BinaryDecoder decoder = Sections.body(entry);
        final Key type = decoder.readKey();
        final long time = decoder.readLong();
        final Value payload = decoder.readValue();
        decoder.expectEnd();
        final AppendOnlyList<StoredEvent> events = byRun.computeIfAbsent(entry.runId(), r -> new AppendOnlyList<>());
        events.add(new StoredEvent(events.size() + 1L, type, time, payload));
    }

    /** {@inheritDoc} */
    @Override
public byte[] snapshotSerialize()
    {
        return serialize(byRun);
    }

    /** {@inheritDoc} */
    @Override
    public byte[] serializeRun(final RunId runId)
    {
        return serialize(Sections.only(byRun, runId));
    }

    private byte[] serialize(final Map<RunId, AppendOnlyList<StoredEvent>> runs)
    {
        return Sections.writeRuns(runs, (encoder, events) ->
        {
            final int n = events.size();
            encoder.writeLength(n);
            for (int i = 0; i < n; i++)
            {
                final StoredEvent e = events.get(i);
                encoder.writeKey(e.type()).writeLong(e.timeMicros()).writeValue(e.payload());
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public void snapshotDeserialize(final byte[] data)
    {
        byRun.clear();
        Sections.readRuns(data, byRun, decoder ->
        {
            final int n = decoder.readLength(11);
            final AppendOnlyList<StoredEvent> events = new AppendOnlyList<>();
            for (int i = 0; i < n; i++)
            {
                final Key type = decoder.readKey();
                final long time = decoder.readLong();
                events.add(new StoredEvent(i + 1L, type, time, decoder.readValue()));
            }
            return events;
        });
    }
}
