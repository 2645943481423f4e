/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sixteen threads race compare-and-set on one state cell until its value reaches a target: every version is won by
 * exactly one thread, the wins cover every version once, and the final value equals the number of wins.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateCellConcurrencyTest
{
    private static final int THREADS = 16;

    private final RunId run = RunId.of(5, 5);
    @Test
    void shouldGiveEachVersionToExactlyOneThreadWhenSixteenThreadsRaceInMemory() throws Exception
    {
        try (Database db = Database.openInMemory())
        {
            race(db, 5_000);
        }
    }

    @Test
    void shouldGiveEachVersionToExactlyOneThreadWhenSixteenThreadsRaceInStrictMode(@TempDir final Path dir)
        throws Exception
    {
        final int target = 2_000;
        final String hash;
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).open())
        {
            race(db, target);
            hash = db.stateHash();
        }
        try (Database db = Database.open(dir))
        {
            assertEquals(Optional.of(new StateValue(Value.of(target), target + 1)), db.state().get(run, "counter"),
                "every win survives reopen");
            assertEquals(hash, db.stateHash());
        }
    }

    private void race(final Database db, final int target) throws Exception
    {
        db.beginRun(run);
        assertTrue(db.state().init(run, "counter", Value.of(0)));
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        final List<Future<List<Long>>> futures = new ArrayList<>();
        try
        {
            for (int t = 0; t < THREADS; t++)
            {
                futures.add(pool.submit(() ->
                {
                    start.await();
                    final List<Long> won = new ArrayList<>();
                    while (true)
                    {
                        final StateValue current = db.state().get(run, "counter").orElseThrow();
                        final long value = ((Value.I64)current.value()).value();
                        if (value >= target)
                        {
                            return won;
                        }
                        final CasResult result = db.state().cas(run, "counter", current.version(),
                            Value.of(value + 1));
                        if (result instanceof CasResult.Success success)
                        {
                            if (success.newVersion() != current.version() + 1)
                            {
                                throw new AssertionError("a win must advance the version by one: " + success);
                            }
                            won.add(success.newVersion());
                        }
                        else
                        {
                            final CasResult.Conflict conflict = (CasResult.Conflict)result;
                            if (conflict.expectedVersion() != current.version()
                                || conflict.actualVersion() <= current.version())
                            {
                                throw new AssertionError("a lost race reports a newer version: " + conflict);
                            }
                        }
                    }
                }));
            }
            start.countDown();
            final BitSet versions = new BitSet();
            long wins = 0;
            int threadsThatWon = 0;
            for (final Future<List<Long>> future : futures)
            {
                final List<Long> won = future.get(100, TimeUnit.SECONDS);
                threadsThatWon += won.isEmpty() ? 0 : 1;
                for (final long version : won)
                {
                    assertFalse(versions.get((int)version), "version won twice: " + version);
                    versions.set((int)version);
                    wins++;
                }
            }
            assertEquals(target, wins, "one win per increment");
            assertEquals(2, versions.nextSetBit(0), "the first win makes version 2");
            assertEquals(target, versions.cardinality());
            assertEquals(target + 2, versions.nextClearBit(2), "the wins cover versions 2.." + (target + 1));
            assertEquals(Optional.of(new StateValue(Value.of(wins), wins + 1)), db.state().get(run, "counter"),
                "the final value is the number of wins");
            assertTrue(threadsThatWon > 1, "the threads actually raced: winners=" + threadsThatWon);
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
