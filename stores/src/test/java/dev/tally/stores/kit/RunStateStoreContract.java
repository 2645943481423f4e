/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.core.ErrorCode;
import dev.tally.core.TallyException;
import dev.tally.core.testing.Seeds;
import dev.tally.stores.runstate.AppendResult;
import dev.tally.stores.runstate.EventTypes;
import dev.tally.stores.runstate.RunEventRecord;
import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunProjection;
import dev.tally.stores.runstate.RunSnapshot;
import dev.tally.stores.runstate.RunStateStore;
import dev.tally.stores.runstate.RunStatus;
import dev.tally.stores.runstate.RunWatermarkReader;
import dev.tally.stores.runstate.StepSnapshot;
import dev.tally.stores.runstate.StepStatus;
import jakarta.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract of every {@link RunStateStore} (Run State Store v2.0.0, and v1.0 where v2 is silent: watermark fetch,
 * gaps, snapshots, retention), run by each implementation's test class through its {@link StoreFactory}.
 *
 * <p>Goal: every rule of the documents and of issue 16's deliverable 1, one or more tests each, the section in the
 * display name. Method: plain examples; seeded races of {@link Races#CONTENDERS} threads in {@link Races#SEEDS} seeds;
 * a seeded property test folding random event streams (unknown types included); a fault matrix that fails the
 * durable step before and after it takes effect, then restarts. Replay one seed of a race or property test with
 * {@code -Dtests.seed=<seed>}; the seed is in every failure message.
 */
public abstract class RunStateStoreContract
{
    private static final Duration HELD_WAIT = Duration.ofMillis(300);

    /** The test's directory. */
    @TempDir
    protected Path dir;

    /**
     * The factory of the implementation under test.
     *
     * @param directory a fresh directory for its files.
     * @return the factory.
     */
    protected abstract StoreFactory<RunStateStore> factory(Path directory);

    /**
     * Whether a caller that read a record whose durable step is then failed gets an exception (the embedded engine
     * fails stop); an implementation whose failed step simply rolls back may let the caller go on without the record.
     *
     * @return {@code true} unless overridden.
     */
    protected boolean failedDurableStepFailsReaders()
    {
        return true;
    }

    static LongStream seeds()
    {
        return Races.seeds();
    }

    // ---------------------------------------------------------------- v2 3.1 write vs record

    @Test
    @Timeout(60)
    @DisplayName("v2 3.1 appendEvent takes a write and assigns runSeq and persistedAt; reads return the whole record")
    void shouldReturnEveryWriteFieldWhenFetched()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite write = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            final Instant before = Instant.now().minusSeconds(5);
            final AppendResult result = store.appendEvent(write);
            final Instant after = Instant.now().plusSeconds(5);
            assertEquals(new AppendResult(write.eventId(), 1, result.persistedAt(), false, true), result);
            assertTrue(result.persistedAt().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"),
                result.persistedAt());
            final Instant persisted = Instant.parse(result.persistedAt());
            assertTrue(persisted.isAfter(before) && persisted.isBefore(after), result.persistedAt());
            final List<RunEventRecord> events = store.fetchEvents("run-a", 0);
            assertEquals(1, events.size());
            assertEquals(write, events.get(0).write());
            assertEquals(1, events.get(0).runSeq());
            assertEquals(result.persistedAt(), events.get(0).persistedAt());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 3.1 a write without step and payload round-trips with both absent")
    void shouldKeepOptionalFieldsAbsentWhenOmitted()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite write = RunEventsFixture.builder("run-a", null, EventTypes.RUN_STARTED, 1)
                .payload(null).build();
            store.appendEvent(write);
            final RunEventRecord record = store.fetchEvents("run-a", 0).get(0);
            assertEquals(write, record.write());
            assertEquals(null, record.stepId());
            assertEquals(null, record.payload());
        }
    }

    // ---------------------------------------------------------------- v1 2.1, 2.2 runSeq

    @Test
    @Timeout(60)
    @DisplayName("v1 2.1/2.2 runSeq is unique and strictly increasing per run; runs are independent")
    void shouldIncreaseRunSeqPerRunWhenRunsInterleave()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final List<Long> a = new ArrayList<>();
            final List<Long> b = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                a.add(store.appendEvent(RunEventsFixture.write("run-a", "s" + i, EventTypes.STEP_STARTED, 1))
                    .runSeq());
                if (i % 2 == 0)
                {
                    b.add(store.appendEvent(RunEventsFixture.write("run-b", "s" + i, EventTypes.STEP_STARTED, 1))
                        .runSeq());
                }
            }
            assertStrictlyIncreasing(a);
            assertStrictlyIncreasing(b);
            assertEquals(a, store.fetchEvents("run-a", 0).stream().map(RunEventRecord::runSeq).toList());
            assertEquals(b, store.fetchEvents("run-b", 0).stream().map(RunEventRecord::runSeq).toList());
        }
    }

    // ---------------------------------------------------------------- v2 3.2 idempotency

    @Test
    @Timeout(60)
    @DisplayName("v2 3.2 a duplicate (runId, idempotencyKey) returns the original eventId, runSeq, persistedAt and "
        + "writes nothing")
    void shouldReturnOriginalWhenKeyIsDuplicate()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite original = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_COMPLETED, 1);
            final AppendResult first = store.appendEvent(original);
            store.appendEvent(RunEventsFixture.write("run-a", "step-2", EventTypes.STEP_STARTED, 1));
            final RunEventWrite retry = original.toBuilder().eventId("6f9619ff-8b86-d011-b42d-00cf4fc964ff")
                .payload(Json.createObjectBuilder().add("other", true).build()).build();
            final AppendResult second = store.appendEvent(retry);
            assertEquals(new AppendResult(original.eventId(), first.runSeq(), first.persistedAt(), true, false),
                second);
            final List<RunEventRecord> events = store.fetchEvents("run-a", 0);
            assertEquals(2, events.size());
            assertEquals(original, events.get(0).write());
            assertEquals(2, store.getSnapshot("run-a").orElseThrow().eventCount());
            final AppendResult otherRun = store.appendEvent(retry.toBuilder().runId("run-b").build());
            assertTrue(otherRun.persisted(), "the key is unique per run, not globally");
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 3.2 appendEvents: one atomic commit; a stored duplicate and a duplicate inside the batch resolve "
        + "to the first")
    void shouldResolveDuplicatesWhenBatchRepeatsKeys()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite stored = RunEventsFixture.write("run-a", "step-0", EventTypes.STEP_STARTED, 1);
            final AppendResult storedResult = store.appendEvent(stored);
            final RunEventWrite a = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            final RunEventWrite aAgain = a.toBuilder().eventId("0e5c1c3a-7a49-4c2e-9d0b-3f5c7e2a1b44").build();
            final RunEventWrite b = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_COMPLETED, 1);
            final RunEventWrite storedAgain = stored.toBuilder().eventId("8d1f2a36-0b7c-4e55-a1f3-2c9d8e7b6a50")
                .build();
            final List<AppendResult> results = store.appendEvents("run-a", List.of(a, aAgain, storedAgain, b));
            assertEquals(4, results.size());
            assertEquals(new AppendResult(a.eventId(), 2, results.get(0).persistedAt(), false, true), results.get(0));
            assertEquals(new AppendResult(a.eventId(), 2, results.get(0).persistedAt(), true, false), results.get(1));
            assertEquals(new AppendResult(stored.eventId(), 1, storedResult.persistedAt(), true, false),
                results.get(2));
            assertEquals(new AppendResult(b.eventId(), 3, results.get(3).persistedAt(), false, true), results.get(3));
            assertEquals(List.of(stored, a, b), store.fetchEvents("run-a", 0).stream().map(RunEventRecord::write)
                .toList());
            final List<AppendResult> again = store.appendEvents("run-a", List.of(b, a));
            assertTrue(again.stream().allMatch(r -> r.idempotent() && !r.persisted()), again.toString());
            assertEquals(List.of(3L, 2L), again.stream().map(AppendResult::runSeq).toList());
            assertEquals(List.of(), store.appendEvents("run-a", List.of()));
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 3.2 appendEvents: every event must name the batch's run, else nothing is written")
    void shouldRejectBatchWhenAnEventNamesAnotherRun()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite ok = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            final RunEventWrite other = RunEventsFixture.write("run-b", "step-1", EventTypes.STEP_STARTED, 1);
            final TallyException ex = assertThrows(TallyException.class,
                () -> store.appendEvents("run-a", List.of(ok, other)));
            assertEquals(ErrorCode.INVALID_FIELD, ex.code());
            assertTrue(ex.getMessage().contains("events[1].runId"), ex.getMessage());
            assertEquals(List.of(), store.fetchEvents("run-a", 0));
            assertEquals(List.of(), store.fetchEvents("run-b", 0));
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 3.2 appendEvents: more than APPEND_BATCH_COUNT_MAX events is LIMIT_EXCEEDED")
    void shouldRejectBatchWhenTooLarge()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final List<RunEventWrite> batch = new ArrayList<>();
            for (int i = 0; i <= RunStateStore.APPEND_BATCH_COUNT_MAX; i++)
            {
                batch.add(RunEventsFixture.write("run-a", "step-" + i, EventTypes.STEP_STARTED, 1));
            }
            assertCode(ErrorCode.LIMIT_EXCEEDED, () -> store.appendEvents("run-a", batch));
            assertEquals(List.of(), store.fetchEvents("run-a", 0));
            final List<AppendResult> results = store.appendEvents("run-a", batch.subList(0, batch.size() - 1));
            assertEquals(RunStateStore.APPEND_BATCH_COUNT_MAX, results.size());
            assertEquals(RunStateStore.APPEND_BATCH_COUNT_MAX, store.fetchEvents("run-a", 0).size());
        }
    }

    // ---------------------------------------------------------------- v2 2, 3.3, 3.4 validation

    @Test
    @Timeout(60)
    @DisplayName("v2 2 every required field missing is MISSING_FIELD naming it, and nothing is written")
    void shouldNameFieldWhenRequiredFieldIsMissing()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite valid = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            final List<String> fields = List.of("eventId", "eventType", "emittedAt", "runId", "tenantId", "projectId",
                "environmentId", "planId", "planVersion", "idempotencyKey");
            for (final String field : fields)
            {
                final RunEventWrite missing = without(valid, field);
                final TallyException ex = assertThrows(TallyException.class, () -> store.appendEvent(missing),
                    field);
                assertEquals(ErrorCode.MISSING_FIELD, ex.code(), field);
                assertTrue(ex.getMessage().contains("field=" + field), ex.getMessage());
                final TallyException inBatch = assertThrows(TallyException.class,
                    () -> store.appendEvents("run-a", List.of(valid, missing)), field);
                assertTrue(inBatch.code() == ErrorCode.MISSING_FIELD || inBatch.code() == ErrorCode.INVALID_FIELD,
                    field + ": " + inBatch.getMessage());
            }
            assertCode(ErrorCode.MISSING_FIELD, () -> store.appendEvent(null));
            assertEquals(List.of(), store.fetchEvents("run-a", 0));
            assertEquals(Optional.empty(), store.getSnapshot("run-a"));
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 3.3 engineAttemptId and logicalAttemptId start at 1, else INVALID_FIELD")
    void shouldRejectAttemptWhenBelowOne()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite valid = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            assertInvalid(store, valid.toBuilder().engineAttemptId(0).build(), "engineAttemptId");
            assertInvalid(store, valid.toBuilder().logicalAttemptId(0).build(), "logicalAttemptId");
            assertInvalid(store, valid.toBuilder().logicalAttemptId(-3).build(), "logicalAttemptId");
            assertEquals(List.of(), store.fetchEvents("run-a", 0));
            assertTrue(store.appendEvent(valid.toBuilder().engineAttemptId(1).logicalAttemptId(1).build())
                .persisted());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 3.4 emittedAt must be RFC 3339 UTC and is preserved exactly as the producer wrote it")
    void shouldPreserveEmittedAtWhenUtc()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite valid = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            assertInvalid(store, valid.toBuilder().emittedAt("2026-02-16T10:30:00+01:00").build(), "emittedAt");
            assertInvalid(store, valid.toBuilder().emittedAt("2026-02-16 09:30:00Z").build(), "emittedAt");
            assertInvalid(store, valid.toBuilder().emittedAt("yesterday").build(), "emittedAt");
            final RunEventWrite odd = valid.toBuilder().emittedAt("2026-02-16T09:30:00.5+00:00").build();
            store.appendEvent(odd);
            assertEquals("2026-02-16T09:30:00.5+00:00", store.fetchEvents("run-a", 0).get(0).emittedAt());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 2 eventId is a UUID, idempotencyKey 64 lower-case hex, texts bounded: else INVALID_FIELD")
    void shouldRejectFieldWhenMalformed()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite valid = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            assertInvalid(store, valid.toBuilder().eventId("not-a-uuid").build(), "eventId");
            assertInvalid(store, valid.toBuilder().idempotencyKey(valid.idempotencyKey().toUpperCase()).build(),
                "idempotencyKey");
            assertInvalid(store, valid.toBuilder().idempotencyKey("abc").build(), "idempotencyKey");
            assertInvalid(store, valid.toBuilder().runId("r".repeat(257)).build(), "runId");
            assertInvalid(store, valid.toBuilder().tenantId("t\0").build(), "tenantId");
            assertInvalid(store, valid.toBuilder().stepId("").build(), "stepId");
            assertInvalid(store, valid.toBuilder().stepId("s\uD800").build(), "stepId");
            assertInvalid(store, valid.toBuilder().eventType("T".repeat(129)).build(), "eventType");
            assertInvalid(store, valid.toBuilder().payload(Json.createObjectBuilder().add("x", "y".repeat(70_000))
                .build()).build(), "payload");
            assertEquals(List.of(), store.fetchEvents("run-a", 0));
        }
    }

    // ---------------------------------------------------------------- v1 4 fetch

    @Test
    @Timeout(60)
    @DisplayName("v1 4 fetchEvents: runSeq ascending, runSeq > afterSeq, at most limit, default 1000, max 10000")
    void shouldPageWhenFetchingAfterWatermark()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final List<RunEventWrite> writes = new ArrayList<>();
            for (int i = 0; i < 25; i++)
            {
                writes.add(RunEventsFixture.write("run-a", "step-" + i, EventTypes.STEP_STARTED, 1));
            }
            store.appendEvents("run-a", writes);
            assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), seqs(store.fetchEvents("run-a", 0, 10)));
            assertEquals(LongStream.rangeClosed(11, 20).boxed().toList(), seqs(store.fetchEvents("run-a", 10, 10)));
            assertEquals(LongStream.rangeClosed(21, 25).boxed().toList(), seqs(store.fetchEvents("run-a", 20)));
            assertEquals(writes, store.fetchEvents("run-a", 0, RunStateStore.FETCH_LIMIT_MAX).stream()
                .map(RunEventRecord::write).toList());
            assertEquals(List.of(), store.fetchEvents("run-a", 25));
            assertEquals(List.of(), store.fetchEvents("run-a", 1_000_000));
            assertEquals(List.of(), store.fetchEvents("no-such-run", 0));
            assertCode(ErrorCode.INVALID_ARGUMENT, () -> store.fetchEvents("run-a", 0, 0));
            assertCode(ErrorCode.INVALID_ARGUMENT, () -> store.fetchEvents("run-a", -1, 10));
            assertCode(ErrorCode.LIMIT_EXCEEDED, () -> store.fetchEvents("run-a", 0,
                RunStateStore.FETCH_LIMIT_MAX + 1));
            assertCode(ErrorCode.MISSING_FIELD, () -> store.fetchEvents(null, 0));
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v1 4 the default fetch limit is 1000 events")
    void shouldReturnThousandWhenLimitIsDefault()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            appendMany(store, "run-a", 1_050);
            assertEquals(RunStateStore.FETCH_LIMIT_DEFAULT, store.fetchEvents("run-a", 0).size());
            assertEquals(50, store.fetchEvents("run-a", 1_000).size());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v1 5.2 awaitEvents returns as soon as an event after afterSeq is durable, empty at the timeout")
    void shouldWakeWhenEventIsAppendedDuringAwait() throws Exception
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            store.appendEvent(RunEventsFixture.write("run-a", "step-0", EventTypes.STEP_STARTED, 1));
            assertEquals(1, store.awaitEvents("run-a", 0, 10, Duration.ofSeconds(30)).size(),
                "events already there answer at once");
            final long startNs = System.nanoTime();
            assertEquals(List.of(), store.awaitEvents("run-a", 1, 10, Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(290), "waited the timeout");
            final CompletableFuture<List<RunEventRecord>> waiter = CompletableFuture.supplyAsync(
                () -> store.awaitEvents("run-a", 1, 10, Duration.ofSeconds(30)));
            Thread.sleep(100);
            assertFalse(waiter.isDone());
            final long appendNs = System.nanoTime();
            final AppendResult appended = store.appendEvent(
                RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1));
            final List<RunEventRecord> woken = waiter.get(10, TimeUnit.SECONDS);
            final long lagMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appendNs);
            assertEquals(List.of(appended.runSeq()), seqs(woken));
            assertTrue(lagMs < 1_000, "the v1 lag SLA is one second: lagMs=" + lagMs);
            assertCode(ErrorCode.INVALID_ARGUMENT, () -> store.awaitEvents("run-a", 0, 10, Duration.ofSeconds(-1)));
        }
    }

    // ---------------------------------------------------------------- v1 5 snapshots, v1 6 unknown types

    @Test
    @Timeout(60)
    @DisplayName("v1 5 a run without events: getSnapshot is empty, projectSnapshot is PENDING at watermark 0")
    void shouldBePendingWhenRunHasNoEvents()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            assertEquals(Optional.empty(), store.getSnapshot("run-a"));
            assertEquals(RunSnapshot.empty("run-a"), store.projectSnapshot("run-a"));
            assertEquals(RunStatus.PENDING, store.projectSnapshot("run-a").status());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v1 5/6 the snapshot folds known types, ignores unknown ones but for the watermark, and "
        + "getSnapshot equals projectSnapshot")
    void shouldFoldKnownTypesWhenProjecting()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final String run = "run-a";
            store.appendEvent(RunEventsFixture.write(run, null, EventTypes.RUN_STARTED, 1));
            store.appendEvent(RunEventsFixture.write(run, "fetch", EventTypes.STEP_STARTED, 1));
            store.appendEvent(RunEventsFixture.write(run, "fetch", EventTypes.STEP_RETRIED, 1));
            store.appendEvents(run, List.of(RunEventsFixture.write(run, "fetch", EventTypes.STEP_STARTED, 2),
                RunEventsFixture.write(run, "fetch", EventTypes.STEP_COMPLETED, 2)));
            store.appendEvent(RunEventsFixture.write(run, " fetch ", EventTypes.STEP_FAILED, 1));
            store.appendEvent(RunEventsFixture.write(run, "store", "StepAnnotatedV9", 1));
            store.appendEvent(RunEventsFixture.write(run, "store", EventTypes.STEP_FAILED, 1));
            store.appendEvent(RunEventsFixture.write(run, null, EventTypes.RUN_FAILED, 1));
            final AppendResult last = store.appendEvent(RunEventsFixture.write(run, null, EventTypes.RUN_COMPLETED,
                1));
            final RunSnapshot snapshot = store.getSnapshot(run).orElseThrow();
            assertEquals(RunStatus.FAILED, snapshot.status(), "a terminal status never changes again");
            assertEquals(10, snapshot.lastEventSeq());
            assertEquals(10, snapshot.eventCount(), "unknown types count and advance the watermark");
            assertEquals(last.persistedAt(), snapshot.lastPersistedAt());
            assertEquals(store.fetchEvents(run, 0).get(0).persistedAt(), snapshot.firstPersistedAt());
            assertEquals("plan-7", snapshot.planId());
            assertEquals("3", snapshot.planVersion());
            assertEquals("tenant-1", snapshot.tenantId());
            assertEquals(Set.of("fetch", "store"), snapshot.steps().keySet());
            assertEquals(new StepSnapshot("fetch", StepStatus.COMPLETED, 2, EventTypes.STEP_COMPLETED, 5),
                snapshot.steps().get("fetch"), "a late event of an older attempt changes nothing");
            assertEquals(new StepSnapshot("store", StepStatus.FAILED, 1, EventTypes.STEP_FAILED, 8),
                snapshot.steps().get("store"));
            assertEquals(snapshot, store.projectSnapshot(run));
            assertEquals(snapshot, RunProjection.fold(run, store.fetchEvents(run, 0)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("propertySeeds")
    @Timeout(60)
    @DisplayName("v1 5 getSnapshot and projectSnapshot agree over seeded random event streams, unknown types too")
    void shouldAgreeWhenRandomStreamsAreAppended(final long seed)
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final SplittableRandom random = new SplittableRandom(seed);
            final String[] types = {EventTypes.RUN_STARTED, EventTypes.RUN_COMPLETED, EventTypes.RUN_FAILED,
                EventTypes.RUN_CANCELLED, EventTypes.STEP_STARTED, EventTypes.STEP_COMPLETED, EventTypes.STEP_FAILED,
                EventTypes.STEP_RETRIED, "StepHeartbeat", "RunTagged", "stepstarted"};
            final String[] steps = {null, "a", "b", " b", "c\u0301", "\u00e7", "d"};
            final List<RunEventWrite> written = new ArrayList<>();
            for (int round = 0; round < 12; round++)
            {
                final int count = 1 + random.nextInt(4);
                final List<RunEventWrite> batch = new ArrayList<>();
                for (int i = 0; i < count; i++)
                {
                    final RunEventWrite write = random.nextInt(6) == 0 && !written.isEmpty()
                        ? written.get(random.nextInt(written.size()))
                        : RunEventsFixture.write(random, "run-p", steps[random.nextInt(steps.length)],
                            types[random.nextInt(types.length)], 1 + random.nextInt(3));
                    batch.add(write);
                }
                if (count == 1)
                {
                    store.appendEvent(batch.get(0));
                }
                else
                {
                    store.appendEvents("run-p", batch);
                }
                written.addAll(batch);
                final RunSnapshot materialized = store.getSnapshot("run-p").orElseThrow();
                assertEquals(store.projectSnapshot("run-p"), materialized, "seed=" + seed + ", round=" + round);
                assertEquals(RunProjection.fold("run-p", store.fetchEvents("run-p", 0)), materialized,
                    "seed=" + seed + ", round=" + round);
            }
        }
    }

    static LongStream propertySeeds()
    {
        final OptionalLong given = Seeds.given();
        return given.isPresent() ? LongStream.of(given.getAsLong())
            : LongStream.range(1, 9).map(i -> i * 0x2545F4914F6CDD1DL);
    }

    // ---------------------------------------------------------------- v1 4.2 watermark reader

    @Test
    @Timeout(60)
    @DisplayName("v1 4.2 a non-contiguous observation marks the run STALE, resyncs from snapshot plus delta, resumes")
    void shouldResyncWhenObservationIsNonContiguous()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final HidingStore hiding = new HidingStore(store);
            final RunWatermarkReader reader = new RunWatermarkReader(hiding, "run-a", 3);
            appendMany(store, "run-a", 3);
            assertTrue(reader.poll());
            assertEquals(3, reader.watermark());
            assertEquals(RunWatermarkReader.State.CURRENT, reader.state());
            appendMany(store, "run-a", 3);
            hiding.hideNext(4);
            reader.poll();
            assertEquals(1, reader.gapCount());
            assertEquals(1, reader.resyncCount());
            assertEquals(RunWatermarkReader.State.CURRENT, reader.state(), "the resync caught up");
            assertEquals(6, reader.watermark());
            assertEquals(store.projectSnapshot("run-a"), reader.snapshot());
            appendMany(store, "run-a", 2);
            hiding.hideNext(7);
            hiding.lagSnapshot(true);
            reader.poll();
            assertEquals(RunWatermarkReader.State.CURRENT, reader.state(), "a lagging snapshot plus the delta");
            assertEquals(8, reader.watermark());
            assertEquals(store.projectSnapshot("run-a"), reader.snapshot());
            assertEquals(2, reader.gapCount());
            appendMany(store, "run-a", 1);
            assertTrue(reader.await(Duration.ofSeconds(5)));
            assertEquals(9, reader.watermark());
            assertEquals(2, reader.gapCount());
            assertEquals(store.getSnapshot("run-a").orElseThrow(), reader.snapshot());
            assertFalse(reader.poll(), "nothing new");
        }
    }

    // ---------------------------------------------------------------- v1 2.3 retention

    @Test
    @Timeout(60)
    @DisplayName("v1 2.3 deleteRun removes a whole run and nothing else; the run can start again")
    void shouldRemoveWholeRunWhenDeleted()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final RunEventWrite first = RunEventsFixture.write("run-a", "step-1", EventTypes.STEP_STARTED, 1);
            store.appendEvent(first);
            appendMany(store, "run-a", 9);
            appendMany(store, "run-b", 3);
            final RunSnapshot b = store.getSnapshot("run-b").orElseThrow();
            assertTrue(store.deleteRun("run-a"));
            assertEquals(List.of(), store.fetchEvents("run-a", 0));
            assertEquals(Optional.empty(), store.getSnapshot("run-a"));
            assertEquals(RunSnapshot.empty("run-a"), store.projectSnapshot("run-a"));
            assertFalse(store.deleteRun("run-a"));
            assertFalse(store.deleteRun("never"));
            assertEquals(b, store.getSnapshot("run-b").orElseThrow());
            assertEquals(3, store.fetchEvents("run-b", 0).size());
            final AppendResult again = store.appendEvent(first);
            assertTrue(again.persisted(), "its keys went with it");
            assertEquals(1, again.runSeq());
            assertEquals(store.projectSnapshot("run-a"), store.getSnapshot("run-a").orElseThrow());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("v1 2.3 deleteRun of a run larger than one deletion commit removes it all, and it stays removed")
    void shouldRemoveLargeRunWhenDeleted()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            RunStateStore store = factory.create();
            appendMany(store, "run-big", 700);
            appendMany(store, "run-small", 2);
            assertTrue(store.deleteRun("run-big"));
            assertEquals(List.of(), store.fetchEvents("run-big", 0));
            if (factory.isDurable())
            {
                store = factory.restart();
            }
            assertEquals(List.of(), store.fetchEvents("run-big", 0));
            assertEquals(Optional.empty(), store.getSnapshot("run-big"));
            assertEquals(2, store.fetchEvents("run-small", 0).size());
            assertEquals(1, store.appendEvent(RunEventsFixture.write("run-big", "x", EventTypes.STEP_STARTED, 1))
                .runSeq());
        }
    }

    // ---------------------------------------------------------------- races

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(60)
    @DisplayName("v2 3.2 race: 32 appenders of one (runId, idempotencyKey): one persists, all get its "
        + "eventId/runSeq/persistedAt")
    void shouldPersistOnceWhenSameKeyRaces(final long seed) throws Exception
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final String run = "race-" + seed;
            store.appendEvent(RunEventsFixture.write(run, null, EventTypes.RUN_STARTED, 1));
            final RunEventWrite template = RunEventsFixture.write(run, "step", EventTypes.STEP_COMPLETED, 1);
            final List<Object> results = Races.run(seed, Races.CONTENDERS, i -> store.appendEvent(
                template.toBuilder().eventId(new java.util.UUID(seed, i).toString()).build()));
            int persisted = 0;
            AppendResult winner = null;
            for (final Object result : results)
            {
                final AppendResult r = assertInstanceOf(AppendResult.class, result, "seed=" + seed);
                if (r.persisted())
                {
                    persisted++;
                    winner = r;
                }
            }
            assertEquals(1, persisted, "seed=" + seed + ": exactly one persisted");
            for (final Object result : results)
            {
                final AppendResult r = (AppendResult)result;
                assertEquals(new AppendResult(winner.eventId(), winner.runSeq(), winner.persistedAt(), !r.persisted(),
                    r.persisted()), r, "seed=" + seed);
            }
            assertEquals(2, store.fetchEvents(run, 0).size(), "seed=" + seed);
            assertEquals(winner.eventId(), store.fetchEvents(run, 1).get(0).eventId(), "seed=" + seed);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(60)
    @DisplayName("v1 2.2 race: 32 appenders of different keys on one run get distinct, contiguous runSeqs")
    void shouldAssignDistinctRunSeqsWhenAppendersRace(final long seed) throws Exception
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            final RunStateStore store = factory.create();
            final String run = "race-" + seed;
            final List<Object> results = Races.run(seed, Races.CONTENDERS, i -> store.appendEvent(
                RunEventsFixture.write(run, "step-" + i, EventTypes.STEP_STARTED, 1)));
            final Set<Long> seqs = new HashSet<>();
            for (final Object result : results)
            {
                final AppendResult r = assertInstanceOf(AppendResult.class, result, "seed=" + seed);
                assertTrue(r.persisted(), "seed=" + seed);
                seqs.add(r.runSeq());
            }
            assertEquals(Races.CONTENDERS, seqs.size(), "seed=" + seed + ": distinct");
            final List<Long> fetched = seqs(store.fetchEvents(run, 0));
            assertEquals(Races.CONTENDERS, fetched.size(), "seed=" + seed);
            assertStrictlyIncreasing(fetched);
            assertEquals(seqs, new HashSet<>(fetched), "seed=" + seed);
            assertEquals(Races.CONTENDERS, fetched.get(fetched.size() - 1) - fetched.get(0) + 1,
                "seed=" + seed + ": contiguous");
            assertEquals(store.projectSnapshot(run), store.getSnapshot(run).orElseThrow(), "seed=" + seed);
        }
    }

    // ---------------------------------------------------------------- fault matrix

    @ParameterizedTest(name = "{0}")
    @MethodSource("timings")
    @Timeout(60)
    @DisplayName("v2 4 fault matrix: appendEvent failed before/after its durable step, then restart: wholly there "
        + "or wholly absent")
    void shouldKeepEventWholeWhenAppendFails(final StoreFaults.Timing timing)
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            Assumptions.assumeTrue(factory.faults().isSupported() && factory.isDurable(), "no faults or no restart");
            final RunStateStore created = factory.create();
            RunStateStore store = created;
            final RunEventWrite before = RunEventsFixture.write("run-f", null, EventTypes.RUN_STARTED, 1);
            store.appendEvent(before);
            final RunEventWrite write = RunEventsFixture.write("run-f", "step-1", EventTypes.STEP_COMPLETED, 1);
            factory.faults().failNext(timing);
            assertThrows(TallyException.class, () -> created.appendEvent(write), timing.toString());
            store = factory.restart();
            final List<RunEventRecord> events = store.fetchEvents("run-f", 0);
            assertTrue(events.size() == 1 || events.size() == 2, events.toString());
            assertEquals(before, events.get(0).write());
            if (events.size() == 2)
            {
                assertEquals(write, events.get(1).write());
            }
            assertEquals(store.projectSnapshot("run-f"), store.getSnapshot("run-f").orElseThrow());
            final AppendResult retry = store.appendEvent(write);
            assertEquals(events.size() == 2, retry.idempotent(), timing.toString());
            assertEquals(2, store.fetchEvents("run-f", 0).size(), "exactly one copy after the retry");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timings")
    @Timeout(60)
    @DisplayName("v2 4 fault matrix: appendEvents failed before/after its durable step, then restart: all or none")
    void shouldKeepBatchWholeWhenAppendEventsFails(final StoreFaults.Timing timing)
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            Assumptions.assumeTrue(factory.faults().isSupported() && factory.isDurable(), "no faults or no restart");
            final RunStateStore created = factory.create();
            RunStateStore store = created;
            appendMany(store, "run-f", 2);
            final List<RunEventWrite> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                batch.add(RunEventsFixture.write("run-f", "batch-" + i, EventTypes.STEP_STARTED, 1));
            }
            factory.faults().failNext(timing);
            assertThrows(TallyException.class, () -> created.appendEvents("run-f", batch), timing.toString());
            store = factory.restart();
            final List<RunEventRecord> events = store.fetchEvents("run-f", 0);
            assertTrue(events.size() == 2 || events.size() == 7, "all or none: " + events.size());
            if (events.size() == 7)
            {
                assertEquals(batch, events.subList(2, 7).stream().map(RunEventRecord::write).toList());
            }
            assertEquals(store.projectSnapshot("run-f"), store.getSnapshot("run-f").orElseThrow());
            final List<AppendResult> retry = store.appendEvents("run-f", batch);
            assertTrue(retry.stream().allMatch(r -> r.idempotent() == (events.size() == 7)), retry.toString());
            assertEquals(7, store.fetchEvents("run-f", 0).size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timings")
    @Timeout(60)
    @DisplayName("v1 2.3 fault matrix: deleteRun failed before/after a durable step, then restart: the run is whole "
        + "or gone, and deleteRun finishes it")
    void shouldFinishDeletionWhenDeleteFails(final StoreFaults.Timing timing)
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            Assumptions.assumeTrue(factory.faults().isSupported() && factory.isDurable(), "no faults or no restart");
            final RunStateStore created = factory.create();
            RunStateStore store = created;
            appendMany(store, "run-d", 300);
            final RunSnapshot snapshot = store.getSnapshot("run-d").orElseThrow();
            factory.faults().failNext(timing);
            assertThrows(TallyException.class, () -> created.deleteRun("run-d"), timing.toString());
            store = factory.restart();
            final List<RunEventRecord> events = store.fetchEvents("run-d", 0);
            assertTrue(events.isEmpty() || events.size() == 300, "whole or gone: " + events.size());
            assertEquals(events.isEmpty() ? Optional.empty() : Optional.of(snapshot), store.getSnapshot("run-d"));
            store.deleteRun("run-d");
            assertEquals(List.of(), store.fetchEvents("run-d", 0));
            assertEquals(1, store.appendEvent(RunEventsFixture.write("run-d", "x", EventTypes.STEP_STARTED, 1))
                .runSeq());
        }
    }

    static List<StoreFaults.Timing> timings()
    {
        return List.of(StoreFaults.Timing.BEFORE, StoreFaults.Timing.AFTER);
    }

    // ---------------------------------------------------------------- durable answers

    @Test
    @Timeout(60)
    @DisplayName("issue 16.4 durable answers: a duplicate append and a fetch during a held force wait for it, and "
        + "fail when it fails")
    void shouldNotAnswerWhenOriginalForceIsHeld() throws Exception
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            Assumptions.assumeTrue(factory.faults().isSupported(), "no faults to inject");
            final RunStateStore store = factory.create();
            final RunEventWrite held = RunEventsFixture.write("run-h", "step-1", EventTypes.STEP_COMPLETED, 1);
            final StoreFaults.Hold hold = factory.faults().holdNext();
            final CompletableFuture<AppendResult> original = CompletableFuture.supplyAsync(
                () -> store.appendEvent(held));
            assertTrue(hold.awaitReached(10, TimeUnit.SECONDS), "the force was reached");
            final CompletableFuture<AppendResult> duplicate = CompletableFuture.supplyAsync(
                () -> store.appendEvent(held.toBuilder().eventId("4b1d5e8c-2f3a-4c6d-8e9f-0a1b2c3d4e5f").build()));
            final CompletableFuture<List<RunEventRecord>> fetch = CompletableFuture.supplyAsync(
                () -> store.fetchEvents("run-h", 0));
            final CompletableFuture<Optional<RunSnapshot>> snapshot = CompletableFuture.supplyAsync(
                () -> store.getSnapshot("run-h"));
            Thread.sleep(HELD_WAIT.toMillis());
            assertFalse(duplicate.isDone(), "a duplicate must not answer before the original's force");
            if (failedDurableStepFailsReaders())
            {
                assertFalse(fetch.isDone(), "a fetch must not answer before the force");
                assertFalse(snapshot.isDone(), "a snapshot must not answer before the force");
            }
            hold.releaseAndFail();
            assertFailed(original);
            if (failedDurableStepFailsReaders())
            {
                assertFailed(duplicate);
                assertFailed(fetch);
                assertFailed(snapshot);
            }
            else
            {
                assertAnsweredWithout(duplicate, r -> r.idempotent() ? r.eventId() : null, held.eventId());
                assertAnsweredWithout(fetch, r -> r.stream().map(RunEventRecord::eventId).toList().toString(),
                    held.eventId());
                assertAnsweredWithout(snapshot, r -> r.isPresent() ? held.eventId() : null, held.eventId());
            }
        }
    }

    // ---------------------------------------------------------------- restart

    @Test
    @Timeout(60)
    @DisplayName("v2 4 every event, key and snapshot survives a restart; appends continue the run")
    void shouldKeepEverythingWhenRestarted()
    {
        try (StoreFactory<RunStateStore> factory = factory(dir))
        {
            Assumptions.assumeTrue(factory.isDurable(), "restart is not durable");
            RunStateStore store = factory.create();
            final RunEventWrite first = RunEventsFixture.write("run-a", null, EventTypes.RUN_STARTED, 1);
            store.appendEvent(first);
            store.appendEvents("run-a", List.of(RunEventsFixture.write("run-a", "s", EventTypes.STEP_STARTED, 1),
                RunEventsFixture.write("run-a", "s", EventTypes.STEP_COMPLETED, 1)));
            appendMany(store, "run-b", 5);
            final List<RunEventRecord> a = store.fetchEvents("run-a", 0);
            final List<RunEventRecord> b = store.fetchEvents("run-b", 0);
            final RunSnapshot snapshotA = store.getSnapshot("run-a").orElseThrow();
            store = factory.restart();
            assertEquals(a, store.fetchEvents("run-a", 0));
            assertEquals(b, store.fetchEvents("run-b", 0));
            assertEquals(snapshotA, store.getSnapshot("run-a").orElseThrow());
            assertEquals(snapshotA, store.projectSnapshot("run-a"));
            final AppendResult dup = store.appendEvent(first);
            assertEquals(new AppendResult(first.eventId(), 1, a.get(0).persistedAt(), true, false), dup);
            assertEquals(4, store.appendEvent(RunEventsFixture.write("run-a", null, EventTypes.RUN_COMPLETED, 1))
                .runSeq());
            assertEquals(RunStatus.COMPLETED, store.getSnapshot("run-a").orElseThrow().status());
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Appends {@code count} events of distinct steps to a run, in batches.
     *
     * @param store the store.
     * @param runId the run.
     * @param count how many.
     */
    protected static void appendMany(final RunStateStore store, final String runId, final int count)
    {
        final List<RunEventWrite> batch = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            batch.add(RunEventsFixture.write(runId, "step-" + java.util.UUID.randomUUID(), EventTypes.STEP_STARTED,
                1));
            if (batch.size() == RunStateStore.APPEND_BATCH_COUNT_MAX || i == count - 1)
            {
                store.appendEvents(runId, List.copyOf(batch));
                batch.clear();
            }
        }
    }

    private static List<Long> seqs(final List<RunEventRecord> events)
    {
        return events.stream().map(RunEventRecord::runSeq).toList();
    }

    private static void assertStrictlyIncreasing(final List<Long> seqs)
    {
        for (int i = 1; i < seqs.size(); i++)
        {
            assertTrue(seqs.get(i) > seqs.get(i - 1), "not strictly increasing: " + seqs);
        }
    }

    private static void assertCode(final ErrorCode code, final Runnable call)
    {
        final TallyException ex = assertThrows(TallyException.class, call::run);
        assertEquals(code, ex.code(), ex.getMessage());
    }

    private static void assertInvalid(final RunStateStore store, final RunEventWrite write, final String field)
    {
        final TallyException ex = assertThrows(TallyException.class, () -> store.appendEvent(write), field);
        assertEquals(ErrorCode.INVALID_FIELD, ex.code(), ex.getMessage());
        assertTrue(ex.getMessage().contains("field=" + field), ex.getMessage());
    }

    private static void assertFailed(final CompletableFuture<?> future) throws InterruptedException
    {
        try
        {
            final Object value = future.get(30, TimeUnit.SECONDS);
            fail("answered although the durable step failed: " + value);
        }
        catch (final ExecutionException ex)
        {
            final TallyException cause = assertInstanceOf(TallyException.class, ex.getCause());
            assertNotEquals(null, cause.code());
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            fail("no answer within 30 s");
        }
    }

    private static <T> void assertAnsweredWithout(final CompletableFuture<T> future, final Function<T, String> view,
        final String eventId) throws InterruptedException
    {
        try
        {
            final T value = future.get(30, TimeUnit.SECONDS);
            final String seen = view.apply(value);
            assertFalse(seen != null && seen.contains(eventId), "answered with the failed record: " + value);
        }
        catch (final ExecutionException ex)
        {
            assertInstanceOf(TallyException.class, ex.getCause());
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            fail("no answer within 30 s");
        }
    }

    private static RunEventWrite without(final RunEventWrite w, final String field)
    {
        final RunEventWrite.Builder b = w.toBuilder();
        switch (field)
        {
            case "eventId" -> b.eventId(null);
            case "eventType" -> b.eventType(null);
            case "emittedAt" -> b.emittedAt(null);
            case "runId" -> b.runId(null);
            case "tenantId" -> b.tenantId(null);
            case "projectId" -> b.projectId("");
            case "environmentId" -> b.environmentId(null);
            case "planId" -> b.planId(null);
            case "planVersion" -> b.planVersion(null);
            case "idempotencyKey" -> b.idempotencyKey(null);
            default -> throw new IllegalArgumentException(field);
        }
        return b.build();
    }
}
