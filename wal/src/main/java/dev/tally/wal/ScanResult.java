/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

/**
 * What a {@link WalScanner#scan} found. Immutable; any thread.
 *
 * @param classification  how the log ends.
 * @param endPosition     the end of the last good frame (or the scan start when none): where a writer reopens.
 * @param durablePosition the durable position read from the segment headers.
 * @param tailLength      bytes of damage found at or after {@code endPosition}; 0 for a clean end.
 * @param bytesCut        bytes zeroed on disk: {@code tailLength} in {@link ScanMode#REPAIR}, else 0.
 * @param frameCount      the number of good frames delivered.
 */
public record ScanResult(
    Classification classification,
    long endPosition,
    long durablePosition,
    long tailLength,
    long bytesCut,
    long frameCount)
{
    /**
     * How the log ends. Any thread.
     */
    public enum Classification
    {
        /** The last good frame is followed by zeros only. */
        CLEAN_END,
        /** Damage at or after the durable position: a write a crash interrupted. */
        TORN_TAIL,
        /**
         * The handler stopped the scan at {@code endPosition}, the position of the first frame it did not take;
         * nothing from there on was read or checked.
         */
        STOPPED
    }
}
