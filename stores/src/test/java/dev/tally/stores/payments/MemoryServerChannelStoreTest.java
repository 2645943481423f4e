/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.kit.ServerStateStoreContract;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.kit.StoreFaults;

import java.nio.file.Path;

/**
 * The server store contract against {@link MemoryServerChannelStore}. Goal: the reference store keeps the same
 * semantics as the durable one. Method: the whole contract suite; restart keeps the same instance, there are no
 * faults to inject, so the fault matrix and durable-answer tests are skipped. Replay a race seed with
 * {@code -Dtests.seed=<seed>}.
 */
class MemoryServerChannelStoreTest extends ServerStateStoreContract
{
    /** {@inheritDoc} */
    @Override
    protected StoreFactory<ServerStateStore> factory(final Path dir)
    {
        return new StoreFactory<>()
        {
            private MemoryServerChannelStore store;

            @Override
            public ServerStateStore create()
            {
                store = new MemoryServerChannelStore();
                return store;
            }

            @Override
            public ServerStateStore restart()
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
                store = null;
            }
        };
    }
}
