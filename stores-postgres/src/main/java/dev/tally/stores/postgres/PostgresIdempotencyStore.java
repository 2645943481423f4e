/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.Clock;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.stores.idempotency.BeginDecision;
import dev.tally.stores.idempotency.BeginInput;
import dev.tally.stores.idempotency.BeginResult;
import dev.tally.stores.idempotency.Completion;
import dev.tally.stores.idempotency.IdempotencyRecord;
import dev.tally.stores.idempotency.IdempotencyStore;
import dev.tally.stores.idempotency.Lease;
import dev.tally.stores.idempotency.RecordKey;
import dev.tally.stores.idempotency.Status;
import dev.tally.stores.internal.Fields;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The idempotency store on PostgreSQL (the Idempotency Store Contract's own storage model): {@code
 * tally_idempotency_keys} is the source of truth, unique on {@code (principal, method, idempotency_key)}. {@code begin}
 * inserts with {@code ON CONFLICT DO NOTHING} and otherwise reads the record under its row lock; {@code finish} is a
 * conditional {@code UPDATE} on {@code status = 'IN_PROGRESS'}, the lease's {@code updated_at} and its fencing token,
 * so a stale worker never completes; an IN_PROGRESS record whose lease is older than the lease timeout is taken over
 * with the fencing token raised, as the embedded store does. Lease times come from the store clock, in UTC
 * microseconds. Any thread.
 */
public final class PostgresIdempotencyStore implements IdempotencyStore
{
    private static final String COLUMNS = "principal, method, idempotency_key, request_hash, status, response_code, "
        + "response_payload, created_at, updated_at, expires_at, fencing_token";
    private static final String BY_KEY = " WHERE key_hash = tally_idempotency_key_hash(?, ?, ?)";

    private final Transactions transactions;
    private final Clock clock;
    private final long leaseTimeoutMicros;

    /**
     * A store on an entry point's database.
     *
     * @param stores       the entry point.
     * @param leaseTimeout how long an IN_PROGRESS lease protects its worker before a begin takes it over.
     */
    PostgresIdempotencyStore(final PostgresStores stores, final Duration leaseTimeout)
    {
        Fields.requiredObject("leaseTimeout", leaseTimeout);
        if (leaseTimeout.isNegative() || leaseTimeout.isZero())
        {
            throw Fields.invalid("leaseTimeout", "must be positive: value=" + leaseTimeout);
        }
        stores.requireStrict("PostgresIdempotencyStore");
        this.transactions = stores.transactions();
        this.clock = stores.clock();
        this.leaseTimeoutMicros =
            Math.addExact(Math.multiplyExact(leaseTimeout.getSeconds(), 1_000_000L), leaseTimeout.getNano() / 1_000);
    }

    /**
     * The lease timeout after which an IN_PROGRESS record is taken over; any thread.
     *
     * @return the timeout.
     */
    public Duration leaseTimeout()
    {
        return Duration.of(leaseTimeoutMicros, ChronoUnit.MICROS);
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
        final Object outcome = transactions.run("begin", connection -> beginIn(connection, input, now));
        if (outcome instanceof IdempotencyRecord reusedBy)
        {
            throw new InvalidArgumentException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key reused with "
                + "another request hash; nothing was changed: principal=" + input.principal() + ", method="
                + input.method() + ", idempotencyKey=" + input.idempotencyKey() + ", requestHash="
                + input.requestHash() + ", storedRequestHash=" + reusedBy.requestHash());
        }
        return (BeginResult) outcome;
    }

    /** {@inheritDoc} */
    @Override
    public boolean finish(final Lease lease, final Completion completion)
    {
        Fields.requiredObject("lease", lease);
        Fields.requiredObject("completion", completion);
        final Instant updatedAt = completion.updatedAt() != null ? completion.updatedAt() : lease.updatedAt();
        return transactions.run("finish", connection ->
        {
            try (PreparedStatement update = connection.prepareStatement("UPDATE tally_idempotency_keys SET "
                + "status = ?, response_code = ?, response_payload = ?, updated_at = ?" + BY_KEY
                + " AND status = 'IN_PROGRESS' AND updated_at = ? AND fencing_token = ?"))
            {
                update.setString(1, completion.status().name());
                update.setInt(2, completion.responseCode());
                update.setBytes(3, completion.responsePayload());
                SqlTimes.set(update, 4, Fields.toMicros(updatedAt));
                bindKey(update, 5, lease.key());
                SqlTimes.set(update, 8, Fields.toMicros(lease.updatedAt()));
                update.setLong(9, lease.fencingToken());
                return update.executeUpdate() == 1;
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<Lease> reacquire(final RecordKey key, final Instant leaseToken)
    {
        Fields.requiredObject("key", key);
        final long now = clock.currentTimeMicros();
        final Instant token = leaseToken == null ? Fields.ofMicros(now) : Fields.micros(leaseToken);
        return Optional.ofNullable(transactions.run("reacquire", connection ->
        {
            try (PreparedStatement update = connection.prepareStatement("UPDATE tally_idempotency_keys SET "
                + "status = 'IN_PROGRESS', response_code = 0, response_payload = ''::bytea, updated_at = ?, "
                + "fencing_token = fencing_token + 1" + BY_KEY + " AND status = 'FAILED_RETRYABLE' "
                + "AND expires_at >= ? RETURNING fencing_token"))
            {
                SqlTimes.set(update, 1, Fields.toMicros(token));
                bindKey(update, 2, key);
                SqlTimes.set(update, 5, now);
                try (ResultSet row = update.executeQuery())
                {
                    return row.next() ? new Lease(key, token, row.getLong(1)) : null;
                }
            }
        }));
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
        return transactions.run("deleteExpired", connection ->
        {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tally_idempotency_keys "
                + "WHERE key_hash IN (SELECT key_hash FROM tally_idempotency_keys WHERE status <> 'IN_PROGRESS' "
                + "AND expires_at < ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "AND status <> 'IN_PROGRESS' AND expires_at < ?"))
            {
                SqlTimes.set(delete, 1, nowMicros);
                delete.setInt(2, limit);
                SqlTimes.set(delete, 3, nowMicros);
                return delete.executeUpdate();
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<IdempotencyRecord> get(final RecordKey key)
    {
        Fields.requiredObject("key", key);
        return Optional.ofNullable(transactions.run("get", connection -> select(connection, key, false)));
    }

    /** One begin: the fresh insert, or the stored record's decision; an {@link IdempotencyRecord} means reused. */
    private Object beginIn(final Connection connection, final BeginInput input, final long now) throws SQLException
    {
        if (insert(connection, input, now))
        {
            return BeginResult.execute(new Lease(input.key(), Fields.ofMicros(now), 1));
        }
        final IdempotencyRecord existing = select(connection, input.key(), true);
        if (existing == null)
        {
            // Deleted between the insert's conflict and the read: run the whole begin again.
            throw new SQLException("an idempotency record vanished during begin", SqlFailures.SERIALIZATION_FAILURE);
        }
        if (existing.status().isTerminal() && Fields.toMicros(existing.expiresAt()) < now)
        {
            final long fencingToken = existing.fencingToken() + 1;
            restart(connection, input, input.requestHash(), now, now, fencingToken);
            return BeginResult.execute(new Lease(input.key(), Fields.ofMicros(now), fencingToken));
        }
        if (!existing.requestHash().equals(input.requestHash()))
        {
            return existing;
        }
        return switch (existing.status())
        {
            case SUCCEEDED, FAILED_FINAL -> BeginResult.of(BeginDecision.REPLAY, existing);
            case FAILED_RETRYABLE -> BeginResult.of(BeginDecision.RETRYABLE, existing);
            case IN_PROGRESS -> takeoverOrWait(connection, existing, input, now);
        };
    }

    private BeginResult takeoverOrWait(final Connection connection, final IdempotencyRecord existing,
        final BeginInput input, final long now) throws SQLException
    {
        if (now - Fields.toMicros(existing.updatedAt()) < leaseTimeoutMicros)
        {
            return BeginResult.of(BeginDecision.IN_PROGRESS, existing);
        }
        final long fencingToken = existing.fencingToken() + 1;
        restart(connection, input, existing.requestHash(), Fields.toMicros(existing.createdAt()), now, fencingToken);
        return BeginResult.takeover(new Lease(input.key(), Fields.ofMicros(now), fencingToken), existing);
    }

    private static boolean insert(final Connection connection, final BeginInput input, final long now)
        throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tally_idempotency_keys (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, 'IN_PROGRESS', 0, ''::bytea, ?, ?, ?, 1) ON CONFLICT (key_hash) DO NOTHING"))
        {
            insert.setString(1, input.principal());
            insert.setString(2, input.method());
            insert.setString(3, input.idempotencyKey());
            insert.setString(4, input.requestHash());
            SqlTimes.set(insert, 5, now);
            SqlTimes.set(insert, 6, now);
            SqlTimes.set(insert, 7, Fields.toMicros(input.expiresAt()));
            return insert.executeUpdate() == 1;
        }
    }

    /** Makes the locked record a fresh IN_PROGRESS attempt (after expiry, or a takeover). */
    private static void restart(final Connection connection, final BeginInput input, final String requestHash,
        final long createdAt, final long now, final long fencingToken) throws SQLException
    {
        try (PreparedStatement update = connection.prepareStatement("UPDATE tally_idempotency_keys SET "
            + "request_hash = ?, status = 'IN_PROGRESS', response_code = 0, response_payload = ''::bytea, "
            + "created_at = ?, updated_at = ?, expires_at = ?, fencing_token = ?" + BY_KEY))
        {
            update.setString(1, requestHash);
            SqlTimes.set(update, 2, createdAt);
            SqlTimes.set(update, 3, now);
            SqlTimes.set(update, 4, Fields.toMicros(input.expiresAt()));
            update.setLong(5, fencingToken);
            bindKey(update, 6, input.key());
            if (update.executeUpdate() != 1)
            {
                throw new SQLException("a locked idempotency record vanished", SqlFailures.SERIALIZATION_FAILURE);
            }
        }
    }

    private static IdempotencyRecord select(final Connection connection, final RecordKey key,
        final boolean forUpdate) throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
            + " FROM tally_idempotency_keys" + BY_KEY + (forUpdate ? " FOR UPDATE" : "")))
        {
            bindKey(select, 1, key);
            try (ResultSet row = select.executeQuery())
            {
                if (!row.next())
                {
                    return null;
                }
                return new IdempotencyRecord(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                    Status.valueOf(row.getString(5)), row.getInt(6), row.getBytes(7),
                    Fields.ofMicros(SqlTimes.micros(row, "created_at")),
                    Fields.ofMicros(SqlTimes.micros(row, "updated_at")),
                    Fields.ofMicros(SqlTimes.micros(row, "expires_at")), row.getLong(11));
            }
        }
    }

    private static void bindKey(final PreparedStatement statement, final int first, final RecordKey key)
        throws SQLException
    {
        statement.setString(first, key.principal());
        statement.setString(first + 1, key.method());
        statement.setString(first + 2, key.idempotencyKey());
    }
}
