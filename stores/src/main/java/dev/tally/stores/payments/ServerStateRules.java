/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.internal.Fields;

import java.time.Instant;
import java.util.Optional;

/**
 * The decisions of every mutating store call, written once for the memory and the embedded store so the two cannot
 * drift: each reads what it checks, decides, and writes only after every check passed, so a call that returns
 * anything but a success wrote nothing. Pure apart from the {@link StateAccess} it is given; any thread.
 */
final class ServerStateRules
{
    private ServerStateRules()
    {
    }

    static ExactPaymentResult commitExactPayment(final StateAccess state, final ExactPaymentCommit commit,
        final Instant now)
    {
        final PaymentIdentifierRecord identifier = commit.paymentIdentifier();
        if (identifier != null)
        {
            final PaymentIdentifierRecord taken = state.paymentIdentifier(identifier.id());
            if (taken != null && !taken.isSameUse(identifier))
            {
                return new ExactPaymentResult.PaymentIdentifierConflict(taken);
            }
        }
        final ExactPaymentRecord payment = commit.payment();
        final ExactPaymentRecord consumed = state.exactPayment(payment.transactionId());
        if (consumed != null)
        {
            return consumed.isExactRetry(payment) ? new ExactPaymentResult.Cached(consumed)
                : new ExactPaymentResult.ReplayConflict(consumed);
        }
        final ExactPaymentRecord stamped = payment.withCommittedAt(now);
        state.putExactPayment(stamped);
        if (identifier != null && state.paymentIdentifier(identifier.id()) == null)
        {
            state.putPaymentIdentifier(identifier.withCommittedAt(now));
        }
        return new ExactPaymentResult.Committed(stamped);
    }

    static ChannelResult openChannel(final StateAccess state, final ServerChannelRecord channel)
    {
        final ServerChannelRecord current = state.channel(channel.channelId());
        if (current != null)
        {
            return new ChannelResult.Exists(current);
        }
        state.putChannel(channel);
        return new ChannelResult.Created(channel);
    }

    static SettlementResult commitSettlement(final StateAccess state, final SettlementCommit commit,
        final Instant now)
    {
        final PaymentIdentifierRecord identifier = commit.paymentIdentifier();
        if (identifier != null)
        {
            final PaymentIdentifierRecord taken = state.paymentIdentifier(identifier.id());
            if (taken != null && !taken.isSameUse(identifier))
            {
                return new SettlementResult.PaymentIdentifierConflict(taken);
            }
        }
        final BatchCommitmentRecord existing = state.commitment(commit.commitment().commitmentId());
        if (existing != null)
        {
            return new SettlementResult.CommitmentExists(existing);
        }
        final ServerChannelRecord current = state.channel(commit.expected().channelId());
        if (current == null || !current.equals(commit.expected()))
        {
            return new SettlementResult.ChannelConflict(Optional.ofNullable(current));
        }
        final BatchCommitmentRecord stamped = commit.commitment().withCommittedAt(now);
        state.putCommitment(stamped);
        if (identifier != null && state.paymentIdentifier(identifier.id()) == null)
        {
            state.putPaymentIdentifier(identifier.withCommittedAt(now));
        }
        state.putChannel(commit.next());
        return new SettlementResult.Committed(commit.next(), stamped);
    }

    static ClaimAttemptResult saveClaimAttempt(final StateAccess state, final ClaimAttemptRecord attempt,
        final Instant now)
    {
        if (attempt.status() != ClaimAttemptStatus.OPEN)
        {
            throw Fields.invalid("status", "a saved claim attempt must be OPEN: status=" + attempt.status());
        }
        final ClaimAttemptRecord known = state.attempt(attempt.attemptId());
        if (known != null && known.status() != ClaimAttemptStatus.OPEN)
        {
            return new ClaimAttemptResult.AttemptClosed(known);
        }
        if (known != null)
        {
            return known.withCreatedAt(null).equals(attempt.withCreatedAt(null))
                ? new ClaimAttemptResult.Saved(known) : new ClaimAttemptResult.OpenAttemptExists(known);
        }
        final String openId = state.openAttemptId(attempt.channelId());
        if (openId != null)
        {
            return new ClaimAttemptResult.OpenAttemptExists(state.attempt(openId));
        }
        final ClaimAttemptRecord stamped = attempt.withCreatedAt(now);
        state.putAttempt(stamped);
        state.putOpenAttemptId(attempt.channelId(), attempt.attemptId());
        return new ClaimAttemptResult.Saved(stamped);
    }

    static ClaimApplyResult applyClaimAttempt(final StateAccess state, final ServerChannelRecord next,
        final String attemptId)
    {
        final ClaimAttemptRecord attempt = state.attempt(attemptId);
        if (attempt == null || attempt.status() != ClaimAttemptStatus.OPEN)
        {
            return new ClaimApplyResult.AttemptNotOpen(Optional.ofNullable(attempt));
        }
        Transitions.requireSuccessor("next", attempt.snapshot(), next);
        final ServerChannelRecord current = state.channel(attempt.channelId());
        if (current == null || !current.equals(attempt.snapshot()))
        {
            return new ClaimApplyResult.ChannelConflict(Optional.ofNullable(current));
        }
        final ClaimAttemptRecord applied = attempt.withStatus(ClaimAttemptStatus.APPLIED);
        state.putChannel(next);
        state.putAttempt(applied);
        state.putOpenAttemptId(attempt.channelId(), null);
        return new ClaimApplyResult.Applied(next, applied);
    }

    static boolean abandonClaimAttempt(final StateAccess state, final String attemptId)
    {
        final ClaimAttemptRecord attempt = state.attempt(attemptId);
        if (attempt == null || attempt.status() != ClaimAttemptStatus.OPEN)
        {
            return false;
        }
        state.putAttempt(attempt.withStatus(ClaimAttemptStatus.ABANDONED));
        state.putOpenAttemptId(attempt.channelId(), null);
        return true;
    }
}
