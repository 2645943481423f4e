/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.internal;

import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;

/**
 * The guard of the stores that must never lose an acknowledged write (idempotency, payment server state): a Buffered
 * or InMemory database can, and a lost idempotency record or settlement would let the same operation run twice.
 */
public final class StrictMode
{
    private StrictMode()
    {
    }

    /**
     * Refuses a database that is not in Strict mode unless the caller accepted losing acknowledged writes; any thread.
     *
     * @param db                 the database.
     * @param acceptsLosingWrites whether the caller said explicitly that it accepts losing acknowledged writes.
     * @param store              the store's name, for the message.
     * @throws ConfigurationException with {@link ErrorCode#STORE_REQUIRES_STRICT}.
     */
    public static void require(final Database db, final boolean acceptsLosingWrites, final String store)
    {
        final DurabilityMode mode = db.durabilityMode();
        if (mode != DurabilityMode.STRICT && !acceptsLosingWrites)
        {
            throw new ConfigurationException(ErrorCode.STORE_REQUIRES_STRICT, store + " needs a Strict database, "
                + "because a " + mode + " database can lose acknowledged writes; open the database with "
                + "DurabilityMode.STRICT, or accept losing acknowledged writes explicitly: mode=" + mode);
        }
    }
}
