/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

/**
 * What recovery does when the log is damaged before its durable position, chosen by the caller when opening. A torn
 * tail (damage at or after the durable position) is normal after a crash and is always cut, whatever the policy.
 */
public enum RecoveryPolicy
{
    /**
     * The default: corruption fails the open, naming file, offset and checksums, so nothing acknowledged is silently
     * lost. The operator repairs or restores.
     */
    STRICT_CONSISTENCY,
    /**
     * Open at the last good position, read-only, with a report: the state is the committed prefix before the first
     * damage. Writes are refused ({@code READ_ONLY}) so the damaged log is left as it was for inspection.
     */
    POINT_IN_TIME,
    /**
     * Treat damage that ends the log (no valid frame anywhere after it) as a torn tail even before the durable
     * position: cut it and open read-write. Damage followed by valid frames still fails the open.
     */
    TOLERATE_CORRUPTED_TAIL
}
