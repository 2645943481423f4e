/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Value;
import dev.tally.primitives.CanonicalJson;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A span to record with {@link TraceStore#record(dev.tally.core.RunId, SpanRecord)} or
 * {@link Transaction#recordSpan}: start with {@link #of}, then add a trace, a parent and attributes with the
 * {@code with} methods. Immutable; any thread.
 *
 * @param traceId      the trace to add the span to, or {@code null}: then the parent's trace if there is a parent,
 *                     else a new trace.
 * @param parentSpanId the parent span, which must be in the same run and trace, or {@code null} for a root span.
 * @param name         the name, a valid key.
 * @param startMicros  the start time in microseconds.
 * @param endMicros    the end time in microseconds, not before the start.
 * @param attributes   the attributes (keys must be valid keys); an unmodifiable sorted copy is kept.
 */
public record SpanRecord(String traceId, String parentSpanId, String name, long startMicros, long endMicros,
    Map<String, Value> attributes)
{
    /**
     * Copies the attributes; a {@code null} map means none.
     *
     * @param traceId      the trace, or {@code null}.
     * @param parentSpanId the parent span, or {@code null}.
     * @param name         the name.
     * @param startMicros  the start time.
     * @param endMicros    the end time.
     * @param attributes   the attributes, or {@code null}.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when an attribute key or value is
     *                                  {@code null}.
     */
    public SpanRecord
    {
        final TreeMap<String, Value> copy = new TreeMap<>(CanonicalJson::compareCodePoints);
        if (attributes != null)
        {
            for (final Map.Entry<String, Value> attribute : attributes.entrySet())
            {
                if (attribute.getKey() == null || attribute.getValue() == null)
                {
                    throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                        "span attribute keys and values must not be null; use Value.NULL");
                }
                copy.put(attribute.getKey(), attribute.getValue());
            }
        }
        attributes = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * A root span of a new trace, without attributes; any thread.
     *
     * @param name        the name.
     * @param startMicros the start time.
     * @param endMicros   the end time.
     * @return the record.
     */
    public static SpanRecord of(final String name, final long startMicros, final long endMicros)
    {
        return new SpanRecord(null, null, name, startMicros, endMicros, null);
    }

    /**
     * This span in a given trace; any thread.
     *
     * @param trace the trace id.
     * @return a new record.
     */
    public SpanRecord withTrace(final String trace)
    {
        return new SpanRecord(trace, parentSpanId, name, startMicros, endMicros, attributes);
    }

    /**
     * This span as a child of a given span; any thread. Without a trace id, the span joins its parent's trace.
     *
     * @param parent the parent span id.
     * @return a new record.
     */
    public SpanRecord withParent(final String parent)
    {
        return new SpanRecord(traceId, parent, name, startMicros, endMicros, attributes);
    }

    /**
     * This span with one more attribute (replacing one with the same key); any thread.
     *
     * @param key   the key.
     * @param value the value.
     * @return a new record.
     */
    public SpanRecord withAttribute(final String key, final Value value)
    {
        final Map<String, Value> more = new HashMap<>(attributes);
        more.put(key, value);
        return new SpanRecord(traceId, parentSpanId, name, startMicros, endMicros, more);
    }
}
