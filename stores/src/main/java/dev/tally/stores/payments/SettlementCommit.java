/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.internal.Fields;

/**
 * What {@link ServerStateStore#commitSettlement} writes in one commit, and the channel state it requires: the batch
 * commitment, the optional payment identifier bound to it, and the channel's next state, written only while the
 * stored channel equals {@code expected}. Immutable and validated; any thread.
 *
 * @param expected          the channel as the server verified the voucher against it.
 * @param next              the channel after the charge: the same channel, {@code expected.version() + 1}.
 * @param commitment        the commitment, of the same channel.
 * @param paymentIdentifier the payment identifier bound to {@code commitment.commitmentId()}, or {@code null}.
 */
public record SettlementCommit(ServerChannelRecord expected, ServerChannelRecord next,
    BatchCommitmentRecord commitment, PaymentIdentifierRecord paymentIdentifier)
{
    /**
     * Validates that the parts belong together.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public SettlementCommit
    {
        Fields.requiredObject("expected", expected);
        Fields.requiredObject("next", next);
        Fields.requiredObject("commitment", commitment);
        Transitions.requireSuccessor("next", expected, next);
        if (!commitment.channelId().equals(expected.channelId()))
        {
            throw Fields.invalid("commitment.channelId", "must be the channel's id: channelId="
                + expected.channelId() + ", commitment=" + commitment.channelId());
        }
        if (paymentIdentifier != null && !commitment.commitmentId().equals(paymentIdentifier.commitmentId()))
        {
            throw Fields.invalid("paymentIdentifier.commitmentId", "must be the commitment's id: commitmentId="
                + commitment.commitmentId() + ", bound=" + paymentIdentifier.commitmentId());
        }
    }
}
