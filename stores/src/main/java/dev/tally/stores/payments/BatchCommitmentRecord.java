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
 * One batch-settlement charge on a channel: the voucher's increment the server accepted for one request, with the
 * response it returned. Written only by {@link ServerStateStore#commitSettlement}, together with the channel's next
 * state. Immutable and validated; any thread.
 *
 * @param commitmentId            the commitment's id, unique in the trust domain.
 * @param channelId               the channel it charges.
 * @param requestFingerprint      the SHA-256 of the request, 64 lower-case hex digits.
 * @param amount                  what this request was charged (canonical decimal).
 * @param chargedCumulativeAmount the channel's cumulative charge after it (canonical decimal).
 * @param paymentIdentifier       the client's payment identifier, or {@code null}.
 * @param response                the encoded response returned to the client, up to 256 KiB.
 * @param committedAt             when the store committed it; {@code null} in a record passed to the store.
 */
public record BatchCommitmentRecord(String commitmentId, String channelId, String requestFingerprint, String amount,
    String chargedCumulativeAmount, String paymentIdentifier, byte[] response, Instant committedAt)
{
    /**
     * Validates the record and copies the response.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public BatchCommitmentRecord
    {
        PaymentFields.id("commitmentId", commitmentId);
        PaymentFields.id("channelId", channelId);
        PaymentFields.digest("requestFingerprint", requestFingerprint);
        PaymentFields.amount("amount", amount);
        PaymentFields.amount("chargedCumulativeAmount", chargedCumulativeAmount);
        PaymentFields.optionalId("paymentIdentifier", paymentIdentifier);
        response = PaymentFields.bytes("response", response, PaymentFields.BYTES_LENGTH_MAX);
        committedAt = committedAt == null ? null : Fields.micros(committedAt);
    }

    /**
     * The same record stamped with its commit time; for store implementations, any thread.
     *
     * @param at the commit time.
     * @return the stamped record.
     */
    public BatchCommitmentRecord withCommittedAt(final Instant at)
    {
        return new BatchCommitmentRecord(commitmentId, channelId, requestFingerprint, amount,
            chargedCumulativeAmount, paymentIdentifier, response, at);
    }

    /**
     * A copy of the response.
     *
     * @return the bytes.
     */
    @Override
    public byte[] response()
    {
        return response.clone();
    }

    /** {@inheritDoc} The response is compared by content. */
    @Override
    public boolean equals(final Object obj)
    {
        return obj instanceof BatchCommitmentRecord o && commitmentId.equals(o.commitmentId)
            && channelId.equals(o.channelId) && requestFingerprint.equals(o.requestFingerprint)
            && amount.equals(o.amount) && chargedCumulativeAmount.equals(o.chargedCumulativeAmount)
            && Objects.equals(paymentIdentifier, o.paymentIdentifier) && Arrays.equals(response, o.response)
            && Objects.equals(committedAt, o.committedAt);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return Objects.hash(commitmentId, channelId, amount, committedAt) * 31 + Arrays.hashCode(response);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "BatchCommitmentRecord[commitmentId=" + commitmentId + ", channelId=" + channelId
            + ", requestFingerprint=" + requestFingerprint + ", amount=" + amount + ", chargedCumulativeAmount="
            + chargedCumulativeAmount + ", paymentIdentifier=" + paymentIdentifier + ", response="
            + PaymentFields.hex(response) + ", committedAt=" + committedAt + "]";
    }
}
