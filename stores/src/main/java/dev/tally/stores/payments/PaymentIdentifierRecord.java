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
 * A client's {@code payment-identifier}, unique in the trust domain, bound to the request it paid for and to the
 * payment that settled it: an exact payment ({@code transactionId}) or a batch commitment ({@code commitmentId}),
 * exactly one of the two. Immutable and validated; any thread.
 *
 * @param id                 the payment identifier, unique in the trust domain.
 * @param requestFingerprint the SHA-256 of the request, 64 lower-case hex digits.
 * @param paymentPayloadHash the SHA-256 of the payment payload, 64 lower-case hex digits.
 * @param paymentScopeId     the scope the payment was made in (a channel, a resource, an exact transaction).
 * @param response           the encoded response returned to the client, up to 256 KiB.
 * @param transactionId      the exact payment's transaction id, or {@code null}.
 * @param commitmentId       the batch commitment's id, or {@code null}.
 * @param committedAt        when the store committed it; {@code null} in a record passed to the store.
 */
public record PaymentIdentifierRecord(String id, String requestFingerprint, String paymentPayloadHash,
    String paymentScopeId, byte[] response, String transactionId, String commitmentId, Instant committedAt)
{
    /**
     * Validates the record and copies the response.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public PaymentIdentifierRecord
    {
        PaymentFields.id("id", id);
        PaymentFields.digest("requestFingerprint", requestFingerprint);
        PaymentFields.digest("paymentPayloadHash", paymentPayloadHash);
        PaymentFields.id("paymentScopeId", paymentScopeId);
        response = PaymentFields.bytes("response", response, PaymentFields.BYTES_LENGTH_MAX);
        PaymentFields.optionalId("transactionId", transactionId);
        PaymentFields.optionalId("commitmentId", commitmentId);
        if ((transactionId == null) == (commitmentId == null))
        {
            throw Fields.invalid("transactionId", "exactly one of transactionId and commitmentId must be set");
        }
        committedAt = committedAt == null ? null : Fields.micros(committedAt);
    }

    /**
     * A payment identifier for an exact payment, not yet stamped; any thread.
     *
     * @param id                 the identifier.
     * @param requestFingerprint the request's digest.
     * @param paymentPayloadHash the payload's digest.
     * @param paymentScopeId     the payment scope.
     * @param response           the response.
     * @param transactionId      the exact payment's transaction id.
     * @return the record.
     */
    public static PaymentIdentifierRecord forExact(final String id, final String requestFingerprint,
        final String paymentPayloadHash, final String paymentScopeId, final byte[] response,
        final String transactionId)
    {
        return new PaymentIdentifierRecord(id, requestFingerprint, paymentPayloadHash, paymentScopeId, response,
            Fields.required("transactionId", transactionId), null, null);
    }

    /**
     * A payment identifier for a batch commitment, not yet stamped; any thread.
     *
     * @param id                 the identifier.
     * @param requestFingerprint the request's digest.
     * @param paymentPayloadHash the payload's digest.
     * @param paymentScopeId     the payment scope.
     * @param response           the response.
     * @param commitmentId       the commitment's id.
     * @return the record.
     */
    public static PaymentIdentifierRecord forCommitment(final String id, final String requestFingerprint,
        final String paymentPayloadHash, final String paymentScopeId, final byte[] response,
        final String commitmentId)
    {
        return new PaymentIdentifierRecord(id, requestFingerprint, paymentPayloadHash, paymentScopeId, response,
            null, Fields.required("commitmentId", commitmentId), null);
    }

    /**
     * The same record stamped with its commit time; for store implementations, any thread.
     *
     * @param at the commit time.
     * @return the stamped record.
     */
    public PaymentIdentifierRecord withCommittedAt(final Instant at)
    {
        return new PaymentIdentifierRecord(id, requestFingerprint, paymentPayloadHash, paymentScopeId, response,
            transactionId, commitmentId, at);
    }

    /**
     * Whether another use of this id may share it: the same request fingerprint, payload hash and payment scope,
     * bound to the same payment. Any other reuse is a conflict and fails atomically.
     *
     * @param other the other use.
     * @return {@code true} when {@code other} is the same payment of the same request.
     */
    public boolean isSameUse(final PaymentIdentifierRecord other)
    {
        return id.equals(other.id) && requestFingerprint.equals(other.requestFingerprint)
            && paymentPayloadHash.equals(other.paymentPayloadHash) && paymentScopeId.equals(other.paymentScopeId)
            && Objects.equals(transactionId, other.transactionId) && Objects.equals(commitmentId, other.commitmentId);
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
        return obj instanceof PaymentIdentifierRecord o && isSameUse(o) && Arrays.equals(response, o.response)
            && Objects.equals(committedAt, o.committedAt);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return Objects.hash(id, requestFingerprint, paymentScopeId, transactionId, commitmentId) * 31
            + Arrays.hashCode(response);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "PaymentIdentifierRecord[id=" + id + ", requestFingerprint=" + requestFingerprint
            + ", paymentPayloadHash=" + paymentPayloadHash + ", paymentScopeId=" + paymentScopeId + ", response="
            + PaymentFields.hex(response) + ", transactionId=" + transactionId + ", commitmentId=" + commitmentId
            + ", committedAt=" + committedAt + "]";
    }
}
