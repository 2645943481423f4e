/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import java.util.List;

/**
 * A span and its child spans, as {@link TraceStore#trace} returns a trace's tree. Immutable.
 *
 * @param span     the span.
 * @param children its children, ordered by start time, then span id; unmodifiable.
 */
public record SpanNode(Span span, List<SpanNode> children)
{
}
