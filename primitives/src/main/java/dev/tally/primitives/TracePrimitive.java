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
import dev.tally.primitives.internal.Sections;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The trace primitive: per run, immutable spans indexed by span id, by trace (in start order) and by start time.
 * Spans are only ever added. Mutated by the commit-lock holder; read lock-free by any thread.
 *
 * <p>Span and trace ids are 128-bit values made by the database's id generator when the span is recorded and stored
 * in the entry, so recovery reproduces them; they print as 32 lower-case hex digits and sort as unsigned numbers,
 * which is the order of their hex text.
 *
 * <pre>
 * span:  span id (16) | trace id (16) | has parent (boolean) | if has parent: parent span id (16) | name (key)
 *        | start (micros) | end (micros, &gt;= start) | attribute count | per attribute (sorted by key): key | value
 * TRACE_RECORD body: span
 * section: version | run count | per run (sorted): run id | span count | per span (sorted by span id): span
 * </pre>
 * Stored on disk; changing it needs a new format version.
 */
public final class TracePrimitive implements RunSections, LoadablePrimitive
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 5;

    private static final HexFormat HEX = HexFormat.of();

    private final Map<RunId, RunSpans> byRun = new ConcurrentHashMap<>();

    /**
     * A span or trace id: 128 bits, ordered as unsigned numbers.
     *
     * @param high the first 64 bits.
     * @param low  the last 64 bits.
     */
    public record SpanId(long high, long low) implements Comparable<SpanId>
    {
        /** The lowest id. */
        public static final SpanId MIN = new SpanId(0, 0);

        /**
         * The id with a UUID's bits.
         *
         * @param uuid the UUID.
         * @return the id.
         */
        public static SpanId of(final UUID uuid)
        {
            return new SpanId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
        }

        /**
         * Parses 32 lower-case hex digits.
         *
         * @param text the text.
         * @return the id, or {@code null} when the text is not 32 lower-case hex digits.
         */
        public static SpanId parse(final String text)
        {
            if (text == null || text.length() != 32)
            {
                return null;
            }
            for (int i = 0; i < 32; i++)
            {
                final char c = text.charAt(i);
                if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f'))
                {
                    return null;
                }
            }
            return new SpanId(HexFormat.fromHexDigitsToLong(text, 0, 16), HexFormat.fromHexDigitsToLong(text, 16, 32));
        }

        /**
         * The id as 32 lower-case hex digits.
         *
         * @return the text.
         */
        public String hex()
        {
            return HEX.toHexDigits(high) + HEX.toHexDigits(low);
        }

        /** {@inheritDoc} */
        @Override
        public int compareTo(final SpanId other)
        {
            final int c = Long.compareUnsigned(high, other.high);
            return c != 0 ? c : Long.compareUnsigned(low, other.low);
        }
    }

    /**
     * A stored span.
     *
     * @param id          the span id.
     * @param traceId     the trace id.
     * @param parentId    the parent span's id, or {@code null} for a root.
     * @param name        the name.
     * @param startMicros the start time.
     * @param endMicros   the end time, not before the start.
     * @param attributes  the attributes, sorted by key; unmodifiable.
     */
    public record StoredSpan(SpanId id, SpanId traceId, SpanId parentId, Key name, long startMicros, long endMicros,
        SortedMap<Key, Value> attributes)
    {
    }

    /**
     * A span's place in start-time order: by start, then by span id.
     *
     * @param startMicros the start time.
     * @param id          the span id.
     */
    record StartOrder(long startMicros, SpanId id) implements Comparable<StartOrder>
    {
        @Override
        public int compareTo(final StartOrder other)
        {
            final int c = Long.compare(startMicros, other.startMicros);
            return c != 0 ? c : id.compareTo(other.id);
        }
    }

    /** The spans of one run and their indexes; written by the commit-lock holder only. */
    private static final class RunSpans
    {
        final ConcurrentSkipListMap<SpanId, StoredSpan> byId = new ConcurrentSkipListMap<>();
        final Map<SpanId, ConcurrentSkipListMap<StartOrder, StoredSpan>> byTrace = new ConcurrentHashMap<>();
        final ConcurrentSkipListMap<StartOrder, StoredSpan> byStart = new ConcurrentSkipListMap<>();

        void add(final StoredSpan span)
        {
            final StartOrder order = new StartOrder(span.startMicros(), span.id());
            // Order of publication: the trace and time indexes first, the id index last, so that a reader that finds
            // a span by id also finds it in the other indexes.
            byTrace.computeIfAbsent(span.traceId(), t -> new ConcurrentSkipListMap<>()).put(order, span);
            byStart.put(order, span);
            byId.put(span.id(), span);
        }
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
        return "traces";
    }

    /** {@inheritDoc} */
    @Override
    public int[] walEntryTypes()
    {
        return new int[] {WalEntryType.TRACE_RECORD.code()};
    }

    /**
     * Encodes a record body; any thread.
     *
     * @param span the span, attributes sorted.
     * @return the body.
     */
    public static byte[] recordBody(final StoredSpan span)
    {
        final BinaryEncoder encoder = new BinaryEncoder(64 + span.name().encodedLength());
        writeSpan(encoder, span);
        return encoder.toByteArray();
    }

    /**
     * A span by id; any thread.
     *
     * @param runId the run.
     * @param id    the span id.
     * @return the span, or {@code null}.
     */
    public StoredSpan get(final RunId runId, final SpanId id)
    {
        final RunSpans spans = byRun.get(runId);
        return spans == null ? null : spans.byId.get(id);
    }

    /**
     * The spans of one trace, by start time then span id; any thread (under the engine's read for a stable view).
     *
     * @param runId   the run.
     * @param traceId the trace id.
     * @return the spans; a live view, not a copy.
     */
    public Collection<StoredSpan> trace(final RunId runId, final SpanId traceId)
    {
        final RunSpans spans = byRun.get(runId);
        final ConcurrentSkipListMap<StartOrder, StoredSpan> trace = spans == null ? null : spans.byTrace.get(traceId);
        return trace == null ? List.of() : trace.values();
    }

    /**
     * The spans whose start lies in {@code [fromMicros, toMicros)}, by start time then span id; any thread.
     *
     * @param runId      the run.
     * @param fromMicros the earliest start, inclusive.
     * @param toMicros   the latest start, exclusive.
     * @return the spans, a new list.
     */
    public List<StoredSpan> startingIn(final RunId runId, final long fromMicros, final long toMicros)
    {
        final RunSpans spans = byRun.get(runId);
        if (spans == null || toMicros <= fromMicros)
        {
            return List.of();
        }
        return new ArrayList<>(spans.byStart.subMap(new StartOrder(fromMicros, SpanId.MIN), true,
            new StartOrder(toMicros, SpanId.MIN), false).values());
    }

    /** {@inheritDoc} */
    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        if (entry.typeCode() != WalEntryType.TRACE_RECORD.code())
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE, "traces cannot apply code="
                + entry.typeCode());
        }
        final BinaryDecoder decoder = Sections.body(entry);
        final StoredSpan span = readSpan(decoder);
        decoder.expectEnd();
        byRun.computeIfAbsent(entry.runId(), r -> new RunSpans()).add(span);
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

    private byte[] serialize(final Map<RunId, RunSpans> runs)
    {
        return Sections.writeRuns(runs, (encoder, run) ->
        {
            encoder.writeLength(run.byId.size());
            for (final StoredSpan span : run.byId.values())
            {
                writeSpan(encoder, span);
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
            final int count = decoder.readLength(52);
            final RunSpans spans = new RunSpans();
            for (int s = 0; s < count; s++)
            {
                spans.add(readSpan(decoder));
            }
            return spans;
        });
    }

    private static void writeSpan(final BinaryEncoder encoder, final StoredSpan span)
    {
        writeId(encoder, span.id());
        writeId(encoder, span.traceId());
        encoder.writeBoolean(span.parentId() != null);
        if (span.parentId() != null)
        {
            writeId(encoder, span.parentId());
        }
        encoder.writeKey(span.name()).writeLong(span.startMicros()).writeLong(span.endMicros());
        encoder.writeLength(span.attributes().size());
        for (final Map.Entry<Key, Value> attribute : span.attributes().entrySet())
        {
            encoder.writeKey(attribute.getKey()).writeValue(attribute.getValue());
        }
    }

    private static StoredSpan readSpan(final BinaryDecoder decoder)
    {
        final SpanId id = readId(decoder);
        final SpanId traceId = readId(decoder);
        final SpanId parentId = decoder.readBoolean() ? readId(decoder) : null;
        final Key name = decoder.readKey();
        final long start = decoder.readLong();
        final long end = decoder.readLong();
        if (end < start)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored span ends before it starts: start=" + start
                + ", end=" + end);
        }
        final int count = decoder.readLength(3);
        final TreeMap<Key, Value> attributes = new TreeMap<>();
        Key previous = null;
        for (int i = 0; i < count; i++)
        {
            final Key key = decoder.readKey();
            if (previous != null && previous.compareTo(key) >= 0)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored span attributes not sorted: key="
                    + key);
            }
            attributes.put(key, decoder.readValue());
            previous = key;
        }
        return new StoredSpan(id, traceId, parentId, name, start, end, Collections.unmodifiableSortedMap(attributes));
    }

    private static void writeId(final BinaryEncoder encoder, final SpanId id)
    {
        encoder.writeLong(id.high()).writeLong(id.low());
    }

    private static SpanId readId(final BinaryDecoder decoder)
    {
        final long high = decoder.readLong();
        return new SpanId(high, decoder.readLong());
    }
}
