/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

/**
 * The outcome of {@link ServerStateStore#commitExactPayment}: every expected outcome is a value; only
 * {@link Committed} wrote anything. Immutable; any thread.
 */
public sealed interface ExactPaymentResult
{
    /**
     * The transaction id is consumed now, with the payment identifier if one was given.
     *
     * @param payment the stored payment, stamped.
     */
    record Committed(ExactPaymentRecord payment) implements ExactPaymentResult
    {
    }

    /**
     * A cached exact retry (same transaction id, output index and request fingerprint): nothing was written and the
     * stored payment, with the response to return again, is durable.
     *
     * @param payment the stored payment.
     */
    record Cached(ExactPaymentRecord payment) implements ExactPaymentResult
    {
    }

    /**
     * The transaction id was already consumed for another output index or another request: nothing was written.
     *
     * @param existing the stored payment that consumed it.
     */
    record ReplayConflict(ExactPaymentRecord existing) implements ExactPaymentResult
    {
    }

    /**
     * The payment identifier is taken by another request fingerprint, payload hash, scope or payment: nothing at
     * all was written, not the exact payment either.
     *
     * @param existing the stored payment identifier.
     */
    record PaymentIdentifierConflict(PaymentIdentifierRecord existing) implements ExactPaymentResult
    {
    }
}
