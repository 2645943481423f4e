/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.Clock;
import dev.tally.stores.kit.ServerStateStoreContract;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.payments.ServerStateStore;


import java.nio.file.Path;

/*
 * Goal: the PostgreSQL payment server state store passes the very contract kit of the embedded one. Method:
 * ServerStateStoreContract on a fresh schema of the JVM's embedded server per test; restart() restarts the server.
 * Seeds as in the kit (-Dtests.seed=).
 */
class PostgresServerStateStoreTest extends ServerStateStoreContract
{
    @Override
    protected StoreFactory<ServerStateStore> factory(final Path dir)
    {
        return new PostgresStoreFactory<>(Clock.system(), stores -> stores.serverStateStore("domain"));
    }

    /** A held commit's rows are invisible to other sessions and a failed one rolls back: readers answer without it. */
    @Override
    protected boolean failedDurableStepFailsReaders()
    {
        return false;
    }
}
