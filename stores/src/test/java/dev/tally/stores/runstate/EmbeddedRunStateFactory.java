/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.engine.DurabilityMode;
import dev.tally.stores.kit.EmbeddedDatabase;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.kit.StoreFaults;

import java.nio.file.Path;

/**
 * The {@link StoreFactory} of {@link EmbeddedRunStateStore} on an {@link EmbeddedDatabase} in a mode: Strict with the
 * force faults, or InMemory (no faults; restart keeps the database, so nothing is durable). Used by the test thread.
 */
final class EmbeddedRunStateFactory implements StoreFactory<RunStateStore>
{
    private final EmbeddedDatabase database;
    private final DurabilityMode mode;
    private RunStateStore store;

    EmbeddedRunStateFactory(final Path directory, final DurabilityMode mode)
    {
        this.database = new EmbeddedDatabase(directory, mode);
        this.mode = mode;
    }

    EmbeddedDatabase database()
    {
        return database;
    }

    @Override
    public RunStateStore create()
    {
        store = EmbeddedRunStateStore.builder(database.open()).open();
        return store;
    }

    @Override
    public RunStateStore restart()
    {
        if (mode == DurabilityMode.IN_MEMORY)
        {
            return store;
        }
        store = EmbeddedRunStateStore.builder(database.reopen()).open();
        return store;
    }

    @Override
    public StoreFaults faults()
    {
        return mode == DurabilityMode.IN_MEMORY ? StoreFaults.NONE : database.faults();
    }

    @Override
    public boolean isDurable()
    {
        return mode != DurabilityMode.IN_MEMORY;
    }

    @Override
    public void close()
    {
        database.close();
    }
}
