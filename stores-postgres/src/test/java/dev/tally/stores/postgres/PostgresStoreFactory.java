/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.tally.core.Clock;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.kit.StoreFaults;

import java.util.function.Function;

/**
 * The {@link StoreFactory} of a PostgreSQL store for the contract kit: a fresh schema on the JVM's
 * {@link PostgresServer}, a HikariCP pool behind a {@link FaultyDataSource}, and {@link #restart()} that closes the
 * pool, restarts the server on its data directory and opens the store again. Used by the test thread.
 *
 * @param <S> the store interface.
 */
public final class PostgresStoreFactory<S> implements StoreFactory<S>
{
    private final PostgresServer server = PostgresServer.shared();
    private final Function<PostgresStores, S> opener;
    private final Clock clock;
    private String jdbcUrl;
    private HikariDataSource pool;
    private final FaultyDataSource faulty = new FaultyDataSource();
    private PostgresStores stores;

    /**
     * A factory of one store kind.
     *
     * @param clock  the store clock.
     * @param opener opens the store from the entry point.
     */
    public PostgresStoreFactory(final Clock clock, final Function<PostgresStores, S> opener)
    {
        this.clock = clock;
        this.opener = opener;
    }

    @Override
    public S create()
    {
        if (jdbcUrl != null)
        {
            throw new IllegalStateException("create() is called once per factory");
        }
        jdbcUrl = server.newSchema();
        return open();
    }

    @Override
    public S restart()
    {
        closeStores();
        server.restart();
        return open();
    }

    /**
     * Reopens the store on new connections without restarting the server.
     *
     * @return the reopened store.
     */
    public S reconnect()
    {
        closeStores();
        return open();
    }

    @Override
    public StoreFaults faults()
    {
        return faulty;
    }

    @Override
    public boolean isDurable()
    {
        return true;
    }

    /**
     * The entry point the current store was opened from.
     *
     * @return the entry point.
     */
    public PostgresStores stores()
    {
        return stores;
    }

    /**
     * The JDBC URL of this factory's schema.
     *
     * @return the URL.
     */
    public String jdbcUrl()
    {
        return jdbcUrl;
    }

    @Override
    public void close()
    {
        closeStores();
        if (jdbcUrl != null)
        {
            server.dropSchema(jdbcUrl);
            jdbcUrl = null;
        }
    }

    private S open()
    {
        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(40);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(20_000);
        pool = new HikariDataSource(config);
        faulty.delegate(pool);
        stores = PostgresStores.builder().dataSource(faulty).lockDataSource(pool).clock(clock).migrateSchema()
            .acceptLosingAcknowledgedWrites().open();
        return opener.apply(stores);
    }

    private void closeStores()
    {
        faulty.clear();
        if (stores != null)
        {
            stores.close();
            stores = null;
        }
        if (pool != null)
        {
            pool.close();
            pool = null;
        }
    }
}
