/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.core.Clock;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.Transaction;
import dev.tally.engine.TransactionBody;
import dev.tally.engine.TxResult;
import dev.tally.stores.internal.Commits;
import dev.tally.stores.internal.DurableAnswers;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.internal.StoreNamespace;
import dev.tally.stores.internal.StrictMode;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The durable {@link ServerStateStore} on an embedded {@link Database}: the records of one trust domain (the store's
 * name) in the namespace run {@code payments/<name>}, each mutating call one engine transaction whose reads (absent
 * keys too) the engine checks again at commit, so a uniqueness check or compare-and-set and the write it protects
 * commit together or not at all. Needs a Strict database unless opened with
 * {@link Builder#acceptLosingAcknowledgedWrites()}. Thread-safe; any thread.
 *
 * <p>Design note: the engine makes a commit visible just before its force. A call that writes is durable when its
 * transaction returns (Strict); a call that wrote nothing answers from what it read, so it first waits until all
 * it could have seen is durable ({@link DurableAnswers}), and a cached exact retry is never handed a response a crash
 * could take back.
 */
public final class EmbeddedServerStateStore implements ServerStateStore
{
    /** The store kind in the namespace run's name. */
    public static final String KIND = "payments";

    private final Database db;
    private final RunId namespace;
    private final Clock clock;

    private EmbeddedServerStateStore(final Database db, final RunId namespace, final Clock clock)
    {
        this.db = db;
        this.namespace = namespace;
        this.clock = clock;
    }

    /**
     * Starts opening a store on a database; any thread.
     *
     * @param db the database.
     * @return the builder.
     */
    public static Builder builder(final Database db)
    {
        return new Builder(db);
    }

    /** {@inheritDoc} */
    @Override
    public ExactPaymentResult commitExactPayment(final ExactPaymentCommit commit)
    {
        Fields.requiredObject("commit", commit);
        final Instant now = now();
        return commit(tx -> ServerStateRules.commitExactPayment(new TxAccess(tx), commit, now));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ExactPaymentRecord> loadExactPayment(final String transactionId)
    {
        PaymentFields.id("transactionId", transactionId);
        return load(ServerStateCodec.paymentKey(transactionId), ServerStateCodec::decodePayment);
    }

    /** {@inheritDoc} */
    @Override
    public Optional<PaymentIdentifierRecord> loadPaymentIdentifier(final String id)
    {
        PaymentFields.id("id", id);
        return load(ServerStateCodec.identifierKey(id), ServerStateCodec::decodeIdentifier);
    }

    /** {@inheritDoc} */
    @Override
    public ChannelResult openChannel(final ServerChannelRecord channel)
    {
        Fields.requiredObject("channel", channel);
        return commit(tx -> ServerStateRules.openChannel(new TxAccess(tx), channel));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ServerChannelRecord> loadChannel(final String channelId)
    {
        PaymentFields.id("channelId", channelId);
        return load(ServerStateCodec.channelKey(channelId), ServerStateCodec::decodeChannel);
    }

    /** {@inheritDoc} */
    @Override
    public SettlementResult commitSettlement(final SettlementCommit commit)
    {
        Fields.requiredObject("commit", commit);
        final Instant now = now();
        return commit(tx -> ServerStateRules.commitSettlement(new TxAccess(tx), commit, now));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<BatchCommitmentRecord> loadCommitment(final String commitmentId)
    {
        PaymentFields.id("commitmentId", commitmentId);
        return load(ServerStateCodec.commitmentKey(commitmentId), ServerStateCodec::decodeCommitment);
    }

    /** {@inheritDoc} */
    @Override
    public ClaimAttemptResult saveClaimAttempt(final ClaimAttemptRecord attempt)
    {
        Fields.requiredObject("attempt", attempt);
        final Instant now = now();
        return commit(tx -> ServerStateRules.saveClaimAttempt(new TxAccess(tx), attempt, now));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ClaimAttemptRecord> loadOpenClaimAttempt(final String channelId)
    {
        PaymentFields.id("channelId", channelId);
        final Optional<ClaimAttemptRecord> open = commit(tx ->
        {
            final TxAccess state = new TxAccess(tx);
            final String openId = state.openAttemptId(channelId);
            return openId == null ? Optional.empty() : Optional.of(state.attempt(openId));
        });
        return open;
    }

    /** {@inheritDoc} */
    @Override
    public Optional<ClaimAttemptRecord> loadClaimAttempt(final String attemptId)
    {
        PaymentFields.id("attemptId", attemptId);
        return load(ServerStateCodec.attemptKey(attemptId), ServerStateCodec::decodeAttempt);
    }

    /** {@inheritDoc} */
    @Override
    public ClaimApplyResult applyClaimAttempt(final ServerChannelRecord next, final String attemptId)
    {
        Fields.requiredObject("next", next);
        PaymentFields.id("attemptId", attemptId);
        return commit(tx -> ServerStateRules.applyClaimAttempt(new TxAccess(tx), next, attemptId));
    }

    /** {@inheritDoc} */
    @Override
    public boolean abandonClaimAttempt(final String attemptId)
    {
        PaymentFields.id("attemptId", attemptId);
        return commit(tx -> ServerStateRules.abandonClaimAttempt(new TxAccess(tx), attemptId));
    }

    private Instant now()
    {
        return Fields.ofMicros(clock.currentTimeMicros());
    }

    /** One engine transaction; an answer of a call that wrote nothing waits until what it read is durable. */
    private <T> T commit(final TransactionBody<T> body)
    {
        final TxResult.Committed<T> committed = Commits.commit(db, namespace, body);
        if (committed.position() < 0)
        {
            DurableAnswers.awaitRead(db);
        }
        return committed.value();
    }

    private <T> Optional<T> load(final String key, final Function<Value, T> decode)
    {
        final Optional<Value> stored = db.kv().get(namespace, key);
        DurableAnswers.awaitRead(db);
        return stored.map(decode);
    }

    /** The records of one call, read and written through its transaction. */
    private static final class TxAccess implements StateAccess
    {
        private final Transaction tx;

        TxAccess(final Transaction tx)
        {
            this.tx = tx;
        }

        @Override
        public ExactPaymentRecord exactPayment(final String transactionId)
        {
            return tx.get(ServerStateCodec.paymentKey(transactionId)).map(ServerStateCodec::decodePayment)
                .orElse(null);
        }

        @Override
        public void putExactPayment(final ExactPaymentRecord payment)
        {
            tx.put(ServerStateCodec.paymentKey(payment.transactionId()), ServerStateCodec.encode(payment));
        }

        @Override
        public PaymentIdentifierRecord paymentIdentifier(final String id)
        {
            return tx.get(ServerStateCodec.identifierKey(id)).map(ServerStateCodec::decodeIdentifier).orElse(null);
        }

        @Override
        public void putPaymentIdentifier(final PaymentIdentifierRecord identifier)
        {
            tx.put(ServerStateCodec.identifierKey(identifier.id()), ServerStateCodec.encode(identifier));
        }

        @Override
        public ServerChannelRecord channel(final String channelId)
        {
            return tx.get(ServerStateCodec.channelKey(channelId)).map(ServerStateCodec::decodeChannel).orElse(null);
        }

        @Override
        public void putChannel(final ServerChannelRecord channel)
        {
            tx.put(ServerStateCodec.channelKey(channel.channelId()), ServerStateCodec.encode(channel));
        }

        @Override
        public BatchCommitmentRecord commitment(final String commitmentId)
        {
            return tx.get(ServerStateCodec.commitmentKey(commitmentId)).map(ServerStateCodec::decodeCommitment)
                .orElse(null);
        }

        @Override
        public void putCommitment(final BatchCommitmentRecord commitment)
        {
            tx.put(ServerStateCodec.commitmentKey(commitment.commitmentId()), ServerStateCodec.encode(commitment));
        }

        @Override
        public ClaimAttemptRecord attempt(final String attemptId)
        {
            return tx.get(ServerStateCodec.attemptKey(attemptId)).map(ServerStateCodec::decodeAttempt).orElse(null);
        }

        @Override
        public void putAttempt(final ClaimAttemptRecord attempt)
        {
            tx.put(ServerStateCodec.attemptKey(attempt.attemptId()), ServerStateCodec.encode(attempt));
        }

        @Override
        public String openAttemptId(final String channelId)
        {
            return tx.get(ServerStateCodec.openKey(channelId)).map(ServerStateCodec::decodeOpen).orElse(null);
        }

        @Override
        public void putOpenAttemptId(final String channelId, final String attemptId)
        {
            if (attemptId == null)
            {
                tx.delete(ServerStateCodec.openKey(channelId));
            }
            else
            {
                tx.put(ServerStateCodec.openKey(channelId), ServerStateCodec.encodeOpen(attemptId));
            }
        }
    }

    /** Opens an {@link EmbeddedServerStateStore}; used by one thread. */
    public static final class Builder
    {
        private final Database db;
        private String name = "default";
        private Clock clock = Clock.system();
        private boolean acceptsLosingWrites;

        private Builder(final Database db)
        {
            if (db == null)
            {
                throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "database is null");
            }
            this.db = db;
        }

        /**
         * The trust domain: stores of one name on a database share their records, and uniqueness holds within it.
         *
         * @param trustDomain the name, 1 to 128 characters; {@code "default"} unless set.
         * @return this.
         */
        public Builder name(final String trustDomain)
        {
            this.name = trustDomain;
            return this;
        }

        /**
         * The clock that stamps {@code committedAt} and {@code createdAt}.
         *
         * @param storeClock the clock, in microseconds; the system clock unless set.
         * @return this.
         */
        public Builder clock(final Clock storeClock)
        {
            this.clock = Fields.requiredObject("clock", storeClock);
            return this;
        }

        /**
         * Allows a Buffered or InMemory database, whose acknowledged settlements a crash can take back (so a payment
         * could be accepted twice); for tests and demonstrations only.
         *
         * @return this.
         */
        public Builder acceptLosingAcknowledgedWrites()
        {
            this.acceptsLosingWrites = true;
            return this;
        }

        /**
         * Opens the store, beginning its namespace run the first time.
         *
         * @return the store.
         * @throws dev.tally.core.ConfigurationException with {@code STORE_REQUIRES_STRICT} on a database that is not
         *                                               Strict, unless losing acknowledged writes was accepted.
         */
        public EmbeddedServerStateStore open()
        {
            StrictMode.require(db, acceptsLosingWrites, "the payment server state store");
            return new EmbeddedServerStateStore(db, StoreNamespace.open(db, KIND, name), clock);
        }
    }
}
