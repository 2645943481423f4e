/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.testing.ManualClock;
import dev.tally.core.testing.Seeds;
import dev.tally.stores.runstate.AppendResult;
import dev.tally.stores.runstate.RunEventRecord;
import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunSnapshot;

import jakarta.json.Json;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: concurrent appenders of one run on PostgreSQL never collide, never deadlock and never duplicate: runSeq is
 * strictly increasing, every event is stored once, each duplicate resolves to its original, and the materialised
 * snapshot equals the projection from the first event. Method: 8 threads released by a barrier append events of one
 * run, a seed-chosen share of them duplicates of earlier keys and a seed-chosen share in batches, in each of 20 seeds;
 * the seed is in every failure message. Replay one seed with -Dtests.seed=<seed>.
 */
@Timeout(180)
class PostgresRunStateStoreConcurrencyTest
{
    private static final int THREADS = 8;
    private static final int APPENDS_PER_THREAD = 12;
    private static final int SEEDS = 20;

    @Test
    @DisplayName("2.2 8 concurrent appenders of one run: runSeq strictly increasing, no duplicate, no deadlock")
    void shouldAssignDistinctIncreasingRunSeqWhenEightThreadsAppendOneRun() throws Exception
    {
        try (PostgresStoreFactory<PostgresRunStateStore> factory =
            new PostgresStoreFactory<>(new ManualClock(), PostgresStores::runStateStore))
        {
            final PostgresRunStateStore store = factory.create();
            final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try
            {
                for (final long seed : seeds().toArray())
                {
                    runSeed(store, pool, seed);
                }
            }
            finally
            {
                pool.shutdownNow();
            }
        }
    }

    private static void runSeed(final PostgresRunStateStore store, final ExecutorService pool, final long seed)
        throws Exception
    {
        final String runId = "run-" + Long.toHexString(seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final CyclicBarrier barrier = new CyclicBarrier(THREADS);
        final List<Future<List<AppendResult>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            final SplittableRandom mine = random.split();
            final int thread = t;
            futures.add(pool.submit(() ->
            {
                barrier.await(30, TimeUnit.SECONDS);
                final List<AppendResult> results = new ArrayList<>();
                for (int i = 0; i < APPENDS_PER_THREAD; i++)
                {
                    // About one in four appends repeats a key another thread also writes.
                    final String step = mine.nextInt(4) == 0 ? "shared-" + mine.nextInt(6) : thread + "-" + i;
                    if (mine.nextInt(5) == 0)
                    {
                        results.addAll(store.appendEvents(runId, List.of(event(runId, step),
                            event(runId, step + "-b"))));
                    }
                    else
                    {
                        results.add(store.appendEvent(event(runId, step)));
                    }
                }
                return results;
            }));
        }
        final List<AppendResult> all = new ArrayList<>();
        for (final Future<List<AppendResult>> future : futures)
        {
            all.addAll(future.get(120, TimeUnit.SECONDS));
        }
        final List<RunEventRecord> stored = store.fetchEvents(runId, 0, 10_000);
        final Set<Long> persistedSeqs = new HashSet<>();
        for (final AppendResult result : all)
        {
            if (result.persisted())
            {
                assertTrue(persistedSeqs.add(result.runSeq()), "seed=" + seed + ": runSeq assigned twice: " + result);
            }
        }
        assertEquals(persistedSeqs.size(), stored.size(), "seed=" + seed + ": one stored event per persisted append");
        final Set<String> keys = new HashSet<>();
        for (int i = 0; i < stored.size(); i++)
        {
            assertEquals(i + 1, stored.get(i).runSeq(), "seed=" + seed + ": runSeq strictly increasing from 1");
            assertTrue(keys.add(stored.get(i).idempotencyKey()), "seed=" + seed + ": a key stored twice");
        }
        for (final AppendResult result : all)
        {
            final RunEventRecord original = stored.get((int) result.runSeq() - 1);
            assertEquals(original.eventId(), result.eventId(), "seed=" + seed + ": a result names another event");
            assertEquals(original.persistedAt(), result.persistedAt(), "seed=" + seed);
            assertFalse(result.idempotent() == result.persisted(), "seed=" + seed + ": " + result);
        }
        final RunSnapshot snapshot = store.getSnapshot(runId).orElseThrow();
        assertEquals(store.projectSnapshot(runId), snapshot, "seed=" + seed + ": snapshot and projection differ");
        assertEquals(stored.size(), snapshot.lastEventSeq(), "seed=" + seed);
    }

    static RunEventWrite event(final String runId, final String stepId)
    {
        return RunEventWrite.builder().eventId(UUID.randomUUID().toString()).eventType("StepStarted")
            .emittedAt("2026-02-16T09:30:00Z").runId(runId).tenantId("tenant").projectId("project")
            .environmentId("env").planId("plan").planVersion("1").engineAttemptId(1).logicalAttemptId(1)
            .stepId(stepId).payload(Json.createObjectBuilder().add("step", stepId).build())
            .derivedIdempotencyKey().build();
    }

    private static LongStream seeds()
    {
        final OptionalLong given = Seeds.given();
        if (given.isPresent())
        {
            return LongStream.of(given.getAsLong());
        }
        return LongStream.range(0, SEEDS).map(i -> 0x9E3779B97F4A7C15L * (i + 1));
    }
}
