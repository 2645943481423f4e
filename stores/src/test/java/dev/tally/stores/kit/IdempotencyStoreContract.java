/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.core.ErrorCode;
import dev.tally.core.TallyException;
import dev.tally.core.testing.ManualClock;
import dev.tally.stores.idempotency.BeginDecision;
import dev.tally.stores.idempotency.BeginInput;
import dev.tally.stores.idempotency.BeginResult;
import dev.tally.stores.idempotency.Completion;
import dev.tally.stores.idempotency.IdempotencyRecord;
import dev.tally.stores.idempotency.IdempotencyStore;
import dev.tally.stores.idempotency.Lease;
import dev.tally.stores.idempotency.RecordKey;
import dev.tally.stores.idempotency.Status;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract suite every {@link IdempotencyStore} implementation extends: the rules of
 * {@link IdempotencyStoreRulesContract}, plus seeded races, the fault matrix and durable answers. Goal: exactly one
 * contender wins each race, a failure before or after the durable step of any mutating call leaves each record wholly
 * there or wholly absent after a restart, a handler run only on EXECUTE runs at most once while its lease is live, and
 * no answer is handed out before what it was read from is durable. Method: {@link Races} runs 32 contenders in each of
 * 32 seeds; {@link StoreFaults} fails or holds the durable step. Replay one race seed with {@code -Dtests.seed=<seed>}
 * (the seed is in every race failure message).
 */
public abstract class IdempotencyStoreContract extends IdempotencyStoreRulesContract
{
    /**
     * Whether a reader of a record whose durable step is held waits for it and fails with it, as the embedded engine
     * does (a commit is visible just before its force). An implementation whose uncommitted writes are invisible
     * (PostgreSQL) answers at once instead, and the held tests then check that no answer carries the held record.
     *
     * @return {@code true} for the engine's behaviour.
     */
    protected boolean failedDurableStepFailsReaders()
    {
        return true;
    }

    private static String seeded(final long seed, final String what)
    {
        return what + " (seed=" + seed + ", replay with -Dtests.seed=" + seed + ")";
    }

    private static Map<BeginDecision, Integer> decisions(final long seed, final List<Object> results)
    {
        final Map<BeginDecision, Integer> counts = new EnumMap<>(BeginDecision.class);
        for (final Object result : results)
        {
            if (!(result instanceof BeginResult begun))
            {
                throw new AssertionError(seeded(seed, "a contender failed: " + result), (Throwable)result);
            }
            counts.merge(begun.decision(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    @Timeout(120)
    @DisplayName("Concurrency and safety: 32 concurrent Begins of one key give exactly one EXECUTE, in 32 seeds")
    void shouldExecuteExactlyOnceWhenBeginsRace() throws Exception
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final BeginInput input = input(clock, "race-begin-" + Long.toHexString(seed));
                final AtomicInteger handlerRuns = new AtomicInteger();
                final List<Object> results = Races.run(seed, Races.CONTENDERS, i ->
                {
                    final BeginResult begun = store.begin(input);
                    if (begun.decision() == BeginDecision.EXECUTE)
                    {
                        handlerRuns.incrementAndGet();
                        store.finish(begun.lease().orElseThrow(), Completion.of(Status.SUCCEEDED, 0, bytes("w")));
                    }
                    return begun;
                });
                final Map<BeginDecision, Integer> counts = decisions(seed, results);
                assertEquals(1, counts.getOrDefault(BeginDecision.EXECUTE, 0), seeded(seed, counts.toString()));
                assertEquals(Races.CONTENDERS, 1 + counts.getOrDefault(BeginDecision.IN_PROGRESS, 0)
                    + counts.getOrDefault(BeginDecision.REPLAY, 0), seeded(seed, counts.toString()));
                assertEquals(1, handlerRuns.get(), seeded(seed, "handler runs"));
                assertEquals(Status.SUCCEEDED, store.get(input.key()).orElseThrow().status(), seeded(seed, "status"));
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("Beyond the document: 32 concurrent Begins of an expired lease give exactly one takeover, in 32 seeds")
    void shouldTakeOverExactlyOnceWhenBeginsRaceOnExpiredLease() throws Exception
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final BeginInput input = input(clock, "race-takeover-" + Long.toHexString(seed));
                execute(store, input);
                clock.advance(LEASE_TIMEOUT);
                final List<Object> results = Races.run(seed, Races.CONTENDERS, i -> store.begin(input));
                final Map<BeginDecision, Integer> counts = decisions(seed, results);
                assertEquals(1, counts.getOrDefault(BeginDecision.EXECUTE, 0), seeded(seed, counts.toString()));
                assertEquals(Races.CONTENDERS - 1, counts.getOrDefault(BeginDecision.IN_PROGRESS, 0),
                    seeded(seed, counts.toString()));
                final BeginResult winner = results.stream().map(BeginResult.class::cast)
                    .filter(r -> r.decision() == BeginDecision.EXECUTE).findFirst().orElseThrow();
                assertTrue(winner.takenOver(), seeded(seed, "takenOver"));
                assertEquals(2, winner.lease().orElseThrow().fencingToken(), seeded(seed, "fencing token"));
                assertEquals(2, store.get(input.key()).orElseThrow().fencingToken(), seeded(seed, "stored token"));
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("Concurrency and safety: 32 concurrent Finishes of one lease, exactly one completes, in 32 seeds")
    void shouldCompleteExactlyOnceWhenFinishesRace() throws Exception
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final BeginInput input = input(clock, "race-finish-" + Long.toHexString(seed));
                final Lease lease = execute(store, input);
                final List<Object> results = Races.run(seed, Races.CONTENDERS,
                    i -> store.finish(lease, Completion.of(i % 2 == 0 ? Status.SUCCEEDED : Status.FAILED_FINAL, i,
                        bytes("worker-" + i))));
                int winner = -1;
                for (int i = 0; i < results.size(); i++)
                {
                    if (!(results.get(i) instanceof Boolean won))
                    {
                        throw new AssertionError(seeded(seed, "a contender failed: " + results.get(i)));
                    }
                    if (won)
                    {
                        assertEquals(-1, winner, seeded(seed, "two finishes won: " + winner + " and " + i));
                        winner = i;
                    }
                }
                assertTrue(winner >= 0, seeded(seed, "no finish won"));
                final IdempotencyRecord done = store.get(input.key()).orElseThrow();
                assertEquals(winner, done.responseCode(), seeded(seed, "the winner's response is stored"));
                assertArrayEquals(bytes("worker-" + winner), done.responsePayload(), seeded(seed, "payload"));
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("Service flow 3. 32 concurrent Reacquires of one FAILED_RETRYABLE key, exactly one lease, in 32 seeds")
    void shouldGrantExactlyOneLeaseWhenReacquiresRace() throws Exception
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final BeginInput input = input(clock, "race-reacquire-" + Long.toHexString(seed));
                completed(store, input, Status.FAILED_RETRYABLE, "later");
                final Instant base = now(clock);
                final List<Object> results = Races.run(seed, Races.CONTENDERS,
                    i -> store.reacquire(input.key(), base.plusNanos(1_000L * (i + 1))));
                Lease granted = null;
                for (final Object result : results)
                {
                    if (!(result instanceof Optional<?> lease))
                    {
                        throw new AssertionError(seeded(seed, "a contender failed: " + result));
                    }
                    if (lease.isPresent())
                    {
                        assertEquals(null, granted, seeded(seed, "two leases granted"));
                        granted = (Lease)lease.get();
                    }
                }
                assertTrue(granted != null, seeded(seed, "no lease granted"));
                final IdempotencyRecord running = store.get(input.key()).orElseThrow();
                assertEquals(Status.IN_PROGRESS, running.status(), seeded(seed, "status"));
                assertEquals(granted.updatedAt(), running.updatedAt(), seeded(seed, "the winner's token"));
                assertEquals(2, running.fencingToken(), seeded(seed, "fencing token"));
                assertTrue(store.finish(granted, Completion.of(Status.SUCCEEDED, 0, null)), seeded(seed, "finish"));
            }
        }
    }

    /** Runs the protected handler only on EXECUTE, then finishes; returns the decision. */
    private static BeginDecision runProtected(final IdempotencyStore store, final BeginInput input,
        final AtomicInteger handlerRuns)
    {
        final BeginResult begun = store.begin(input);
        if (begun.decision() == BeginDecision.EXECUTE)
        {
            handlerRuns.incrementAndGet();
            assertTrue(store.finish(begun.lease().orElseThrow(), Completion.of(Status.SUCCEEDED, 0, bytes("done"))));
        }
        return begun.decision();
    }

    private static void assumeFaults(final StoreFactory<IdempotencyStore> factory)
    {
        Assumptions.assumeTrue(factory.faults().isSupported(), "the implementation injects faults");
        Assumptions.assumeTrue(factory.isDurable(), "the implementation restarts from durable storage");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoreFaults.Timing.class)
    @DisplayName("Fault matrix: Begin fails before or after its durable step; after restart the record is whole")
    void shouldLeaveWholeRecordAndRunHandlerOnceWhenBeginFails(final StoreFaults.Timing timing)
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            assumeFaults(factory);
            final IdempotencyStore initial = factory.create();
            final BeginInput input = input(clock, "k-fault-begin");
            final AtomicInteger handlerRuns = new AtomicInteger();
            factory.faults().failNext(timing);
            assertThrows(RuntimeException.class, () -> runProtected(initial, input, handlerRuns));
            final IdempotencyStore restarted = factory.restart();
            final Optional<IdempotencyRecord> after = restarted.get(input.key());
            if (timing == StoreFaults.Timing.AFTER)
            {
                assertTrue(after.isPresent(), "a durable begin survives its lost acknowledgement");
            }
            after.ifPresent(r -> assertEquals(new IdempotencyRecord(PRINCIPAL, METHOD, input.idempotencyKey(), HASH,
                Status.IN_PROGRESS, 0, null, now(clock), now(clock), input.expiresAt(), 1), r));
            final BeginDecision again = runProtected(restarted, input, handlerRuns);
            assertEquals(after.isPresent() ? BeginDecision.IN_PROGRESS : BeginDecision.EXECUTE, again);
            assertTrue(handlerRuns.get() <= 1, "at most once while the lease is live: " + handlerRuns);
            clock.advance(LEASE_TIMEOUT);
            runProtected(restarted, input, handlerRuns);
            assertEquals(1, handlerRuns.get(), "the key is never stranded and its handler ran once");
            assertEquals(Status.SUCCEEDED, restarted.get(input.key()).orElseThrow().status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoreFaults.Timing.class)
    @DisplayName("Fault matrix: Finish fails before or after its durable step; the handler never runs twice")
    void shouldLeaveWholeRecordAndNotRerunHandlerWhenFinishFails(final StoreFaults.Timing timing)
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            assumeFaults(factory);
            final IdempotencyStore initial = factory.create();
            final BeginInput input = input(clock, "k-fault-finish");
            final AtomicInteger handlerRuns = new AtomicInteger();
            final Lease lease = execute(initial, input);
            handlerRuns.incrementAndGet();
            final IdempotencyRecord running = initial.get(input.key()).orElseThrow();
            factory.faults().failNext(timing);
            final Completion done = Completion.of(Status.SUCCEEDED, 3, bytes("charged"));
            assertThrows(RuntimeException.class, () -> initial.finish(lease, done));
            final IdempotencyStore restarted = factory.restart();
            final IdempotencyRecord after = restarted.get(input.key()).orElseThrow();
            final IdempotencyRecord finished = new IdempotencyRecord(PRINCIPAL, METHOD, input.idempotencyKey(), HASH,
                Status.SUCCEEDED, 3, bytes("charged"), running.createdAt(), running.updatedAt(), input.expiresAt(),
                1);
            if (timing == StoreFaults.Timing.AFTER)
            {
                assertEquals(finished, after, "a durable finish survives its lost acknowledgement");
            }
            else
            {
                assertTrue(after.equals(running) || after.equals(finished), "wholly before or after: " + after);
            }
            final BeginDecision again = runProtected(restarted, input, handlerRuns);
            assertEquals(after.status() == Status.SUCCEEDED ? BeginDecision.REPLAY : BeginDecision.IN_PROGRESS, again);
            assertEquals(1, handlerRuns.get(), "the handler does not run again while its lease is live");
            if (after.status() == Status.IN_PROGRESS)
            {
                assertTrue(restarted.finish(lease, done), "the worker's lease is still current after the restart");
            }
            else
            {
                assertFalse(restarted.finish(lease, done), "a finish that took effect is not applied twice");
                assertEquals(lease.fencingToken(), restarted.get(input.key()).orElseThrow().fencingToken(),
                    "the worker recognises its own completion by its fencing token");
            }
            assertEquals(finished, restarted.get(input.key()).orElseThrow());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoreFaults.Timing.class)
    @DisplayName("Fault matrix: Reacquire fails before or after its durable step; after restart the record is whole")
    void shouldLeaveWholeRecordWhenReacquireFails(final StoreFaults.Timing timing)
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            assumeFaults(factory);
            final IdempotencyStore initial = factory.create();
            final BeginInput input = input(clock, "k-fault-reacquire");
            completed(initial, input, Status.FAILED_RETRYABLE, "later");
            final IdempotencyRecord failed = initial.get(input.key()).orElseThrow();
            final Instant token = now(clock).plusSeconds(1);
            factory.faults().failNext(timing);
            assertThrows(RuntimeException.class, () -> initial.reacquire(input.key(), token));
            final IdempotencyStore restarted = factory.restart();
            final IdempotencyRecord after = restarted.get(input.key()).orElseThrow();
            final IdempotencyRecord retried = new IdempotencyRecord(PRINCIPAL, METHOD, input.idempotencyKey(), HASH,
                Status.IN_PROGRESS, 0, null, failed.createdAt(), token, failed.expiresAt(), 2);
            if (timing == StoreFaults.Timing.AFTER)
            {
                assertEquals(retried, after, "a durable reacquire survives its lost acknowledgement");
            }
            else
            {
                assertTrue(after.equals(failed) || after.equals(retried), "wholly before or after: " + after);
            }
            if (after.equals(failed))
            {
                assertEquals(new Lease(input.key(), token, 2), restarted.reacquire(input.key(), token).orElseThrow());
            }
            else
            {
                assertTrue(restarted.reacquire(input.key(), token).isEmpty());
                assertEquals(BeginDecision.IN_PROGRESS, restarted.begin(input).decision());
            }
            assertTrue(restarted.finish(new Lease(input.key(), token, 2), Completion.of(Status.SUCCEEDED, 0, null)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoreFaults.Timing.class)
    @DisplayName("Fault matrix: DeleteExpired fails before or after its durable step; records are wholly kept or gone")
    void shouldKeepOrDeleteWholeRecordsWhenDeleteExpiredFails(final StoreFaults.Timing timing)
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            assumeFaults(factory);
            final IdempotencyStore initial = factory.create();
            final List<RecordKey> soon = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final BeginInput input = new BeginInput(PRINCIPAL, METHOD, "k-soon-" + i, HASH,
                    now(clock).plusSeconds(60 + i));
                completed(initial, input, Status.SUCCEEDED, "r" + i);
                soon.add(input.key());
            }
            final BeginInput later = input(clock, "k-later");
            completed(initial, later, Status.SUCCEEDED, "later");
            final List<IdempotencyRecord> before = new ArrayList<>();
            for (final RecordKey key : soon)
            {
                before.add(initial.get(key).orElseThrow());
            }
            final Instant cut = now(clock).plusSeconds(3_600);
            factory.faults().failNext(timing);
            assertThrows(RuntimeException.class, () -> initial.deleteExpired(cut, 10));
            final IdempotencyStore restarted = factory.restart();
            int kept = 0;
            for (int i = 0; i < soon.size(); i++)
            {
                final Optional<IdempotencyRecord> after = restarted.get(soon.get(i));
                after.ifPresent(r -> assertTrue(before.contains(r), "wholly kept: " + r));
                kept += after.isPresent() ? 1 : 0;
            }
            if (timing == StoreFaults.Timing.AFTER)
            {
                assertEquals(0, kept, "a durable delete survives its lost acknowledgement");
            }
            assertEquals(kept, restarted.deleteExpired(cut, 10), "the expiry index agrees with the records");
            for (final RecordKey key : soon)
            {
                assertTrue(restarted.get(key).isEmpty(), key.toString());
            }
            assertEquals(Status.SUCCEEDED, restarted.get(later.key()).orElseThrow().status());
        }
    }

    @Test
    @DisplayName("Durable answers: a REPLAY is not answered while the Finish's force is held, and fails with it")
    void shouldNotReplayWhenFinishIsNotDurable() throws Exception
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            assumeFaults(factory);
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-held-finish");
            final Lease lease = execute(store, input);
            final StoreFaults.Hold hold = factory.faults().holdNext();
            final ExecutorService pool = Executors.newFixedThreadPool(3);
            try
            {
                final Future<Boolean> finisher = pool.submit(
                    () -> store.finish(lease, Completion.of(Status.SUCCEEDED, 0, bytes("charged"))));
                assertTrue(hold.awaitReached(10, TimeUnit.SECONDS), "the finish reached its force");
                final Future<BeginResult> replayer = pool.submit(() -> store.begin(input));
                final Future<Optional<IdempotencyRecord>> getter = pool.submit(() -> store.get(input.key()));
                if (failedDurableStepFailsReaders())
                {
                    assertNotAnswered(replayer, getter);
                }
                hold.releaseAndFail();
                assertThrows(ExecutionException.class, () -> finisher.get(10, TimeUnit.SECONDS));
                if (failedDurableStepFailsReaders())
                {
                    assertLogFailed(replayer);
                    assertLogFailed(getter);
                }
                else
                {
                    assertNotEquals(BeginDecision.REPLAY, replayer.get(10, TimeUnit.SECONDS).decision(),
                        "a REPLAY was answered from the held finish");
                    assertEquals(Status.IN_PROGRESS, getter.get(10, TimeUnit.SECONDS).orElseThrow().status(),
                        "a get was answered from the held finish");
                }
            }
            finally
            {
                // A hold the force already took is no longer armed, so clear() alone would not release it.
                hold.release();
                factory.faults().clear();
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("Durable answers: an IN_PROGRESS is not answered while the Begin's force is held, and fails with it")
    void shouldNotAnswerInProgressWhenBeginIsNotDurable() throws Exception
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            assumeFaults(factory);
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-held-begin");
            final StoreFaults.Hold hold = factory.faults().holdNext();
            final ExecutorService pool = Executors.newFixedThreadPool(2);
            try
            {
                final Future<BeginResult> first = pool.submit(() -> store.begin(input));
                assertTrue(hold.awaitReached(10, TimeUnit.SECONDS), "the begin reached its force");
                final Future<BeginResult> second = pool.submit(() -> store.begin(input));
                if (failedDurableStepFailsReaders())
                {
                    assertNotAnswered(second);
                }
                hold.releaseAndFail();
                assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
                if (failedDurableStepFailsReaders())
                {
                    assertLogFailed(second);
                }
                else
                {
                    assertEquals(BeginDecision.EXECUTE, second.get(10, TimeUnit.SECONDS).decision(),
                        "the held begin rolled back, so the second one executes");
                }
            }
            finally
            {
                // A hold the force already took is no longer armed, so clear() alone would not release it.
                hold.release();
                factory.faults().clear();
                pool.shutdownNow();
            }
        }
    }

    private static void assertNotAnswered(final Future<?>... readers) throws InterruptedException
    {
        Thread.sleep(300);
        for (final Future<?> reader : readers)
        {
            assertFalse(reader.isDone(), "a reader answered from a record whose force is still held");
        }
    }

    private static void assertLogFailed(final Future<?> reader)
    {
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> reader.get(10, TimeUnit.SECONDS),
            "the reader must fail with the force, not answer");
        final TallyException cause = assertInstanceOf(TallyException.class, ex.getCause());
        assertEquals(ErrorCode.LOG_FAILED, cause.code(), cause.getMessage());
    }
}
