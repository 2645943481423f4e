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
 * A consumed exact payment: the transaction id the verifier derived, the output that paid, the request it paid for,
 * and the response the server returned, which a cached exact retry gets back. Immutable and validated; any thread.
 *
 * @param transactionId      the verifier-derived transaction id, consumed once per trust domain.
 * @param paymentOutputIndex the output of the transaction that paid, 0 or more (receipt evidence).
 * @param requestFingerprint the SHA-256 of the request, 64 lower-case hex digits.
 * @param paymentPayloadHash the SHA-256 of the payment payload, 64 lower-case hex digits.
 * @param response           the encoded response returned to the client, up to 256 KiB.
 * @param committedAt        when the store committed it, from the store's clock in microseconds; {@code null} in a
 *                           record passed to {@link ServerStateStore#commitExactPayment}, which stamps it.
 */
public record ExactPaymentRecord(String transactionId, int paymentOutputIndex, String requestFingerprint,
    String paymentPayloadHash, byte[] response, Instant committedAt)
{
    /**
     * Validates the record and copies the response.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public ExactPaymentRecord
    {
        PaymentFields.id("transactionId", transactionId);
        PaymentFields.nonNegative("paymentOutputIndex", paymentOutputIndex);
        PaymentFields.digest("requestFingerprint", requestFingerprint);
        PaymentFields.digest("paymentPayloadHash", paymentPayloadHash);
        response = PaymentFields.bytes("response", response, PaymentFields.BYTES_LENGTH_MAX);
        committedAt = committedAt == null ? null : Fields.micros(committedAt);
    }

    /**
     * An exact payment about to be committed, not yet stamped; any thread.
     *
     * @param transactionId      the transaction id.
     * @param paymentOutputIndex the paying output.
     * @param requestFingerprint the request's digest.
     * @param paymentPayloadHash the payload's digest.
     * @param response           the response.
     * @return the record.
     */
    public static ExactPaymentRecord of(final String transactionId, final int paymentOutputIndex,
        final String requestFingerprint, final String paymentPayloadHash, final byte[] response)
    {
        return new ExactPaymentRecord(transactionId, paymentOutputIndex, requestFingerprint, paymentPayloadHash,
            response, null);
    }

    /**
     * The same record stamped with its commit time; for store implementations, any thread.
     *
     * @param at the commit time.
     * @return the stamped record.
     */
    public ExactPaymentRecord withCommittedAt(final Instant at)
    {
        return new ExactPaymentRecord(transactionId, paymentOutputIndex, requestFingerprint, paymentPayloadHash,
            response, at);
    }

    /**
     * Whether another attempt at this payment is a cached exact retry of it: the same transaction id, output index
     * and request fingerprint. The payload hash and response need not match, because the transaction id is only an
     * optional hint in the payload.
     *
     * @param other the attempt.
     * @return {@code true} for a cached exact retry.
     */
    public boolean isExactRetry(final ExactPaymentRecord other)
    {
        return transactionId.equals(other.transactionId) && paymentOutputIndex == other.paymentOutputIndex
            && requestFingerprint.equals(other.requestFingerprint);
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
        return obj instanceof ExactPaymentRecord o && transactionId.equals(o.transactionId)
            && paymentOutputIndex == o.paymentOutputIndex && requestFingerprint.equals(o.requestFingerprint)
            && paymentPayloadHash.equals(o.paymentPayloadHash) && Arrays.equals(response, o.response)
            && Objects.equals(committedAt, o.committedAt);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return Objects.hash(transactionId, paymentOutputIndex, requestFingerprint, committedAt) * 31
            + Arrays.hashCode(response);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "ExactPaymentRecord[transactionId=" + transactionId + ", paymentOutputIndex=" + paymentOutputIndex
            + ", requestFingerprint=" + requestFingerprint + ", paymentPayloadHash=" + paymentPayloadHash
            + ", response=" + PaymentFields.hex(response) + ", committedAt=" + committedAt + "]";
    }
}
