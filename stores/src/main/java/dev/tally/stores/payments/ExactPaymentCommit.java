/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.internal.Fields;

/**
 * What {@link ServerStateStore#commitExactPayment} writes in one commit: the exact payment and, when the client sent
 * a {@code payment-identifier}, its record bound to the same transaction. Immutable and validated; any thread.
 *
 * @param payment           the exact payment (its {@code committedAt} is ignored and stamped by the store).
 * @param paymentIdentifier the payment identifier bound to {@code payment.transactionId()}, or {@code null}.
 */
public record ExactPaymentCommit(ExactPaymentRecord payment, PaymentIdentifierRecord paymentIdentifier)
{
    /**
     * Validates that the identifier, if any, is bound to this payment's transaction.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public ExactPaymentCommit
    {
        Fields.requiredObject("payment", payment);
        if (paymentIdentifier != null && !payment.transactionId().equals(paymentIdentifier.transactionId()))
        {
            throw Fields.invalid("paymentIdentifier.transactionId", "must be the payment's transaction id: "
                + "transactionId=" + payment.transactionId() + ", bound=" + paymentIdentifier.transactionId());
        }
    }

    /**
     * An exact payment without a payment identifier; any thread.
     *
     * @param payment the payment.
     * @return the commit.
     */
    public static ExactPaymentCommit of(final ExactPaymentRecord payment)
    {
        return new ExactPaymentCommit(payment, null);
    }
}
