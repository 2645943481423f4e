/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes run, transaction and span ids, injected so that tests and simulations can make them deterministic. The default
 * is random; implementations must be safe to call from any thread.
 */
public interface IdGenerator
{
    /**
     * A new UUID; any thread.
     *
     * @return a UUID not returned before by this generator.
     */
    UUID nextUuid();

    /**
     * A new run id; any thread.
     *
     * @return the id.
     */
    default RunId nextRunId()
    {
        return new RunId(nextUuid());
    }

    /**
     * A new transaction id; any thread.
     *
     * @return the id.
     */
    default TxId nextTxId()
    {
        return new TxId(nextUuid());
    }

    /**
     * The random generator; any thread.
     *
     * @return a generator backed by {@link UUID#randomUUID()}.
     */
    static IdGenerator random()
    {
        return UUID::randomUUID;
    }

    /**
     * A deterministic generator: the same seed gives the same sequence of ids; any thread.
     *
     * @param seed the seed.
     * @return a new generator.
     */
    static IdGenerator seeded(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        return new IdGenerator()
        {
            /** {@inheritDoc} */
            @Override
            public synchronized UUID nextUuid()
            {
                final long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
                final long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
                return new UUID(msb, lsb);
            }
        };
    }
}
