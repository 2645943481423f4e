/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.core.Clock;
import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.testing.ManualClock;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.internal.StoreNamespace;
import dev.tally.stores.kit.EmbeddedDatabase;
import dev.tally.stores.kit.IdempotencyStoreContract;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.kit.StoreFaults;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract suite against {@link EmbeddedIdempotencyStore} on a Strict database whose force seam injects faults,
 * plus what only the embedded store has: the Strict guard, namespaces, and the layout of its keys. Goal: the embedded
 * store keeps every rule of the document and of the kit. Races replay with {@code -Dtests.seed=<seed>}.
 */
class EmbeddedIdempotencyStoreTest extends IdempotencyStoreContract
{
    /** {@inheritDoc} */
    @Override
    protected StoreFactory<IdempotencyStore> factory(final Path directory, final Clock clock,
        final Duration leaseTimeout)
    {
        return new StoreFactory<>()
        {
            private final EmbeddedDatabase db = new EmbeddedDatabase(directory.resolve("db"));

            @Override
            public IdempotencyStore create()
            {
                return open(db.open());
            }

            @Override
            public IdempotencyStore restart()
            {
                return open(db.reopen());
            }

            private IdempotencyStore open(final Database database)
            {
                return EmbeddedIdempotencyStore.builder(database).clock(clock).leaseTimeout(leaseTimeout).open();
            }

            @Override
            public StoreFaults faults()
            {
                return db.faults();
            }

            @Override
            public boolean isDurable()
            {
                return true;
            }

            @Override
            public void close()
            {
                db.close();
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DurabilityMode.class, names = {"BUFFERED", "IN_MEMORY"})
    @DisplayName("Strict only: a Buffered or InMemory database is refused unless losing writes is accepted")
    void shouldRefuseDatabaseWhenNotStrictUnlessAccepted(final DurabilityMode mode)
    {
        try (EmbeddedDatabase embedded = new EmbeddedDatabase(dir.resolve("db"), mode))
        {
            final Database db = embedded.open();
            assertCode(ErrorCode.STORE_REQUIRES_STRICT, () -> EmbeddedIdempotencyStore.builder(db).open());
            final ManualClock clock = new ManualClock();
            final IdempotencyStore store = EmbeddedIdempotencyStore.builder(db).clock(clock)
                .acceptLosingAcknowledgedWrites().open();
            completed(store, input(clock, "k"), Status.SUCCEEDED, "ok");
            assertEquals(BeginDecision.REPLAY, store.begin(input(clock, "k")).decision());
        }
    }

    @Test
    @DisplayName("Namespaces: two stores of one name share records; another name or another kind never sees them")
    void shouldShareOrSeparateRecordsWhenOpenedByNameAndKind()
    {
        try (EmbeddedDatabase embedded = new EmbeddedDatabase(dir.resolve("db")))
        {
            final Database db = embedded.open();
            final ManualClock clock = new ManualClock();
            final IdempotencyStore first = EmbeddedIdempotencyStore.builder(db).clock(clock).open();
            final IdempotencyStore second = EmbeddedIdempotencyStore.builder(db).clock(clock).open();
            final IdempotencyStore other = EmbeddedIdempotencyStore.builder(db).name("other").clock(clock).open();
            final BeginInput input = input(clock, "k-shared");
            completed(first, input, Status.SUCCEEDED, "ok");
            assertEquals(BeginDecision.REPLAY, second.begin(input).decision());
            assertTrue(other.get(input.key()).isEmpty());
            assertEquals(BeginDecision.EXECUTE, other.begin(input).decision());
            final RunId foreign = StoreNamespace.open(db, "payments", EmbeddedIdempotencyStore.NAME_DEFAULT);
            final String recordKey = IdempotencyRecords.recordKey(IdempotencyRecords.hash(input.key()));
            db.kv().put(foreign, recordKey, Value.of("not an idempotency record"));
            assertEquals(BeginDecision.REPLAY, first.begin(input).decision());
            assertEquals(Value.of("not an idempotency record"), db.kv().get(foreign, recordKey).orElseThrow());
        }
    }

    @Test
    @DisplayName("Storage model: keys are short and bounded; the expiry index holds exactly the terminal records")
    void shouldKeepShortKeysAndExactIndexWhenRecordsChange()
    {
        try (EmbeddedDatabase embedded = new EmbeddedDatabase(dir.resolve("db")))
        {
            final Database db = embedded.open();
            final ManualClock clock = new ManualClock();
            final IdempotencyStore store = EmbeddedIdempotencyStore.builder(db).clock(clock).open();
            final RunId namespace = StoreNamespace.runId(EmbeddedIdempotencyStore.KIND,
                EmbeddedIdempotencyStore.NAME_DEFAULT);
            final String longPart = "\u00e9".repeat(IdempotencyStore.FIELD_LENGTH_MAX);
            final BeginInput input = new BeginInput(longPart, longPart, longPart, longPart,
                now(clock).plus(Duration.ofDays(1)));
            final Lease lease = execute(store, input);
            assertEquals(List.of(), db.kv().list(namespace, IdempotencyRecords.INDEX_PREFIX));
            assertTrue(store.finish(lease, Completion.of(Status.FAILED_RETRYABLE, 0, null)));
            final List<String> index = db.kv().list(namespace, IdempotencyRecords.INDEX_PREFIX);
            assertEquals(1, index.size());
            for (final String key : db.kv().list(namespace, null))
            {
                assertTrue(key.length() <= 83, key);
            }
            assertEquals(input.expiresAt(), Fields.ofMicros(IdempotencyRecords.indexTime(index.get(0))));
            assertTrue(store.reacquire(input.key()).isPresent());
            assertEquals(List.of(), db.kv().list(namespace, IdempotencyRecords.INDEX_PREFIX));
            assertEquals(longPart, store.get(input.key()).orElseThrow().principal());
        }
    }

    @Test
    @DisplayName("Beyond the document: the lease timeout defaults to five minutes and must be positive")
    void shouldDefaultLeaseTimeoutWhenNotConfigured()
    {
        try (EmbeddedDatabase embedded = new EmbeddedDatabase(dir.resolve("db")))
        {
            final Database db = embedded.open();
            assertEquals(Duration.ofMinutes(5), EmbeddedIdempotencyStore.builder(db).open().leaseTimeout());
            assertEquals(IdempotencyStore.LEASE_TIMEOUT_DEFAULT, Duration.ofMinutes(5));
            assertCode(ErrorCode.INVALID_FIELD, () -> EmbeddedIdempotencyStore.builder(db).leaseTimeout(Duration.ZERO));
        }
    }
}
