/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.Clock;
import dev.tally.stores.idempotency.IdempotencyStore;
import dev.tally.stores.kit.IdempotencyStoreContract;
import dev.tally.stores.kit.StoreFactory;


import java.nio.file.Path;
import java.time.Duration;

/*
 * Goal: the PostgreSQL idempotency store passes the very contract kit of the embedded one. Method:
 * IdempotencyStoreContract on a fresh schema of the JVM's embedded server per test; restart() restarts the server.
 * Seeds as in the kit (-Dtests.seed=).
 */
class PostgresIdempotencyStoreTest extends IdempotencyStoreContract
{
    @Override
    protected StoreFactory<IdempotencyStore> factory(final Path directory, final Clock clock,
        final Duration leaseTimeout)
    {
        return new PostgresStoreFactory<>(clock, stores -> stores.idempotencyStore(leaseTimeout));
    }

    /** A held commit's rows are invisible to other sessions and a failed one rolls back: readers answer without it. */
    @Override
    protected boolean failedDurableStepFailsReaders()
    {
        return false;
    }
}
