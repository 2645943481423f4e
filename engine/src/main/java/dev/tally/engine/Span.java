/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Value;

import java.util.SortedMap;

/**
 * One recorded span of a {@link TraceStore}. Immutable, so safe to share between threads.
 *
 * @param spanId       the span's id, 32 lower-case hex digits.
 * @param traceId      the id of the trace it belongs to, 32 lower-case hex digits.
 * @param parentSpanId the parent span's id, or {@code null} for a root span.
 * @param name         the name.
 * @param startMicros  the start time in microseconds.
 * @param endMicros    the end time in microseconds, not before the start.
 * @param attributes   the attributes, sorted by key in code point order (the order of their UTF-8 bytes);
 *                     unmodifiable.
 */
public record Span(String spanId, String traceId, String parentSpanId, String name, long startMicros, long endMicros,
    SortedMap<String, Value> attributes)
{
}
