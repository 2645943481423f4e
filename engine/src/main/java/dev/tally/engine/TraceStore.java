/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.IdGenerator;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntryType;
import dev.tally.engine.internal.CommitAction;
import dev.tally.engine.internal.Engine;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.primitives.CanonicalJson;
import dev.tally.primitives.TracePrimitive;
import dev.tally.primitives.TracePrimitive.SpanId;
import dev.tally.primitives.TracePrimitive.StoredSpan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Spans scoped by run, grouped into traces (trees of spans linked by their parent), findable by id, by trace and by
 * start time. Spans are immutable once recorded. Safe for any number of threads; writes are durable as the
 * database's mode promises when they return.
 */
public final class TraceStore
{
    /** The attribute under which {@link #record(RunId, String, Value)} keeps its metadata. */
    public static final String METADATA_ATTRIBUTE = "metadata";

    private final Engine engine;
    private final TracePrimitive traces;
    private final Checks checks;

    TraceStore(final Engine engine, final TracePrimitive traces, final Checks checks)
    {
        this.engine = engine;
        this.traces = traces;
        this.checks = checks;
    }

    /**
     * Records a span; any thread. Its id (and its trace's id, for a new trace) come from the database's id
     * generator.
     *
     * @param runId the run, which must be active.
     * @param span  the span.
     * @return the new span's id, 32 lower-case hex digits.
     * @throws InvalidArgumentException with {@link ErrorCode#SPAN_NOT_FOUND} when the parent is not a span of the run
     *                                  and trace, {@link ErrorCode#INVALID_ID} for a malformed id, or
     *                                  {@link ErrorCode#INVALID_ARGUMENT} when the span ends before it starts.
     */
    public String record(final RunId runId, final SpanRecord span)
    {
        checks.run(runId);
        final StoredSpan stored = build(checks, engine.config().ids(), span, parent ->
        {
            final StoredSpan found = traces.get(runId, parent);
            return found == null ? null : found.traceId();
        });
        final PendingEntries entries = new PendingEntries()
            .add(WalEntryType.TRACE_RECORD.code(), TracePrimitive.recordBody(stored));
        checks.textLength("span", entries.body(0).length);
        return engine.commit(runId, entries, new CommitAction<String>()
        {
            @Override
            public String check()
            {
                if (stored.parentId() != null)
                {
                    final StoredSpan parent = traces.get(runId, stored.parentId());
                    if (parent == null || !parent.traceId().equals(stored.traceId()))
                    {
                        throw parentNotFound(runId, stored);
                    }
                }
                return null;
            }

            @Override
            public String applied(final long position)
            {
                return stored.id().hex();
            }
        });
    }

    /**
     * Records the root span of a new trace that starts and ends now (the database's clock), with the metadata as
     * its {@value #METADATA_ATTRIBUTE} attribute; any thread.
     *
     * @param runId    the run, which must be active.
     * @param name     the span name, a valid key.
     * @param metadata the metadata.
     * @return the new span's id.
     */
    public String record(final RunId runId, final String name, final Value metadata)
    {
        final long now = engine.config().clock().currentTimeMicros();
        return record(runId, SpanRecord.of(name, now, now).withAttribute(METADATA_ATTRIBUTE, checks.value(metadata)));
    }

    /**
     * Reads a span; any thread.
     *
     * @param runId  the run, which must exist.
     * @param spanId the span id.
     * @return the span, or empty.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ID} when the id is not 32 lower-case hex digits.
     */
    public Optional<Span> get(final RunId runId, final String spanId)
    {
        checks.runExists(runId);
        final StoredSpan span = traces.get(runId, parseId("span id", spanId));
        return span == null ? Optional.empty() : Optional.of(toSpan(span));
    }

    /**
     * The tree of one trace; any thread. A span whose parent is not in the trace counts as a root.
     *
     * @param runId   the run, which must exist.
     * @param traceId the trace id.
     * @return the root spans with their descendants, each level ordered by start time, then span id; empty when the
     *         trace has no spans.
     */
    public List<SpanNode> trace(final RunId runId, final String traceId)
    {
        checks.runExists(runId);
        final SpanId trace = parseId("trace id", traceId);
        return engine.read(() -> tree(traces.trace(runId, trace)));
    }

    /**
     * The spans of a run that start in {@code [fromMicros, toMicros)}; any thread.
     *
     * @param runId      the run, which must exist.
     * @param fromMicros the earliest start, inclusive.
     * @param toMicros   the latest start, exclusive.
     * @return the spans ordered by start time, then span id.
     */
    public List<Span> spansInRange(final RunId runId, final long fromMicros, final long toMicros)
    {
        checks.runExists(runId);
        final List<StoredSpan> stored = traces.startingIn(runId, fromMicros, toMicros);
        final List<Span> out = new ArrayList<>(stored.size());
        for (final StoredSpan span : stored)
        {
            out.add(toSpan(span));
        }
        return out;
    }

    /**
     * Validates a span and gives it its ids; any thread. The parent's existence in the trace is checked by the
     * caller; {@code traceOfSpan} only finds the trace of a parent when the record names none.
     */
    static StoredSpan build(final Checks checks, final IdGenerator ids, final SpanRecord span,
        final Function<SpanId, SpanId> traceOfSpan)
    {
        if (span == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "span must not be null");
        }
        final Key name = checks.key(span.name());
        if (span.endMicros() < span.startMicros())
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "span ends before it starts: startMicros="
                + span.startMicros() + ", endMicros=" + span.endMicros());
        }
        final TreeMap<Key, Value> attributes = new TreeMap<>();
        for (final Map.Entry<String, Value> attribute : span.attributes().entrySet())
        {
            attributes.put(checks.key(attribute.getKey()), checks.value(attribute.getValue()));
        }
        final SpanId parent = span.parentSpanId() == null ? null : parseId("parent span id", span.parentSpanId());
        SpanId trace = span.traceId() == null ? null : parseId("trace id", span.traceId());
        if (trace == null && parent != null)
        {
            trace = traceOfSpan.apply(parent);
            if (trace == null)
            {
                throw new InvalidArgumentException(ErrorCode.SPAN_NOT_FOUND, "parent span not found: parentSpanId="
                    + span.parentSpanId());
            }
        }
        if (trace == null)
        {
            trace = SpanId.of(ids.nextUuid());
        }
        return new StoredSpan(SpanId.of(ids.nextUuid()), trace, parent, name, span.startMicros(), span.endMicros(),
            Collections.unmodifiableSortedMap(attributes));
    }

    static InvalidArgumentException parentNotFound(final RunId runId, final StoredSpan span)
    {
        return new InvalidArgumentException(ErrorCode.SPAN_NOT_FOUND, "parent span not found in the trace: run="
            + runId + ", traceId=" + span.traceId().hex() + ", parentSpanId=" + span.parentId().hex());
    }

    static SpanId parseId(final String what, final String text)
    {
        final SpanId id = SpanId.parse(text);
        if (id == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ID, what + " must be 32 lower-case hex digits: "
                + what.replace(' ', '_') + "=" + text);
        }
        return id;
    }

    static Span toSpan(final StoredSpan span)
    {
        final SortedMap<String, Value> attributes = new TreeMap<>(CanonicalJson::compareCodePoints);
        for (final Map.Entry<Key, Value> attribute : span.attributes().entrySet())
        {
            attributes.put(attribute.getKey().text(), attribute.getValue());
        }
        return new Span(span.id().hex(), span.traceId().hex(), span.parentId() == null ? null : span.parentId().hex(),
            span.name().text(), span.startMicros(), span.endMicros(), Collections.unmodifiableSortedMap(attributes));
    }

    /**
     * Links a trace's spans (given in start order) into trees, bottom-up with an explicit stack so that a deep trace
     * cannot overflow the call stack. Each span is pushed once and looked at twice at most, so the loop ends within
     * twice the span count.
     */
    static List<SpanNode> tree(final Collection<StoredSpan> view)
    {
        final List<StoredSpan> spans = new ArrayList<>(view);
        final Map<SpanId, StoredSpan> byId = new HashMap<>();
        for (final StoredSpan span : spans)
        {
            byId.put(span.id(), span);
        }
        final Map<SpanId, List<SpanId>> children = new HashMap<>();
        final List<SpanId> roots = new ArrayList<>();
        for (final StoredSpan span : spans)
        {
            if (span.parentId() != null && byId.containsKey(span.parentId()))
            {
                children.computeIfAbsent(span.parentId(), p -> new ArrayList<>()).add(span.id());
            }
            else
            {
                roots.add(span.id());
            }
        }
        final Map<SpanId, SpanNode> built = new HashMap<>();
        final Deque<SpanId> stack = new ArrayDeque<>(roots);
        while (!stack.isEmpty())
        {
            final SpanId top = stack.peek();
            final List<SpanId> kids = children.getOrDefault(top, List.of());
            boolean ready = true;
            for (final SpanId kid : kids)
            {
                if (!built.containsKey(kid))
                {
                    stack.push(kid);
                    ready = false;
                }
            }
            if (ready)
            {
                stack.pop();
                final List<SpanNode> nodes = new ArrayList<>(kids.size());
                for (final SpanId kid : kids)
                {
                    nodes.add(built.get(kid));
                }
                built.put(top, new SpanNode(toSpan(byId.get(top)), Collections.unmodifiableList(nodes)));
            }
        }
        final List<SpanNode> out = new ArrayList<>(roots.size());
        for (final SpanId root : roots)
        {
            out.add(built.get(root));
        }
        return Collections.unmodifiableList(out);
    }
}
