/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import java.util.List;
import java.util.Optional;

/**
 * The spans of one replayed run, read-only: it has no write methods. Any thread.
 */
public interface TraceView
{
    /**
     * Reads a span; any thread.
     *
     * @param spanId the span id, 32 lower-case hex digits.
     * @return the span, or empty.
     */
    Optional<Span> get(String spanId);

    /**
     * The tree of one trace, each level ordered by start time, then span id; any thread.
     *
     * @param traceId the trace id.
     * @return the root spans with their descendants; empty when the trace has no spans.
     */
    List<SpanNode> trace(String traceId);

    /**
     * The spans that start in {@code [fromMicros, toMicros)}, ordered by start time, then span id; any thread.
     *
     * @param fromMicros the earliest start, inclusive.
     * @param toMicros   the latest start, exclusive.
     * @return the spans.
     */
    List<Span> spansInRange(long fromMicros, long toMicros);
}
