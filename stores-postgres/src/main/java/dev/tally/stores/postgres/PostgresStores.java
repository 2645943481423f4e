/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.tally.core.Clock;
import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;
import dev.tally.stores.idempotency.IdempotencyStore;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The entry point of the PostgreSQL stores: one database (a user's {@link DataSource}, or a HikariCP pool built from a
 * JDBC URL), the store clock and the retry bound that every store opened from it shares. Opened once per process by
 * the service's start-up thread with {@link #builder()}; the stores it opens may be called from any thread, and
 * several processes may open stores on one database at once.
 *
 * <pre>{@code
 * try (PostgresStores stores = PostgresStores.builder().jdbcUrl("jdbc:postgresql://db/app")
 *     .username("app").password(secret).migrateSchema().open())
 * {
 *     RunStateStore runs = stores.runStateStore();
 * }
 * }</pre>
 */
public final class PostgresStores implements AutoCloseable
{
    private final DataSource dataSource;
    private final DataSource lockDataSource;
    private final Clock clock;
    private final int attemptsMax;
    private final boolean acceptsLosingWrites;
    private final boolean loseableWrites;
    private final String durabilitySettings;
    private final AutoCloseable[] owned;

    private PostgresStores(final Builder builder, final DataSource dataSource, final DataSource lockDataSource,
        final AutoCloseable[] owned)
    {
        this.dataSource = dataSource;
        this.lockDataSource = lockDataSource;
        this.clock = builder.clock;
        this.attemptsMax = builder.attemptsMax;
        this.acceptsLosingWrites = builder.acceptsLosingWrites;
        this.owned = owned;
        final String[] settings = durabilitySettings(dataSource);
        this.loseableWrites = "off".equals(settings[0]) || "off".equals(settings[1]);
        this.durabilitySettings = "synchronous_commit=" + settings[0] + ", fsync=" + settings[1];
    }

    /**
     * A builder; the start-up thread.
     *
     * @return a builder with the system clock and {@link Transactions#ATTEMPTS_DEFAULT} attempts per call.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The data source the stores' transactions run on; any thread.
     *
     * @return the data source.
     */
    public DataSource dataSource()
    {
        return dataSource;
    }

    /**
     * The store clock, which stamps {@code persistedAt} and lease times; any thread.
     *
     * @return the clock.
     */
    public Clock clock()
    {
        return clock;
    }

    /**
     * The run state store (the Append Authority); any thread. Stores opened on one database share its records.
     *
     * @return the store.
     */
    public PostgresRunStateStore runStateStore()
    {
        return new PostgresRunStateStore(this);
    }

    /**
     * The idempotency store with the default lease timeout ({@code IdempotencyStore.LEASE_TIMEOUT_DEFAULT}); any
     * thread. Refused on a server that can lose acknowledged commits unless the builder accepted that.
     *
     * @return the store.
     */
    public PostgresIdempotencyStore idempotencyStore()
    {
        return new PostgresIdempotencyStore(this, IdempotencyStore.LEASE_TIMEOUT_DEFAULT);
    }

    /**
     * The idempotency store with a lease timeout; any thread.
     *
     * @param leaseTimeout how long an IN_PROGRESS record protects its worker before a begin takes it over.
     * @return the store.
     */
    public PostgresIdempotencyStore idempotencyStore(final Duration leaseTimeout)
    {
        return new PostgresIdempotencyStore(this, leaseTimeout);
    }

    /**
     * The payment server state store of one trust domain; any thread. Refused on a server that can lose acknowledged
     * commits unless the builder accepted that.
     *
     * @param trustDomain the domain (a server or facilitator) whose transaction ids and payment identifiers are unique.
     * @return the store.
     */
    public PostgresServerStateStore serverStateStore(final String trustDomain)
    {
        return new PostgresServerStateStore(this, trustDomain);
    }

    /**
     * The cross-process channel lock manager on PostgreSQL session advisory locks; any thread.
     *
     * @return a lock manager on the lock data source.
     */
    public PostgresChannelLockManager channelLockManager()
    {
        return new PostgresChannelLockManager(lockDataSource);
    }

    /**
     * The transaction template every store of this entry point uses.
     *
     * @return a template on the data source with this entry point's retry bound.
     */
    Transactions transactions()
    {
        return new Transactions(dataSource, attemptsMax);
    }

    /**
     * Refuses a store that must not lose acknowledged writes on a server whose settings can lose them
     * ({@code synchronous_commit} or {@code fsync} off), unless the builder accepted that.
     *
     * @param store the store's name, for the message.
     * @throws ConfigurationException with {@link ErrorCode#STORE_REQUIRES_STRICT}.
     */
    void requireStrict(final String store)
    {
        if (loseableWrites && !acceptsLosingWrites)
        {
            throw new ConfigurationException(ErrorCode.STORE_REQUIRES_STRICT, store + " needs a PostgreSQL server "
                + "that does not lose acknowledged commits, and this one can (" + durabilitySettings + "); turn both "
                + "on, or call acceptLosingAcknowledgedWrites() on the builder to open it anyway");
        }
    }

    /** Closes the pools this entry point built; a user's data source stays open. Idempotent; any thread. */
    @Override
    public void close()
    {
        for (final AutoCloseable closeable : owned)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignored)
            {
                // A pool that fails to close has no connection left that a caller could use.
            }
        }
    }

    private static String[] durabilitySettings(final DataSource dataSource)
    {
        return new Transactions(dataSource, Transactions.ATTEMPTS_DEFAULT).run("PostgresStores.open", connection ->
        {
            try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                    "SELECT current_setting('synchronous_commit'), current_setting('fsync')"))
            {
                row.next();
                return new String[] {row.getString(1), row.getString(2)};
            }
        });
    }

    /** Opens a {@link PostgresStores}; used by one thread. */
    public static final class Builder
    {
        private DataSource dataSource;
        private DataSource lockDataSource;
        private String jdbcUrl;
        private String username;
        private String password;
        private int poolSizeMax = 16;
        private int lockPoolSizeMax = 16;
        private Clock clock = Clock.system();
        private int attemptsMax = Transactions.ATTEMPTS_DEFAULT;
        private boolean acceptsLosingWrites;
        private boolean migrate;

        private Builder()
        {
        }

        /**
         * Runs the stores on a user's data source (a pool is strongly advised); the user closes it.
         *
         * @param value the data source.
         * @return this builder.
         */
        public Builder dataSource(final DataSource value)
        {
            dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * The data source of channel locks, each of which holds one connection while its function runs; without it
         * locks use the stores' data source, which then needs a connection per concurrently held key beyond the
         * stores' own. Ignored when the stores build their pool from a JDBC URL (they build a second pool then).
         *
         * @param value the data source.
         * @return this builder.
         */
        public Builder lockDataSource(final DataSource value)
        {
            lockDataSource = Objects.requireNonNull(value, "lockDataSource");
            return this;
        }

        /**
         * Builds HikariCP pools on a JDBC URL (closed by {@link PostgresStores#close()}).
         *
         * @param value a {@code jdbc:postgresql:} URL.
         * @return this builder.
         */
        public Builder jdbcUrl(final String value)
        {
            jdbcUrl = Objects.requireNonNull(value, "jdbcUrl");
            return this;
        }

        /**
         * The user name for {@link #jdbcUrl(String)}.
         *
         * @param value the user name.
         * @return this builder.
         */
        public Builder username(final String value)
        {
            username = value;
            return this;
        }

        /**
         * The password for {@link #jdbcUrl(String)}.
         *
         * @param value the password.
         * @return this builder.
         */
        public Builder password(final String value)
        {
            password = value;
            return this;
        }

        /**
         * The most connections of the stores' pool and of the lock pool built from {@link #jdbcUrl(String)}.
         *
         * @param stores the stores' pool size, at least 1 (default 16).
         * @param locks  the lock pool size, at least 1 (default 16): the most channel locks held at once.
         * @return this builder.
         */
        public Builder poolSizeMax(final int stores, final int locks)
        {
            if (stores < 1 || locks < 1)
            {
                throw new IllegalArgumentException("pool sizes must be at least 1: " + stores + ", " + locks);
            }
            poolSizeMax = stores;
            lockPoolSizeMax = locks;
            return this;
        }

        /**
         * The store clock (default the system clock).
         *
         * @param value the clock.
         * @return this builder.
         */
        public Builder clock(final Clock value)
        {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * How many times a call is tried when PostgreSQL fails it in a way that surely rolled it back.
         *
         * @param value at least 1 (default {@link Transactions#ATTEMPTS_DEFAULT}).
         * @return this builder.
         */
        public Builder attemptsMax(final int value)
        {
            if (value < 1)
            {
                throw new IllegalArgumentException("attemptsMax must be at least 1: " + value);
            }
            attemptsMax = value;
            return this;
        }

        /**
         * Lets the idempotency and payment stores open on a server with {@code synchronous_commit} or {@code fsync}
         * off, where a crash can take back acknowledged writes (tests may).
         *
         * @return this builder.
         */
        public Builder acceptLosingAcknowledgedWrites()
        {
            acceptsLosingWrites = true;
            return this;
        }

        /**
         * Applies {@link PostgresSchema#migrate(DataSource)} at open; without it the schema must already be current.
         *
         * @return this builder.
         */
        public Builder migrateSchema()
        {
            migrate = true;
            return this;
        }

        /**
         * Opens the entry point: builds the pools if asked, migrates or checks the schema, reads the server's
         * durability settings.
         *
         * @return the entry point.
         * @throws ConfigurationException with {@link ErrorCode#INVALID_FIELD} when neither or both of a data source
         *                                and a JDBC URL were given.
         */
        public PostgresStores open()
        {
            if ((dataSource == null) == (jdbcUrl == null))
            {
                throw new ConfigurationException(ErrorCode.INVALID_FIELD,
                    "give the PostgreSQL stores exactly one of dataSource and jdbcUrl");
            }
            if (dataSource != null)
            {
                return open(dataSource, lockDataSource == null ? dataSource : lockDataSource, new AutoCloseable[0]);
            }
            final HikariDataSource pool = pool("tally-stores", poolSizeMax);
            final HikariDataSource locks;
            try
            {
                locks = pool("tally-locks", lockPoolSizeMax);
            }
            catch (final RuntimeException ex)
            {
                pool.close();
                throw ex;
            }
            return open(pool, locks, new AutoCloseable[] {locks, pool});
        }

        private PostgresStores open(final DataSource stores, final DataSource locks, final AutoCloseable[] owned)
        {
            try
            {
                if (migrate)
                {
                    PostgresSchema.migrate(stores);
                }
                else
                {
                    PostgresSchema.requireCurrent(stores);
                }
                return new PostgresStores(this, stores, locks, owned);
            }
            catch (final RuntimeException ex)
            {
                for (final AutoCloseable closeable : owned)
                {
                    closeQuietly(closeable, ex);
                }
                throw ex;
            }
        }

        private HikariDataSource pool(final String name, final int size)
        {
            final HikariConfig config = new HikariConfig();
            config.setPoolName(name);
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(Math.min(2, size));
            config.setConnectionTimeout(10_000);
            config.setAutoCommit(true);
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            return new HikariDataSource(config);
        }

        private static void closeQuietly(final AutoCloseable closeable, final Exception failure)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ex)
            {
                failure.addSuppressed(ex);
            }
        }
    }
}
