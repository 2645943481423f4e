/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.Clock;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.kit.EmbeddedDatabase;
import dev.tally.stores.kit.RunEventsFixture;
import dev.tally.stores.kit.RunStateStoreContract;
import dev.tally.stores.kit.StoreFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run state contract against {@link EmbeddedRunStateStore} on a Strict database with the engine's force faults,
 * plus what only the embedded store has: the injected clock, several instances and names on one database, a Buffered
 * database, and the bounded keys of its layout. Replay a seeded test with {@code -Dtests.seed=<seed>}.
 */
class EmbeddedRunStateStoreTest extends RunStateStoreContract
{
    @Override
    protected StoreFactory<RunStateStore> factory(final Path directory)
    {
        return new EmbeddedRunStateFactory(directory, DurabilityMode.STRICT);
    }

    @Test
    @Timeout(60)
    @DisplayName("v2 3.4 persistedAt comes from the store's injected clock and never goes back within a run")
    void shouldStampPersistedAtWhenClockIsInjected()
    {
        try (EmbeddedDatabase database = new EmbeddedDatabase(dir))
        {
            final AtomicLong micros = new AtomicLong(1_771_234_200_000_001L);
            final Clock clock = micros::get;
            final RunStateStore store = EmbeddedRunStateStore.builder(database.open()).clock(clock).open();
            final AppendResult first = store.appendEvent(RunEventsFixture.write("run-a", "s", "StepStarted", 1));
            assertEquals(Fields.formatMicros(1_771_234_200_000_001L), first.persistedAt());
            assertEquals("2026-02-16T09:30:00.000001Z", first.persistedAt());
            micros.set(1_771_234_100_000_000L);
            final AppendResult second = store.appendEvent(RunEventsFixture.write("run-a", "s", "StepCompleted", 1));
            assertEquals(first.persistedAt(), second.persistedAt(), "a clock step back does not reorder persistedAt");
            final AppendResult otherRun = store.appendEvent(RunEventsFixture.write("run-b", "s", "StepStarted", 1));
            assertEquals("2026-02-16T09:28:20.000000Z", otherRun.persistedAt());
            assertEquals(first.persistedAt(), store.getSnapshot("run-a").orElseThrow().firstPersistedAt());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("issue 16.6 two instances of one name share records and wake each other's awaits; names are apart")
    void shouldShareRecordsWhenOpenedTwice() throws Exception
    {
        try (EmbeddedDatabase database = new EmbeddedDatabase(dir))
        {
            final Database db = database.open();
            final RunStateStore one = EmbeddedRunStateStore.builder(db).open();
            final RunStateStore two = EmbeddedRunStateStore.builder(db).name("default").open();
            final RunStateStore other = EmbeddedRunStateStore.builder(db).name("other").open();
            final CompletableFuture<List<RunEventRecord>> waiter = CompletableFuture.supplyAsync(
                () -> two.awaitEvents("run-a", 0, 10, Duration.ofSeconds(30)));
            Thread.sleep(50);
            final long startNs = System.nanoTime();
            final AppendResult appended = one.appendEvent(RunEventsFixture.write("run-a", "s", "StepStarted", 1));
            assertEquals(appended.eventId(), waiter.get(10, TimeUnit.SECONDS).get(0).eventId());
            assertTrue(System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(
                EmbeddedRunStateStore.AWAIT_RECHECK_INTERVAL.toMillis() + 1_000));
            assertEquals(one.getSnapshot("run-a"), two.getSnapshot("run-a"));
            assertEquals(Optional.empty(), other.getSnapshot("run-a"));
            assertEquals(List.of(), other.fetchEvents("run-a", 0));
            assertTrue(other.appendEvent(RunEventsFixture.write("run-a", "s", "StepStarted", 1)).persisted());
            assertEquals(1, one.fetchEvents("run-a", 0).size());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("issue 16.5 the run state store opens on a Buffered database and answers only what is durable")
    void shouldAnswerDurablyWhenDatabaseIsBuffered()
    {
        try (EmbeddedDatabase database = new EmbeddedDatabase(dir, DurabilityMode.BUFFERED))
        {
            final Database db = database.open();
            final RunStateStore store = EmbeddedRunStateStore.builder(db).open();
            final RunEventWrite write = RunEventsFixture.write("run-a", "s", "StepStarted", 1);
            store.appendEvent(write);
            assertTrue(db.durablePosition() >= db.visiblePosition(), "the append waited for the flush");
            assertEquals(write, store.fetchEvents("run-a", 0).get(0).write());
            final RunStateStore reopened = EmbeddedRunStateStore.builder(database.reopen()).open();
            assertEquals(write, reopened.fetchEvents("run-a", 0).get(0).write());
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("issue 16 every key of the layout is short and bounded whatever the lengths of the ids")
    void shouldKeepKeysShortWhenIdsAreLong()
    {
        try (EmbeddedDatabase database = new EmbeddedDatabase(dir))
        {
            final Database db = database.open();
            final RunStateStore store = EmbeddedRunStateStore.builder(db).open();
            final String longRun = "r".repeat(RunEventChecks.ID_LENGTH_MAX);
            store.appendEvent(RunEventsFixture.write(longRun, "s".repeat(RunEventChecks.ID_LENGTH_MAX),
                "StepStarted", 1));
            store.appendEvent(RunEventsFixture.write(longRun, null, "RunStarted", 1));
            final List<String> keys = db.kv().list(dev.tally.stores.internal.StoreNamespace.runId(
                EmbeddedRunStateStore.KIND, "default"), null);
            assertEquals(7, keys.size(), "head, two events, two keys, a step and its index: " + keys);
            for (final String key : keys)
            {
                assertTrue(key.length() <= 133, key);
                assertFalse(key.contains("rrrr"), key);
            }
            assertEquals(2, store.getSnapshot(longRun).orElseThrow().eventCount());
        }
    }
}
