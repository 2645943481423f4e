/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

/**
 * Where a claim attempt stands. Only an {@link #OPEN} attempt holds its channel's one open-attempt slot. Stored by
 * ordinal: add new statuses at the end only.
 */
public enum ClaimAttemptStatus
{
    /** Saved, not yet applied; at most one per channel. */
    OPEN,
    /** Applied to its channel by a successful compare-and-set; final. */
    APPLIED,
    /** Given up by the server; final, and its channel may take a new attempt. */
    ABANDONED
}
