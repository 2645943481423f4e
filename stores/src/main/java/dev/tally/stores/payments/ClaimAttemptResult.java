/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

/** The outcome of {@link ServerStateStore#saveClaimAttempt}. Immutable; any thread. */
public sealed interface ClaimAttemptResult
{
    /**
     * The attempt is the channel's open attempt: saved now, or saved before by the same call (idempotent).
     *
     * @param attempt the stored attempt, stamped.
     */
    record Saved(ClaimAttemptRecord attempt) implements ClaimAttemptResult
    {
    }

    /**
     * The channel already has another open attempt (or this attempt id is open with other contents): nothing was
     * written.
     *
     * @param existing the stored open attempt.
     */
    record OpenAttemptExists(ClaimAttemptRecord existing) implements ClaimAttemptResult
    {
    }

    /**
     * This attempt id was used before and is applied or abandoned; ids are never reused, so nothing was written.
     *
     * @param existing the stored, closed attempt.
     */
    record AttemptClosed(ClaimAttemptRecord existing) implements ClaimAttemptResult
    {
    }
}
