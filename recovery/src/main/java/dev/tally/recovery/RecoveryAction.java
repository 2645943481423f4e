/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

/**
 * What recovery does in a {@link RecoveryCase}.
 */
public enum RecoveryAction
{
    /** Open read-write at the end of the log (a torn tail was cut in the scan). */
    OPEN,
    /** Cut the log at the damage and open read-write at the cut. */
    CUT_AND_OPEN,
    /** Open read-only with the state rebuilt so far, and report where the damage is. */
    OPEN_READ_ONLY,
    /** Refuse to open: throw the corruption found. */
    FAIL
}
