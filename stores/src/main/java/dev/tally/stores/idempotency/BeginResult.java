/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link IdempotencyStore#begin}: the document's {@code Decision}, {@code Existing} and {@code Lease},
 * plus whether an expired lease was taken over. Immutable; any thread.
 *
 * @param decision what to do.
 * @param existing the record as begin found it: present for REPLAY (with the stored response), IN_PROGRESS,
 *                 RETRYABLE and a takeover (the stale attempt's record); empty for a fresh EXECUTE.
 * @param lease    the lease to finish with: present exactly for EXECUTE.
 * @param takenOver whether this EXECUTE took over an {@code IN_PROGRESS} record whose lease had expired (its old
 *                  worker's finish is refused from now on).
 */
public record BeginResult(BeginDecision decision, Optional<IdempotencyRecord> existing, Optional<Lease> lease,
    boolean takenOver)
{
    /**
     * Checks that the parts agree; any thread.
     *
     * @throws IllegalArgumentException when they do not (an implementation's bug).
     */
    public BeginResult
    {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(existing, "existing");
        Objects.requireNonNull(lease, "lease");
        if ((decision == BeginDecision.EXECUTE) != lease.isPresent())
        {
            throw new IllegalArgumentException("a lease comes with EXECUTE and only with it: decision=" + decision);
        }
        if (decision != BeginDecision.EXECUTE && existing.isEmpty())
        {
            throw new IllegalArgumentException("a " + decision + " answer carries the existing record");
        }
        if (takenOver && existing.isEmpty())
        {
            throw new IllegalArgumentException("a takeover carries the record it took over");
        }
    }

    /**
     * A fresh EXECUTE.
     *
     * @param lease the new lease.
     * @return the result.
     */
    public static BeginResult execute(final Lease lease)
    {
        return new BeginResult(BeginDecision.EXECUTE, Optional.empty(), Optional.of(lease), false);
    }

    /**
     * An EXECUTE that took over an expired lease.
     *
     * @param lease    the new lease.
     * @param previous the record as it was before the takeover.
     * @return the result.
     */
    public static BeginResult takeover(final Lease lease, final IdempotencyRecord previous)
    {
        return new BeginResult(BeginDecision.EXECUTE, Optional.of(previous), Optional.of(lease), true);
    }

    /**
     * A REPLAY, IN_PROGRESS or RETRYABLE answer.
     *
     * @param decision the decision, not EXECUTE.
     * @param existing the stored record.
     * @return the result.
     */
    public static BeginResult of(final BeginDecision decision, final IdempotencyRecord existing)
    {
        return new BeginResult(decision, Optional.of(existing), Optional.empty(), false);
    }
}
