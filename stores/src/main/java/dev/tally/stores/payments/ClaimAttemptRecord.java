/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.internal.Fields;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An attempt to claim a channel's charged amount on chain, saved before the claim transaction is broadcast so a
 * restarted server finds it and resumes or abandons it. {@code snapshot} is the channel as the attempt saw it:
 * {@link ServerStateStore#applyClaimAttempt} applies only while the channel still equals it. Immutable and
 * validated; any thread.
 *
 * @param attemptId   the attempt's id, unique in the trust domain.
 * @param channelId   the channel it claims; equal to {@code snapshot.channelId()}.
 * @param snapshot    the channel state the attempt was built from.
 * @param claimAmount what it claims (canonical decimal).
 * @param status      where it stands; a record passed to {@link ServerStateStore#saveClaimAttempt} is
 *                    {@link ClaimAttemptStatus#OPEN}.
 * @param transaction the prepared claim transaction, opaque, up to 256 KiB; {@code null} is taken as empty.
 * @param createdAt   when the store saved it; {@code null} in a record passed to the store.
 */
public record ClaimAttemptRecord(String attemptId, String channelId, ServerChannelRecord snapshot, String claimAmount,
    ClaimAttemptStatus status, byte[] transaction, Instant createdAt)
{
    /**
     * Validates the record and copies the transaction.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public ClaimAttemptRecord
    {
        PaymentFields.id("attemptId", attemptId);
        PaymentFields.id("channelId", channelId);
        Fields.requiredObject("snapshot", snapshot);
        if (!snapshot.channelId().equals(channelId))
        {
            throw Fields.invalid("snapshot", "is of another channel: channelId=" + channelId + ", snapshot="
                + snapshot.channelId());
        }
        PaymentFields.amount("claimAmount", claimAmount);
        Fields.requiredObject("status", status);
        transaction = PaymentFields.optionalBytes("transaction", transaction, PaymentFields.BYTES_LENGTH_MAX);
        createdAt = createdAt == null ? null : Fields.micros(createdAt);
    }

    /**
     * A new open attempt on a channel state, not yet stamped; any thread.
     *
     * @param attemptId   the attempt's id.
     * @param snapshot    the channel as the attempt sees it.
     * @param claimAmount what it claims.
     * @param transaction the prepared transaction, or {@code null}.
     * @return the record.
     */
    public static ClaimAttemptRecord open(final String attemptId, final ServerChannelRecord snapshot,
        final String claimAmount, final byte[] transaction)
    {
        return new ClaimAttemptRecord(attemptId, Fields.requiredObject("snapshot", snapshot).channelId(), snapshot,
            claimAmount, ClaimAttemptStatus.OPEN, transaction, null);
    }

    /**
     * The same attempt in another status; for store implementations, any thread.
     *
     * @param next the status.
     * @return the record.
     */
    public ClaimAttemptRecord withStatus(final ClaimAttemptStatus next)
    {
        return new ClaimAttemptRecord(attemptId, channelId, snapshot, claimAmount, next, transaction, createdAt);
    }

    /**
     * The same attempt stamped with its save time; for store implementations, any thread.
     *
     * @param at the save time, or {@code null} to clear it.
     * @return the record.
     */
    public ClaimAttemptRecord withCreatedAt(final Instant at)
    {
        return new ClaimAttemptRecord(attemptId, channelId, snapshot, claimAmount, status, transaction, at);
    }

    /**
     * A copy of the prepared transaction.
     *
     * @return the bytes, possibly empty.
     */
    @Override
    public byte[] transaction()
    {
        return transaction.clone();
    }

    /** {@inheritDoc} The transaction is compared by content. */
    @Override
    public boolean equals(final Object obj)
    {
        return obj instanceof ClaimAttemptRecord o && attemptId.equals(o.attemptId) && channelId.equals(o.channelId)
            && snapshot.equals(o.snapshot) && claimAmount.equals(o.claimAmount) && status == o.status
            && Arrays.equals(transaction, o.transaction) && Objects.equals(createdAt, o.createdAt);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return Objects.hash(attemptId, channelId, snapshot, claimAmount, status, createdAt) * 31
            + Arrays.hashCode(transaction);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "ClaimAttemptRecord[attemptId=" + attemptId + ", channelId=" + channelId + ", snapshot=" + snapshot
            + ", claimAmount=" + claimAmount + ", status=" + status + ", transaction="
            + PaymentFields.hex(transaction) + ", createdAt=" + createdAt + "]";
    }
}
