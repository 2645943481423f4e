/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

/**
 * The state of an idempotency record, as the document's {@code idempotency_keys.status} names it. Immutable; any
 * thread.
 */
public enum Status
{
    /** A worker holds the lease and runs the business operation; {@link IdempotencyStore#finish} ends it. */
    IN_PROGRESS,
    /** The operation completed; a repeated call replays the stored response. Terminal. */
    SUCCEEDED,
    /** The operation failed for good; a repeated call replays the stored (error) response. Terminal. */
    FAILED_FINAL,
    /** The operation failed and may be tried again; {@link IdempotencyStore#reacquire} starts the retry. Terminal. */
    FAILED_RETRYABLE;

    /**
     * Whether a record in this state is finished: it has a response, takes no {@code finish}, and may be deleted once
     * it expires.
     *
     * @return {@code true} for {@link #SUCCEEDED}, {@link #FAILED_FINAL} and {@link #FAILED_RETRYABLE}.
     */
    public boolean isTerminal()
    {
        return this != IN_PROGRESS;
    }
}
