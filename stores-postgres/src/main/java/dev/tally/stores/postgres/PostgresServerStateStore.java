/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.Clock;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.payments.ChannelResult;
import dev.tally.stores.payments.ClaimApplyResult;
import dev.tally.stores.payments.ClaimAttemptRecord;
import dev.tally.stores.payments.ClaimAttemptResult;
import dev.tally.stores.payments.ClaimAttemptStatus;
import dev.tally.stores.payments.ExactPaymentCommit;
import dev.tally.stores.payments.ExactPaymentRecord;
import dev.tally.stores.payments.ExactPaymentResult;
import dev.tally.stores.payments.PaymentIdentifierRecord;
import dev.tally.stores.payments.ServerChannelRecord;
import dev.tally.stores.payments.ServerStateStore;
import dev.tally.stores.payments.SettlementCommit;
import dev.tally.stores.payments.SettlementResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The payment server state of one trust domain on PostgreSQL (the server store contract): every call is one
 * transaction in which each uniqueness check and the writes it protects run together. Uniqueness rests on the primary
 * keys and the partial unique index of open claim attempts: of two racing inserts the second waits for the first and
 * fails with a unique violation, and the transaction runs again and sees the winner, so the outcome is the one a
 * serial execution gives. Compare-and-set is a conditional {@code UPDATE} on every column of the expected channel.
 * Any thread.
 */
public final class PostgresServerStateStore implements ServerStateStore
{
    /** The longest trust domain name. */
    public static final int TRUST_DOMAIN_LENGTH_MAX = 256;

    private static final int ID_LENGTH_MAX = 256;

    private final Transactions transactions;
    private final Clock clock;
    private final PaymentRows rows;

    /**
     * A store of one trust domain.
     *
     * @param stores      the entry point.
     * @param trustDomain the domain whose transaction ids and payment identifiers are unique.
     */
    PostgresServerStateStore(final PostgresStores stores, final String trustDomain)
    {
        Fields.bounded("trustDomain", trustDomain, TRUST_DOMAIN_LENGTH_MAX);
        stores.requireStrict("PostgresServerStateStore");
        this.transactions = stores.transactions();
        this.clock = stores.clock();
        this.rows = new PaymentRows(trustDomain);
    }

    /** {@inheritDoc} */
    @Override
    public ExactPaymentResult commitExactPayment(final ExactPaymentCommit commit)
    {
        Fields.requiredObject("commit", commit);
        return transactions.run("commitExactPayment", connection ->
        {
            final PaymentIdentifierRecord identifier = commit.paymentIdentifier();
            final PaymentIdentifierRecord taken = identifier == null ? null
                : rows.paymentIdentifier(connection, identifier.id());
            if (taken != null && !taken.isSameUse(identifier))
            {
                return new ExactPaymentResult.PaymentIdentifierConflict(taken);
            }
            final ExactPaymentRecord payment = commit.payment();
            final ExactPaymentRecord consumed = rows.exactPayment(connection, payment.transactionId());
            if (consumed != null)
            {
                return consumed.isExactRetry(payment) ? new ExactPaymentResult.Cached(consumed)
                    : new ExactPaymentResult.ReplayConflict(consumed);
            }
            final Instant now = now();
            final ExactPaymentRecord stamped = payment.withCommittedAt(now);
            rows.insertExactPayment(connection, stamped);
            if (identifier != null && taken == null)
            {
                rows.insertPaymentIdentifier(connection, identifier.withCommittedAt(now));
            }
            return new ExactPaymentResult.Committed(stamped);
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ExactPaymentRecord> loadExactPayment(final String transactionId)
    {
        id("transactionId", transactionId);
        return Optional.ofNullable(transactions.run("loadExactPayment",
            connection -> rows.exactPayment(connection, transactionId)));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<PaymentIdentifierRecord> loadPaymentIdentifier(final String id)
    {
        id("id", id);
        return Optional.ofNullable(transactions.run("loadPaymentIdentifier",
            connection -> rows.paymentIdentifier(connection, id)));
    }

    /** {@inheritDoc} */
    @Override
    public ChannelResult openChannel(final ServerChannelRecord channel)
    {
        Fields.requiredObject("channel", channel);
        return transactions.run("openChannel", connection ->
        {
            if (rows.insertChannel(connection, channel))
            {
                return new ChannelResult.Created(channel);
            }
            final ServerChannelRecord current = rows.channel(connection, channel.channelId());
            if (current == null)
            {
                throw new SQLException("the channel's insert conflicted with a row that is gone",
                    SqlFailures.SERIALIZATION_FAILURE);
            }
            return new ChannelResult.Exists(current);
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ServerChannelRecord> loadChannel(final String channelId)
    {
        id("channelId", channelId);
        return Optional.ofNullable(transactions.run("loadChannel", connection -> rows.channel(connection, channelId)));
    }

    /** {@inheritDoc} */
    @Override
    public SettlementResult commitSettlement(final SettlementCommit commit)
    {
        Fields.requiredObject("commit", commit);
        return transactions.run("commitSettlement", connection ->
        {
            final SettlementResult refused = settlementRefusal(connection, commit);
            if (refused != null)
            {
                return refused;
            }
            if (!rows.compareAndSetChannel(connection, commit.expected(), commit.next()))
            {
                // The channel's row lock made this wait for a racing writer, whose commit the checks see now.
                final SettlementResult later = settlementRefusal(connection, commit);
                return later != null ? later : new SettlementResult.ChannelConflict(
                    Optional.ofNullable(rows.channel(connection, commit.expected().channelId())));
            }
            final Instant now = now();
            final BatchCommitmentRecord stamped = commit.commitment().withCommittedAt(now);
            rows.insertCommitment(connection, stamped);
            final PaymentIdentifierRecord identifier = commit.paymentIdentifier();
            if (identifier != null && rows.paymentIdentifier(connection, identifier.id()) == null)
            {
                rows.insertPaymentIdentifier(connection, identifier.withCommittedAt(now));
            }
            return new SettlementResult.Committed(commit.next(), stamped);
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<BatchCommitmentRecord> loadCommitment(final String commitmentId)
    {
        id("commitmentId", commitmentId);
        return Optional.ofNullable(transactions.run("loadCommitment",
            connection -> rows.commitment(connection, commitmentId)));
    }

    /** {@inheritDoc} */
    @Override
    public ClaimAttemptResult saveClaimAttempt(final ClaimAttemptRecord attempt)
    {
        Fields.requiredObject("attempt", attempt);
        if (attempt.status() != ClaimAttemptStatus.OPEN)
        {
            throw Fields.invalid("status", "a saved claim attempt must be OPEN: status=" + attempt.status());
        }
        return transactions.run("saveClaimAttempt", connection ->
        {
            final ClaimAttemptRecord known = rows.attempt(connection, attempt.attemptId(), false);
            if (known != null && known.status() != ClaimAttemptStatus.OPEN)
            {
                return new ClaimAttemptResult.AttemptClosed(known);
            }
            if (known != null)
            {
                return known.withCreatedAt(null).equals(attempt.withCreatedAt(null))
                    ? new ClaimAttemptResult.Saved(known) : new ClaimAttemptResult.OpenAttemptExists(known);
            }
            final ClaimAttemptRecord open = rows.openAttempt(connection, attempt.channelId());
            if (open != null)
            {
                return new ClaimAttemptResult.OpenAttemptExists(open);
            }
            final ClaimAttemptRecord stamped = attempt.withCreatedAt(now());
            rows.insertAttempt(connection, stamped);
            return new ClaimAttemptResult.Saved(stamped);
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ClaimAttemptRecord> loadOpenClaimAttempt(final String channelId)
    {
        id("channelId", channelId);
        return Optional.ofNullable(transactions.run("loadOpenClaimAttempt",
            connection -> rows.openAttempt(connection, channelId)));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ClaimAttemptRecord> loadClaimAttempt(final String attemptId)
    {
        id("attemptId", attemptId);
        return Optional.ofNullable(transactions.run("loadClaimAttempt",
            connection -> rows.attempt(connection, attemptId, false)));
    }

    /** {@inheritDoc} */
    @Override
    public ClaimApplyResult applyClaimAttempt(final ServerChannelRecord next, final String attemptId)
    {
        Fields.requiredObject("next", next);
        id("attemptId", attemptId);
        return transactions.run("applyClaimAttempt", connection ->
        {
            final ClaimAttemptRecord attempt = rows.attempt(connection, attemptId, true);
            if (attempt == null || attempt.status() != ClaimAttemptStatus.OPEN)
            {
                return new ClaimApplyResult.AttemptNotOpen(Optional.ofNullable(attempt));
            }
            requireSuccessor(attempt.snapshot(), next);
            if (!rows.compareAndSetChannel(connection, attempt.snapshot(), next))
            {
                return new ClaimApplyResult.ChannelConflict(
                    Optional.ofNullable(rows.channel(connection, attempt.channelId())));
            }
            rows.closeAttempt(connection, attemptId, ClaimAttemptStatus.APPLIED);
            return new ClaimApplyResult.Applied(next, attempt.withStatus(ClaimAttemptStatus.APPLIED));
        });
    }

    /** {@inheritDoc} */
    @Override
    public boolean abandonClaimAttempt(final String attemptId)
    {
        id("attemptId", attemptId);
        return transactions.run("abandonClaimAttempt",
            connection -> rows.closeAttempt(connection, attemptId, ClaimAttemptStatus.ABANDONED));
    }

    /** The refusals a settlement meets before its compare-and-set, in the contract's order; {@code null} if none. */
    private SettlementResult settlementRefusal(final Connection connection, final SettlementCommit commit)
        throws SQLException
    {
        final PaymentIdentifierRecord identifier = commit.paymentIdentifier();
        if (identifier != null)
        {
            final PaymentIdentifierRecord taken = rows.paymentIdentifier(connection, identifier.id());
            if (taken != null && !taken.isSameUse(identifier))
            {
                return new SettlementResult.PaymentIdentifierConflict(taken);
            }
        }
        final BatchCommitmentRecord existing = rows.commitment(connection, commit.commitment().commitmentId());
        return existing == null ? null : new SettlementResult.CommitmentExists(existing);
    }

    /** A next state must be of the same channel and advance its version by exactly one (as the embedded stores). */
    private static void requireSuccessor(final ServerChannelRecord previous, final ServerChannelRecord next)
    {
        if (!next.channelId().equals(previous.channelId()))
        {
            throw Fields.invalid("next.channelId", "must be the same channel: channelId=" + previous.channelId()
                + ", next=" + next.channelId());
        }
        if (next.version() != previous.version() + 1)
        {
            throw Fields.invalid("next.version", "must advance by exactly one: version=" + previous.version()
                + ", next=" + next.version());
        }
    }

    private static void id(final String field, final String value)
    {
        Fields.bounded(field, value, ID_LENGTH_MAX);
    }

    private Instant now()
    {
        return Fields.ofMicros(clock.currentTimeMicros());
    }
}
