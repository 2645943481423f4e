/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.core.Clock;
import dev.tally.stores.internal.Fields;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The reference {@link ServerStateStore} in memory, for tests and examples: the same semantics as the durable store,
 * every call atomic under one lock, and nothing survives the process (it is not durable, so it is no choice for a
 * production server). One instance is one trust domain. Thread-safe; any thread.
 */
public final class MemoryServerChannelStore implements ServerStateStore
{
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Maps maps = new Maps();

    /** A store stamping records with the system clock. */
    public MemoryServerChannelStore()
    {
        this(Clock.system());
    }

    /**
     * A store stamping records with a clock.
     *
     * @param clock the clock, in microseconds.
     */
    public MemoryServerChannelStore(final Clock clock)
    {
        this.clock = Fields.requiredObject("clock", clock);
    }

    /** {@inheritDoc} */
    @Override
    public ExactPaymentResult commitExactPayment(final ExactPaymentCommit commit)
    {
        Fields.requiredObject("commit", commit);
        return locked(state -> ServerStateRules.commitExactPayment(state, commit, now()));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ExactPaymentRecord> loadExactPayment(final String transactionId)
    {
        PaymentFields.id("transactionId", transactionId);
        return locked(state -> Optional.ofNullable(state.exactPayment(transactionId)));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<PaymentIdentifierRecord> loadPaymentIdentifier(final String id)
    {
        PaymentFields.id("id", id);
        return locked(state -> Optional.ofNullable(state.paymentIdentifier(id)));
    }

    /** {@inheritDoc} */
    @Override
    public ChannelResult openChannel(final ServerChannelRecord channel)
    {
        Fields.requiredObject("channel", channel);
        return locked(state -> ServerStateRules.openChannel(state, channel));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ServerChannelRecord> loadChannel(final String channelId)
    {
        PaymentFields.id("channelId", channelId);
        return locked(state -> Optional.ofNullable(state.channel(channelId)));
    }

    /** {@inheritDoc} */
    @Override
    public SettlementResult commitSettlement(final SettlementCommit commit)
    {
        Fields.requiredObject("commit", commit);
        return locked(state -> ServerStateRules.commitSettlement(state, commit, now()));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<BatchCommitmentRecord> loadCommitment(final String commitmentId)
    {
        PaymentFields.id("commitmentId", commitmentId);
        return locked(state -> Optional.ofNullable(state.commitment(commitmentId)));
    }

    /** {@inheritDoc} */
    @Override
    public ClaimAttemptResult saveClaimAttempt(final ClaimAttemptRecord attempt)
    {
        Fields.requiredObject("attempt", attempt);
        return locked(state -> ServerStateRules.saveClaimAttempt(state, attempt, now()));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ClaimAttemptRecord> loadOpenClaimAttempt(final String channelId)
    {
        PaymentFields.id("channelId", channelId);
        return locked(state ->
        {
            final String openId = state.openAttemptId(channelId);
            return openId == null ? Optional.empty() : Optional.of(state.attempt(openId));
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ClaimAttemptRecord> loadClaimAttempt(final String attemptId)
    {
        PaymentFields.id("attemptId", attemptId);
        return locked(state -> Optional.ofNullable(state.attempt(attemptId)));
    }

    /** {@inheritDoc} */
    @Override
    public ClaimApplyResult applyClaimAttempt(final ServerChannelRecord next, final String attemptId)
    {
        Fields.requiredObject("next", next);
        PaymentFields.id("attemptId", attemptId);
        return locked(state -> ServerStateRules.applyClaimAttempt(state, next, attemptId));
    }

    /** {@inheritDoc} */
    @Override
    public boolean abandonClaimAttempt(final String attemptId)
    {
        PaymentFields.id("attemptId", attemptId);
        return locked(state -> ServerStateRules.abandonClaimAttempt(state, attemptId));
    }

    private Instant now()
    {
        return Fields.ofMicros(clock.currentTimeMicros());
    }

    private <T> T locked(final Function<StateAccess, T> call)
    {
        lock.lock();
        try
        {
            return call.apply(maps);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** The records, guarded by the store's lock; the records are immutable, so they are shared, never copied. */
    private static final class Maps implements StateAccess
    {
        private final Map<String, ExactPaymentRecord> payments = new HashMap<>();
        private final Map<String, PaymentIdentifierRecord> identifiers = new HashMap<>();
        private final Map<String, ServerChannelRecord> channels = new HashMap<>();
        private final Map<String, BatchCommitmentRecord> commitments = new HashMap<>();
        private final Map<String, ClaimAttemptRecord> attempts = new HashMap<>();
        private final Map<String, String> openAttempts = new HashMap<>();

        @Override
        public ExactPaymentRecord exactPayment(final String transactionId)
        {
            return payments.get(transactionId);
        }

        @Override
        public void putExactPayment(final ExactPaymentRecord payment)
        {
            payments.put(payment.transactionId(), payment);
        }

        @Override
        public PaymentIdentifierRecord paymentIdentifier(final String id)
        {
            return identifiers.get(id);
        }

        @Override
        public void putPaymentIdentifier(final PaymentIdentifierRecord identifier)
        {
            identifiers.put(identifier.id(), identifier);
        }

        @Override
        public ServerChannelRecord channel(final String channelId)
        {
            return channels.get(channelId);
        }

        @Override
        public void putChannel(final ServerChannelRecord channel)
        {
            channels.put(channel.channelId(), channel);
        }

        @Override
        public BatchCommitmentRecord commitment(final String commitmentId)
        {
            return commitments.get(commitmentId);
        }

        @Override
        public void putCommitment(final BatchCommitmentRecord commitment)
        {
            commitments.put(commitment.commitmentId(), commitment);
        }

        @Override
        public ClaimAttemptRecord attempt(final String attemptId)
        {
            return attempts.get(attemptId);
        }

        @Override
        public void putAttempt(final ClaimAttemptRecord attempt)
        {
            attempts.put(attempt.attemptId(), attempt);
        }

        @Override
        public String openAttemptId(final String channelId)
        {
            return openAttempts.get(channelId);
        }

        @Override
        public void putOpenAttemptId(final String channelId, final String attemptId)
        {
            if (attemptId == null)
            {
                openAttempts.remove(channelId);
            }
            else
            {
                openAttempts.put(channelId, attemptId);
            }
        }
    }
}
