/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.core.Clock;
import dev.tally.engine.Database;
import dev.tally.stores.kit.IdempotencyStoreContract;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.kit.StoreFaults;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The contract suite against the memory variant: the embedded store on an InMemory database, opened with
 * {@code acceptLosingAcknowledgedWrites()}. Goal: the rules and races hold without a durable step; the restart,
 * fault and durable-answer tests are skipped (a restart keeps the same instance, so nothing is proven durable).
 * Races replay with {@code -Dtests.seed=<seed>}.
 */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract
{
    /** {@inheritDoc} */
    @Override
    protected StoreFactory<IdempotencyStore> factory(final Path directory, final Clock clock,
        final Duration leaseTimeout)
    {
        return new StoreFactory<>()
        {
            private Database db;
            private IdempotencyStore store;

            @Override
            public IdempotencyStore create()
            {
                db = Database.openInMemory();
                store = EmbeddedIdempotencyStore.builder(db).clock(clock).leaseTimeout(leaseTimeout)
                    .acceptLosingAcknowledgedWrites().open();
                return store;
            }

            @Override
            public IdempotencyStore restart()
            {
                return store;
            }

            @Override
            public StoreFaults faults()
            {
                return StoreFaults.NONE;
            }

            @Override
            public boolean isDurable()
            {
                return false;
            }

            @Override
            public void close()
            {
                if (db != null)
                {
                    db.close();
                    db = null;
                }
            }
        };
    }
}
