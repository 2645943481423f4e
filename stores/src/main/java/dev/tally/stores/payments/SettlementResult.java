/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import java.util.Optional;

/**
 * The outcome of {@link ServerStateStore#commitSettlement}: only {@link Committed} wrote anything, and it wrote the
 * commitment, the payment identifier and the next channel state together. Immutable; any thread.
 */
public sealed interface SettlementResult
{
    /**
     * Everything was written in one commit.
     *
     * @param channel    the channel's new state.
     * @param commitment the stored commitment, stamped.
     */
    record Committed(ServerChannelRecord channel, BatchCommitmentRecord commitment) implements SettlementResult
    {
    }

    /**
     * The stored channel no longer equals the expected snapshot (or does not exist): nothing was written.
     *
     * @param current the stored channel, or empty when there is none.
     */
    record ChannelConflict(Optional<ServerChannelRecord> current) implements SettlementResult
    {
    }

    /**
     * The payment identifier is taken by another request fingerprint, payload hash, scope or payment: nothing was
     * written.
     *
     * @param existing the stored payment identifier.
     */
    record PaymentIdentifierConflict(PaymentIdentifierRecord existing) implements SettlementResult
    {
    }

    /**
     * A commitment with this id exists (a retry of a settlement that committed, or a reused id): nothing was
     * written.
     *
     * @param existing the stored commitment.
     */
    record CommitmentExists(BatchCommitmentRecord existing) implements SettlementResult
    {
    }
}
