/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Value;

/**
 * One event of a run's event log. Immutable.
 *
 * @param sequence   the 1-based number in its run.
 * @param type       the event type.
 * @param payload    the payload.
 * @param timeMicros when it was appended, from the database's clock (for display, not ordering).
 */
public record Event(long sequence, String type, Value payload, long timeMicros)
{
}
