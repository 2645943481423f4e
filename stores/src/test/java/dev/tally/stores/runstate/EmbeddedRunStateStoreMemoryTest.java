/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.engine.DurabilityMode;
import dev.tally.stores.kit.RunStateStoreContract;
import dev.tally.stores.kit.StoreFactory;

import java.nio.file.Path;

/**
 * The run state contract against {@link EmbeddedRunStateStore} on an InMemory database: the memory variant, with no
 * faults and no durable restart (those tests are skipped). Replay a seeded test with {@code -Dtests.seed=<seed>}.
 */
class EmbeddedRunStateStoreMemoryTest extends RunStateStoreContract
{
    @Override
    protected StoreFactory<RunStateStore> factory(final Path directory)
    {
        return new EmbeddedRunStateFactory(directory, DurabilityMode.IN_MEMORY);
    }
}
