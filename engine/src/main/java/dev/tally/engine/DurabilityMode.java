/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

/**
 * When a write becomes durable. Chosen once when the database is opened.
 */
public enum DurabilityMode
{
    /** No files; nothing survives the process. Visible as soon as the call returns. */
    IN_MEMORY,
    /**
     * Written to the log at once and forced on a timer (the flush interval, 100 ms by default), when
     * {@link Database#flush()} returns, and on close; a crash may lose up to one flush interval of writes.
     */
    BUFFERED,
    /**
     * Durable before the call returns: the writer forces the log and only then releases the caller. Concurrent
     * callers share one force (group commit).
     */
    STRICT
}
