/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import java.util.Optional;

/** The outcome of {@link ServerStateStore#applyClaimAttempt}. Immutable; any thread. */
public sealed interface ClaimApplyResult
{
    /**
     * The channel still equalled the attempt's snapshot: its next state and the attempt's close were written in one
     * commit.
     *
     * @param channel the channel's new state.
     * @param attempt the attempt, now {@link ClaimAttemptStatus#APPLIED}.
     */
    record Applied(ServerChannelRecord channel, ClaimAttemptRecord attempt) implements ClaimApplyResult
    {
    }

    /**
     * The attempt is not open (unknown, applied or abandoned): nothing was written.
     *
     * @param attempt the stored attempt, or empty when there is none.
     */
    record AttemptNotOpen(Optional<ClaimAttemptRecord> attempt) implements ClaimApplyResult
    {
    }

    /**
     * The channel no longer equals the attempt's snapshot: nothing was written and the attempt stays open, for the
     * server to abandon.
     *
     * @param current the stored channel, or empty when there is none.
     */
    record ChannelConflict(Optional<ServerChannelRecord> current) implements ClaimApplyResult
    {
    }
}
