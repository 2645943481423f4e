/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.Clock;
import dev.tally.stores.kit.RunStateStoreContract;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.runstate.RunStateStore;

import java.nio.file.Path;

/*
 * Goal: the PostgreSQL run state store passes the very contract kit of the embedded one. Method: RunStateStoreContract
 * on a fresh schema of the JVM's embedded server per test; restart() restarts the server on its data directory, the
 * fault matrix fails the PostgreSQL commit before and after it took effect. Seeds as in the kit (-Dtests.seed=).
 */
class PostgresRunStateStoreTest extends RunStateStoreContract
{
    @Override
    protected StoreFactory<RunStateStore> factory(final Path directory)
    {
        return new PostgresStoreFactory<>(Clock.system(), PostgresStores::runStateStore);
    }

    /**
     * A failed PostgreSQL commit rolls back and its rows were never visible: readers answer at once, without them.
     *
     * @return {@code false}.
     */
    @Override
    protected boolean failedDurableStepFailsReaders()
    {
        return false;
    }
}
