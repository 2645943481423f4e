/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.core.Clock;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.Transaction;
import dev.tally.engine.TxResult;
import dev.tally.stores.internal.Commits;
import dev.tally.stores.internal.DurableAnswers;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.internal.StoreNamespace;
import dev.tally.stores.internal.StrictMode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link IdempotencyStore} on the embedded engine. Records live in the store's namespace run
 * ({@code idempotency/<name>}) under a key built from the SHA-256 of their three key parts, with the full strings in
 * the value and compared on every read; terminal records also have an expiry index entry, so
 * {@link #deleteExpired} lists only what it removes. Every call is one engine transaction, retried on conflict, so of
 * concurrent callers for one key exactly one inserts, takes over, finishes or reacquires. Any thread.
 *
 * <p>Design note: an answer read from the database (REPLAY, IN_PROGRESS, RETRYABLE, a refused finish, a record) is
 * returned only after everything the read saw is durable ({@link DurableAnswers}); an answer that wrote (EXECUTE, a
 * completed finish, a reacquired lease) is durable when its Strict commit returns. Opened by {@link #builder}.
 */
public final class EmbeddedIdempotencyStore implements IdempotencyStore
{
    /** The namespace kind of this store. */
    public static final String KIND = "idempotency";
    /** The name a store gets when the builder is given none. */
    public static final String NAME_DEFAULT = "default";
    /** How many index entries one deleteExpired transaction handles. */
    static final int DELETE_BATCH = 128;

    private final Database db;
    private final RunId namespace;
    private final Clock clock;
    private final long leaseTimeoutMicros;

    private EmbeddedIdempotencyStore(final Builder builder)
    {
        StrictMode.require(builder.db, builder.acceptsLosingWrites, "the idempotency store " + builder.name);
        this.db = builder.db;
        this.namespace = StoreNamespace.open(builder.db, KIND, builder.name);
        this.clock = builder.clock;
        final Duration lease = builder.leaseTimeout;
        this.leaseTimeoutMicros =
            Math.addExact(Math.multiplyExact(lease.getSeconds(), 1_000_000L), lease.getNano() / 1_000);
    }

    /**
     * Starts opening a store on a database; any thread.
     *
     * @param db the database, Strict unless {@link Builder#acceptLosingAcknowledgedWrites()} is called.
     * @return the builder.
     */
    public static Builder builder(final Database db)
    {
        return new Builder(db);
    }

    /** {@inheritDoc} */
    @Override
    public BeginResult begin(final BeginInput input)
    {
        Fields.requiredObject("input", input);
        final long now = clock.currentTimeMicros();
        if (Fields.toMicros(input.expiresAt()) <= now)
        {
            throw Fields.invalid("expiresAt", "not after the store's clock: value=" + input.expiresAt() + ", now="
                + Fields.formatMicros(now));
        }
        final String hash = IdempotencyRecords.hash(input.key());
        final TxResult.Committed<BeginOutcome> committed =
            Commits.commit(db, namespace, tx -> beginIn(tx, input, hash, now));
        awaitIfRead(committed);
        final BeginOutcome outcome = committed.value();
        if (outcome.reusedBy() != null)
        {
            throw new InvalidArgumentException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key reused with "
                + "another request hash; nothing was changed: principal=" + input.principal() + ", method="
                + input.method() + ", idempotencyKey=" + input.idempotencyKey() + ", requestHash="
                + input.requestHash() + ", storedRequestHash=" + outcome.reusedBy().requestHash());
        }
        return outcome.result();
    }

    /** {@inheritDoc} */
    @Override
    public boolean finish(final Lease lease, final Completion completion)
    {
        Fields.requiredObject("lease", lease);
        Fields.requiredObject("completion", completion);
        final String hash = IdempotencyRecords.hash(lease.key());
        final TxResult.Committed<Boolean> committed =
            Commits.commit(db, namespace, tx -> finishIn(tx, lease, completion, hash));
        awaitIfRead(committed);
        return committed.value();
    }

    /** {@inheritDoc} */
    @Override
    public Optional<Lease> reacquire(final RecordKey key, final Instant leaseToken)
    {
        Fields.requiredObject("key", key);
        final long now = clock.currentTimeMicros();
        final Instant token = leaseToken == null ? Fields.ofMicros(now) : Fields.micros(leaseToken);
        final String hash = IdempotencyRecords.hash(key);
        final TxResult.Committed<Optional<Lease>> committed =
            Commits.commit(db, namespace, tx -> reacquireIn(tx, key, token, hash, now));
        awaitIfRead(committed);
        return committed.value();
    }

    /** {@inheritDoc} */
    @Override
    public int deleteExpired(final Instant now, final int limit)
    {
        Fields.requiredObject("now", now);
        if (limit < 1 || limit > DELETE_LIMIT_MAX)
        {
            throw Fields.invalid("limit", "must be 1 to " + DELETE_LIMIT_MAX + ": value=" + limit);
        }
        if (now.isBefore(Instant.EPOCH))
        {
            return 0;
        }
        final long nowMicros = Fields.toMicros(now);
        int deleted = 0;
        // Bounded: every round removes or settles each index entry it listed; concurrent churn may cut it short.
        final int roundsMax = (limit / DELETE_BATCH + 1) * 4;
        for (int round = 0; round < roundsMax && deleted < limit; round++)
        {
            final List<String> indexKeys = expiredIndexKeys(nowMicros, Math.min(DELETE_BATCH, limit - deleted));
            if (indexKeys.isEmpty())
            {
                break;
            }
            final TxResult.Committed<Integer> committed =
                Commits.commit(db, namespace, tx -> deleteIn(tx, indexKeys, nowMicros));
            awaitIfRead(committed);
            deleted += committed.value();
        }
        return deleted;
    }

    /** {@inheritDoc} */
    @Override
    public Optional<IdempotencyRecord> get(final RecordKey key)
    {
        Fields.requiredObject("key", key);
        final String hash = IdempotencyRecords.hash(key);
        final Optional<Value> stored = db.kv().get(namespace, IdempotencyRecords.recordKey(hash));
        DurableAnswers.awaitRead(db);
        return stored.map(value -> decodeFor(value, key));
    }

    /**
     * The lease timeout of this store.
     *
     * @return the timeout.
     */
    public Duration leaseTimeout()
    {
        return Duration.of(leaseTimeoutMicros, ChronoUnit.MICROS);
    }

    private BeginOutcome beginIn(final Transaction tx, final BeginInput input, final String hash, final long now)
    {
        final RecordKey key = input.key();
        final Optional<Value> stored = tx.get(IdempotencyRecords.recordKey(hash));
        if (stored.isEmpty())
        {
            return new BeginOutcome(insert(tx, input, hash, now, 1), null);
        }
        final IdempotencyRecord existing = decodeFor(stored.get(), key);
        if (existing.status().isTerminal() && isExpired(existing, now))
        {
            tx.delete(IdempotencyRecords.indexKey(Fields.toMicros(existing.expiresAt()), hash));
            return new BeginOutcome(insert(tx, input, hash, now, existing.fencingToken() + 1), null);
        }
        if (!existing.requestHash().equals(input.requestHash()))
        {
            return new BeginOutcome(null, existing);
        }
        return new BeginOutcome(switch (existing.status())
        {
            case SUCCEEDED, FAILED_FINAL -> BeginResult.of(BeginDecision.REPLAY, existing);
            case FAILED_RETRYABLE -> BeginResult.of(BeginDecision.RETRYABLE, existing);
            case IN_PROGRESS -> now - Fields.toMicros(existing.updatedAt()) < leaseTimeoutMicros
                ? BeginResult.of(BeginDecision.IN_PROGRESS, existing)
                : takeover(tx, existing, input, hash, now);
        }, null);
    }

    private static BeginResult insert(final Transaction tx, final BeginInput input, final String hash, final long now,
        final long fencingToken)
    {
        final Instant at = Fields.ofMicros(now);
        final IdempotencyRecord created = new IdempotencyRecord(input.principal(), input.method(),
            input.idempotencyKey(), input.requestHash(), Status.IN_PROGRESS, 0, null, at, at, input.expiresAt(),
            fencingToken);
        tx.put(IdempotencyRecords.recordKey(hash), IdempotencyRecords.encode(created));
        return BeginResult.execute(new Lease(input.key(), at, fencingToken));
    }

    private static BeginResult takeover(final Transaction tx, final IdempotencyRecord stale, final BeginInput input,
        final String hash, final long now)
    {
        final Instant at = Fields.ofMicros(now);
        final long fencingToken = stale.fencingToken() + 1;
        final IdempotencyRecord taken = new IdempotencyRecord(stale.principal(), stale.method(),
            stale.idempotencyKey(), stale.requestHash(), Status.IN_PROGRESS, 0, null, stale.createdAt(), at,
            input.expiresAt(), fencingToken);
        tx.put(IdempotencyRecords.recordKey(hash), IdempotencyRecords.encode(taken));
        return BeginResult.takeover(new Lease(input.key(), at, fencingToken), stale);
    }

    private static Boolean finishIn(final Transaction tx, final Lease lease, final Completion completion,
        final String hash)
    {
        final Optional<Value> stored = tx.get(IdempotencyRecords.recordKey(hash));
        if (stored.isEmpty())
        {
            return Boolean.FALSE;
        }
        final IdempotencyRecord current = decodeFor(stored.get(), lease.key());
        if (current.status() != Status.IN_PROGRESS || !current.updatedAt().equals(lease.updatedAt())
            || current.fencingToken() != lease.fencingToken())
        {
            return Boolean.FALSE;
        }
        final Instant updatedAt = completion.updatedAt() != null ? completion.updatedAt() : lease.updatedAt();
        final IdempotencyRecord done = new IdempotencyRecord(current.principal(), current.method(),
            current.idempotencyKey(), current.requestHash(), completion.status(), completion.responseCode(),
            completion.responsePayload(), current.createdAt(), updatedAt, current.expiresAt(),
            current.fencingToken());
        tx.put(IdempotencyRecords.recordKey(hash), IdempotencyRecords.encode(done));
        tx.put(IdempotencyRecords.indexKey(Fields.toMicros(done.expiresAt()), hash), IdempotencyRecords.INDEX_VALUE);
        return Boolean.TRUE;
    }

    private static Optional<Lease> reacquireIn(final Transaction tx, final RecordKey key, final Instant token,
        final String hash, final long now)
    {
        final Optional<Value> stored = tx.get(IdempotencyRecords.recordKey(hash));
        if (stored.isEmpty())
        {
            return Optional.empty();
        }
        final IdempotencyRecord failed = decodeFor(stored.get(), key);
        if (failed.status() != Status.FAILED_RETRYABLE || isExpired(failed, now))
        {
            return Optional.empty();
        }
        final long fencingToken = failed.fencingToken() + 1;
        final IdempotencyRecord retried = new IdempotencyRecord(failed.principal(), failed.method(),
            failed.idempotencyKey(), failed.requestHash(), Status.IN_PROGRESS, 0, null, failed.createdAt(), token,
            failed.expiresAt(), fencingToken);
        tx.delete(IdempotencyRecords.indexKey(Fields.toMicros(failed.expiresAt()), hash));
        tx.put(IdempotencyRecords.recordKey(hash), IdempotencyRecords.encode(retried));
        return Optional.of(new Lease(key, token, fencingToken));
    }

    private static Integer deleteIn(final Transaction tx, final List<String> indexKeys, final long nowMicros)
    {
        int deleted = 0;
        for (final String indexKey : indexKeys)
        {
            if (tx.get(indexKey).isEmpty())
            {
                continue;
            }
            final String hash = IdempotencyRecords.indexHash(indexKey);
            final long indexed = IdempotencyRecords.indexTime(indexKey);
            final String recordKey = IdempotencyRecords.recordKey(hash);
            final Optional<Value> stored = tx.get(recordKey);
            tx.delete(indexKey);
            if (stored.isEmpty())
            {
                continue;
            }
            final IdempotencyRecord record = IdempotencyRecords.decode(stored.get());
            final long expiresAt = Fields.toMicros(record.expiresAt());
            if (record.status().isTerminal() && expiresAt == indexed && expiresAt < nowMicros)
            {
                tx.delete(recordKey);
                deleted++;
            }
            else if (record.status().isTerminal())
            {
                // An index entry that disagrees with its record (never written so): index the record again.
                tx.put(IdempotencyRecords.indexKey(expiresAt, hash), IdempotencyRecords.INDEX_VALUE);
            }
        }
        return deleted;
    }

    /** The expired index entries, oldest first: every index key below {@code now}'s, listed by narrowing prefixes. */
    private List<String> expiredIndexKeys(final long nowMicros, final int countMax)
    {
        final String digits = IdempotencyRecords.timeDigits(nowMicros);
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < IdempotencyRecords.TIME_DIGITS && out.size() < countMax; i++)
        {
            final int top = Character.digit(digits.charAt(i), 16);
            for (int digit = 0; digit < top && out.size() < countMax; digit++)
            {
                final String prefix = IdempotencyRecords.INDEX_PREFIX + digits.substring(0, i)
                    + Character.forDigit(digit, 16);
                for (final String key : db.kv().list(namespace, prefix))
                {
                    out.add(key);
                    if (out.size() >= countMax)
                    {
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static boolean isExpired(final IdempotencyRecord record, final long nowMicros)
    {
        return Fields.toMicros(record.expiresAt()) < nowMicros;
    }

    private static IdempotencyRecord decodeFor(final Value stored, final RecordKey key)
    {
        final IdempotencyRecord record = IdempotencyRecords.decode(stored);
        if (!record.key().equals(key))
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "an idempotency record is stored under another "
                + "key's hash: stored=" + record.key() + ", asked=" + key);
        }
        return record;
    }

    private void awaitIfRead(final TxResult.Committed<?> committed)
    {
        if (committed.position() < 0)
        {
            DurableAnswers.awaitRead(db);
        }
    }

    /** What a begin transaction found: a result, or the record whose request hash differs. */
    private record BeginOutcome(BeginResult result, IdempotencyRecord reusedBy)
    {
    }

    /** Opens an {@link EmbeddedIdempotencyStore}; used by one thread. */
    public static final class Builder
    {
        private final Database db;
        private String name = NAME_DEFAULT;
        private Clock clock = Clock.system();
        private Duration leaseTimeout = LEASE_TIMEOUT_DEFAULT;
        private boolean acceptsLosingWrites;

        private Builder(final Database db)
        {
            this.db = db;
        }

        /**
         * The store's name on the database: stores of one name share their records, other names never see them.
         *
         * @param name 1 to 128 characters; {@value #NAME_DEFAULT} when not called.
         * @return this.
         */
        public Builder name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * The clock of lease tokens, {@code createdAt} and expiry checks.
         *
         * @param clock the clock; the system clock when not called.
         * @return this.
         */
        public Builder clock(final Clock clock)
        {
            this.clock = Fields.requiredObject("clock", clock);
            return this;
        }

        /**
         * How long an {@code IN_PROGRESS} lease lives, measured from its token: after it, the next begin with the same
         * request hash takes the record over. Choose it longer than the slowest handler.
         *
         * @param leaseTimeout at least one microsecond; {@link IdempotencyStore#LEASE_TIMEOUT_DEFAULT} when not
         *                     called.
         * @return this.
         */
        public Builder leaseTimeout(final Duration leaseTimeout)
        {
            Fields.requiredObject("leaseTimeout", leaseTimeout);
            if (leaseTimeout.compareTo(Duration.ofNanos(1_000)) < 0)
            {
                throw Fields.invalid("leaseTimeout", "must be at least one microsecond: value=" + leaseTimeout);
            }
            this.leaseTimeout = leaseTimeout;
            return this;
        }

        /**
         * Lets the store open on a Buffered or InMemory database, accepting that a crash may lose acknowledged
         * records and so run an operation twice; for tests and examples.
         *
         * @return this.
         */
        public Builder acceptLosingAcknowledgedWrites()
        {
            this.acceptsLosingWrites = true;
            return this;
        }

        /**
         * Opens the store, beginning its namespace run on first use; any thread.
         *
         * @return the store.
         * @throws dev.tally.core.ConfigurationException with {@code STORE_REQUIRES_STRICT} on a database that is not
         *                                               Strict, unless accepted.
         */
        public EmbeddedIdempotencyStore open()
        {
            return new EmbeddedIdempotencyStore(this);
        }
    }
}
