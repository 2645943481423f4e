/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The idempotency state of payment-like operations, as the Idempotency Store Contract describes it: records unique on
 * {@code (principal, method, idempotencyKey)}, begun with {@link #begin}, completed under a lease with
 * {@link #finish}, retried with {@link #reacquire}, and removed after they expire with {@link #deleteExpired}. Every
 * method may be called from any thread concurrently; every answer is durable (a crash cannot take it back).
 *
 * <p>Beyond the document, an {@code IN_PROGRESS} record whose lease is older than the store's lease timeout is
 * taken over by the next {@link #begin} with the same request hash (EXECUTE with a new lease and the fencing token
 * raised by one), so a key whose worker died is never stranded, and the old worker's {@link #finish} is refused.
 * A terminal record whose {@code expiresAt} has passed counts as absent for {@link #begin} and {@link #reacquire}
 * even before {@link #deleteExpired} removes it.
 */
public interface IdempotencyStore
{
    /** The most characters of a principal, method, idempotency key or request hash. */
    int FIELD_LENGTH_MAX = 1024;
    /** The most bytes of a stored response payload. */
    int RESPONSE_PAYLOAD_LENGTH_MAX = 256 * 1024;
    /** The most records one {@link #deleteExpired} call removes. */
    int DELETE_LIMIT_MAX = 100_000;
    /**
     * The default lease timeout: generous, because a lease taken over while its worker still runs lets the business
     * operation run twice (the fencing token stops only the stale worker's finish).
     */
    Duration LEASE_TIMEOUT_DEFAULT = Duration.ofMinutes(5);

    /**
     * Service flow 1: begins an operation, unique on its key. An absent (or expired terminal) record is inserted
     * {@code IN_PROGRESS} with a new lease (EXECUTE); {@code SUCCEEDED} or {@code FAILED_FINAL} answers REPLAY with the
     * stored response; {@code IN_PROGRESS} under a live lease answers IN_PROGRESS, and under an expired one is taken
     * over (EXECUTE, {@code takenOver}); {@code FAILED_RETRYABLE} answers RETRYABLE. Any thread.
     *
     * @param input the operation.
     * @return the decision.
     * @throws dev.tally.core.InvalidArgumentException with {@code IDEMPOTENCY_KEY_REUSED} when the key is stored with
     *                                                 another request hash (nothing changes), or
     *                                                 {@code INVALID_FIELD} when {@code expiresAt} is not after now.
     */
    BeginResult begin(BeginInput input);

    /**
     * Service flow 2: completes the attempt the lease belongs to, only while the lease is current ({@code status =
     * IN_PROGRESS}, {@code updatedAt} and fencing token equal to the lease's); any thread. The record takes the
     * completion's status, response and {@code updatedAt} (the lease's token when the completion has none). A lease
     * past its timeout that nobody took over still finishes.
     *
     * @param lease      the lease from {@link #begin} or {@link #reacquire}.
     * @param completion how the attempt ended.
     * @return {@code true} when completed; {@code false} for a stale worker (the record moved on or is gone), in which
     *         case nothing changed.
     */
    boolean finish(Lease lease, Completion completion);

    /**
     * Service flow 3: a retry worker takes a {@code FAILED_RETRYABLE} record back to {@code IN_PROGRESS} under a new
     * lease whose token is {@code leaseToken} and whose fencing token is one more than the record's, then calls
     * {@link #finish}; any thread. Of several concurrent callers exactly one gets the lease.
     *
     * @param key        the record's key.
     * @param leaseToken the new lease token ({@code updatedAt}), cut to microseconds; {@code null} for the store's
     *                   clock.
     * @return the new lease, or empty when the record is absent, expired, or in any other status.
     */
    Optional<Lease> reacquire(RecordKey key, Instant leaseToken);

    /**
     * {@link #reacquire(RecordKey, Instant)} with the store's clock as the lease token; any thread.
     *
     * @param key the record's key.
     * @return the new lease, or empty.
     */
    default Optional<Lease> reacquire(final RecordKey key)
    {
        return reacquire(key, null);
    }

    /**
     * Removes up to {@code limit} terminal records ({@code SUCCEEDED}, {@code FAILED_FINAL}, {@code FAILED_RETRYABLE})
     * whose {@code expiresAt} is before {@code now}, oldest first; never an {@code IN_PROGRESS} record. Any thread;
     * call it from a periodic cleaner until it returns less than the limit.
     *
     * @param now   the cut-off.
     * @param limit the most records to remove, 1 to {@link #DELETE_LIMIT_MAX}.
     * @return how many were removed.
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    int deleteExpired(Instant now, int limit);

    /**
     * Reads a record as stored (an expired one not yet deleted included); any thread.
     *
     * @param key the key.
     * @return the record, or empty.
     */
    Optional<IdempotencyRecord> get(RecordKey key);
}
