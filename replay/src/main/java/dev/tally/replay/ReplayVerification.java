/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

/**
 * The outcome of checking a run's replay against the hash recorded when it ended. Immutable; any thread.
 *
 * @param recordedHash the hash stored in the run's end entry, or {@code null} when the run is active or ended
 *                     without one.
 * @param replayedHash the hash of the replay of the run's history before its end entry (the whole history while it
 *                     is active).
 * @param matches      whether both hashes exist and are equal.
 * @param detail       a sentence saying why they do not match, or the empty string when they do.
 */
public record ReplayVerification(String recordedHash, String replayedHash, boolean matches, String detail)
{
}
