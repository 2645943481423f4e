/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.Clock;
import dev.tally.stores.kit.ChannelLockManagerContract;
import dev.tally.stores.payments.ChannelLockManager;

import org.junit.jupiter.api.AfterEach;

/*
 * Goal: the PostgreSQL channel lock manager (session advisory locks) passes the lock contract of the in-process one.
 * Method: ChannelLockManagerContract with one fresh schema and pool per test on the JVM's embedded server. No seeds.
 */
class PostgresChannelLockManagerTest extends ChannelLockManagerContract
{
    private PostgresStoreFactory<ChannelLockManager> factory;

    @Override
    protected ChannelLockManager create()
    {
        factory = new PostgresStoreFactory<>(Clock.system(), PostgresStores::channelLockManager);
        return factory.create();
    }

    @AfterEach
    void closeFactory()
    {
        if (factory != null)
        {
            factory.close();
        }
    }
}
