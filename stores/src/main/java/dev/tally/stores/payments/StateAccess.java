/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

/**
 * The records one store call reads and writes, as {@link ServerStateRules} sees them: a memory store's maps under its
 * lock, or one engine transaction. Reads return {@code null} for an absent record. Used by the thread of one call.
 */
interface StateAccess
{
    ExactPaymentRecord exactPayment(String transactionId);

    void putExactPayment(ExactPaymentRecord payment);

    PaymentIdentifierRecord paymentIdentifier(String id);

    void putPaymentIdentifier(PaymentIdentifierRecord identifier);

    ServerChannelRecord channel(String channelId);

    void putChannel(ServerChannelRecord channel);

    BatchCommitmentRecord commitment(String commitmentId);

    void putCommitment(BatchCommitmentRecord commitment);

    ClaimAttemptRecord attempt(String attemptId);

    void putAttempt(ClaimAttemptRecord attempt);

    String openAttemptId(String channelId);

    /**
     * Sets or clears a channel's open attempt.
     *
     * @param channelId the channel.
     * @param attemptId the open attempt, or {@code null} to clear.
     */
    void putOpenAttemptId(String channelId, String attemptId);
}
