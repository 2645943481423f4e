/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

/**
 * How the log looks from where recovery needs it to start: one input of the {@link RecoveryCase} table.
 */
public enum LogState
{
    /** Valid frames, then zeros to the end. */
    CLEAN_END,
    /** Damage at or after the durable position: a write a crash interrupted. */
    TORN_TAIL,
    /** Damage before the durable position, and valid frames somewhere after it. */
    CORRUPT_THEN_VALID,
    /** Damage before the durable position, and no valid frame anywhere after it. */
    CORRUPT_TO_END,
    /**
     * The log does not reach back to where recovery must start (a segment is missing or was reclaimed, or the header
     * of the segment holding the start is damaged).
     */
    MISSING_PREFIX,
    /**
     * The chosen snapshot covers positions beyond the end of the log (where its frames stop, not where its last,
     * preallocated file ends): durable frames it depends on are gone.
     */
    SNAPSHOT_AHEAD_OF_LOG
}
