/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

/**
 * What {@link IdempotencyStore#begin} tells the service to do, as "Service flow 1." of the document lists it.
 * Immutable; any thread.
 */
public enum BeginDecision
{
    /** A new operation (or a taken-over one): run the business logic under the returned lease, then finish. */
    EXECUTE,
    /** Already completed ({@code SUCCEEDED} or {@code FAILED_FINAL}): return the stored response. */
    REPLAY,
    /** Another request is running under a live lease: answer retry-later. */
    IN_PROGRESS,
    /** The previous run ended {@code FAILED_RETRYABLE}: hand it to the retry policy (which calls reacquire). */
    RETRYABLE
}
