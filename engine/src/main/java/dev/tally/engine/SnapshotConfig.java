/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;

/**
 * When snapshots are taken automatically and how many are kept. Immutable; pass it to
 * {@link Database#configureSnapshots(SnapshotConfig)} or {@link DatabaseBuilder#snapshots(SnapshotConfig)}.
 * After an automatic snapshot the triggers rest three times as long as it took, so that under a write load that
 * fills the byte trigger faster than a snapshot completes, snapshots take at most a quarter of a core.
 *
 * @param everyWalBytes take one when this many log bytes were written since the last one; 0 turns it off.
 * @param everySeconds  take one when this many seconds passed since the last one; 0 turns it off.
 * @param onClose       take one when the database closes.
 * @param keep          keep the newest this many valid snapshots (at least 1); the log is reclaimed only before the
 *                      oldest kept one, so every kept snapshot stays usable.
 */
public record SnapshotConfig(long everyWalBytes, long everySeconds, boolean onClose, int keep)
{
    /** The default: every 256 MiB of log, not on a timer, not on close, keep 2. */
    public static final SnapshotConfig DEFAULT = new SnapshotConfig(256L << 20, 0, false, 2);
    /** No automatic snapshot; {@link Database#snapshot()} still works. Keeps 2. */
    public static final SnapshotConfig MANUAL = new SnapshotConfig(0, 0, false, 2);

    /**
     * Validates the values; any thread.
     *
     * @param everyWalBytes 0, or at least 4096.
     * @param everySeconds  0 to one day.
     * @param onClose       whether close takes one.
     * @param keep          1 to 1000.
     */
    public SnapshotConfig
    {
        if (everyWalBytes < 0 || (everyWalBytes > 0 && everyWalBytes < 4096))
        {
            throw invalid("everyWalBytes must be 0 or at least 4096: everyWalBytes=" + everyWalBytes);
        }
        if (everySeconds < 0 || everySeconds > 86_400)
        {
            throw invalid("everySeconds out of range: everySeconds=" + everySeconds);
        }
        if (keep < 1 || keep > 1000)
        {
            throw invalid("keep out of range: keep=" + keep);
        }
    }

    private static ConfigurationException invalid(final String message)
    {
        return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
