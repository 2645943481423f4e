/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.ErrorCode;
import dev.tally.core.TallyException;
import dev.tally.core.testing.ManualClock;
import dev.tally.stores.idempotency.BeginDecision;
import dev.tally.stores.idempotency.BeginInput;
import dev.tally.stores.idempotency.BeginResult;
import dev.tally.stores.idempotency.Completion;
import dev.tally.stores.idempotency.Lease;
import dev.tally.stores.idempotency.Status;
import dev.tally.stores.kit.StoreFaults;
import dev.tally.stores.payments.ClaimAttemptRecord;
import dev.tally.stores.payments.ClaimAttemptResult;
import dev.tally.stores.payments.ExactPaymentCommit;
import dev.tally.stores.payments.ExactPaymentRecord;
import dev.tally.stores.payments.ExactPaymentResult;
import dev.tally.stores.payments.ServerChannelRecord;
import dev.tally.stores.payments.SettlementCommit;
import dev.tally.stores.payments.SettlementResult;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.runstate.AppendResult;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the PostgreSQL specifics beside the contract kit: the durability guard, the classification of commit failures,
 * the fencing of idempotency leases, the trust domain of payment records, in-process channel locks. Method: one
 * fresh schema per test on the JVM's embedded server, the store clock a ManualClock. No seeds.
 */
@Timeout(60)
class PostgresStoresTest
{
    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    @Test
    @DisplayName("strict: the idempotency and payment stores refuse a server that can lose commits unless accepted")
    void shouldRefuseStrictStoresWhenFsyncIsOff()
    {
        final PostgresServer server = PostgresServer.shared();
        final String url = server.newSchema();
        try (PostgresStores stores = PostgresStores.builder().jdbcUrl(url).poolSizeMax(2, 1).migrateSchema().open())
        {
            assertEquals(ErrorCode.STORE_REQUIRES_STRICT,
                assertThrows(TallyException.class, stores::idempotencyStore).code());
            assertEquals(ErrorCode.STORE_REQUIRES_STRICT,
                assertThrows(TallyException.class, () -> stores.serverStateStore("domain")).code());
            assertTrue(stores.runStateStore().fetchEvents("run", 0).isEmpty());
        }
        finally
        {
            server.dropSchema(url);
        }
    }

    @Test
    @DisplayName("errors: a commit lost before or after it took effect fails with STORE_UNAVAILABLE, all or nothing")
    void shouldFailUnavailableWhenCommitIsLost()
    {
        try (PostgresStoreFactory<PostgresRunStateStore> factory =
            new PostgresStoreFactory<>(new ManualClock(), PostgresStores::runStateStore))
        {
            final PostgresRunStateStore store = factory.create();
            factory.faults().failNext(StoreFaults.Timing.BEFORE);
            final TallyException before = assertThrows(TallyException.class,
                () -> store.appendEvent(PostgresRunStateStoreConcurrencyTest.event("r", "s1")));
            assertEquals(ErrorCode.STORE_UNAVAILABLE, before.code());
            assertTrue(store.fetchEvents("r", 0).isEmpty());
            assertTrue(store.getSnapshot("r").isEmpty());
            factory.faults().failNext(StoreFaults.Timing.AFTER);
            assertEquals(ErrorCode.STORE_UNAVAILABLE, assertThrows(TallyException.class,
                () -> store.appendEvent(PostgresRunStateStoreConcurrencyTest.event("r", "s2"))).code());
            final PostgresRunStateStore restarted = factory.restart();
            assertEquals(1, restarted.fetchEvents("r", 0).size());
            assertEquals(1, restarted.getSnapshot("r").orElseThrow().lastEventSeq());
            final AppendResult again =
                restarted.appendEvent(PostgresRunStateStoreConcurrencyTest.event("r", "s2"));
            assertTrue(again.idempotent());
            assertEquals(1, again.runSeq());
        }
    }

    @Test
    @DisplayName("idempotency: a stale lease never completes; takeover after the lease timeout raises the fencing token")
    void shouldRefuseStaleLeaseWhenTakenOver()
    {
        final ManualClock clock = new ManualClock();
        try (PostgresStoreFactory<PostgresIdempotencyStore> factory =
            new PostgresStoreFactory<>(clock, stores -> stores.idempotencyStore(Duration.ofSeconds(30))))
        {
            final PostgresIdempotencyStore store = factory.create();
            final BeginInput input = new BeginInput("alice", "/pay", "key-1", HASH_A,
                Instant.ofEpochSecond(clock.currentTimeMicros() / 1_000_000L + 86_400));
            final BeginResult first = store.begin(input);
            assertEquals(BeginDecision.EXECUTE, first.decision());
            assertEquals(BeginDecision.IN_PROGRESS, store.begin(input).decision());
            clock.advance(Duration.ofSeconds(31));
            final BeginResult second = store.begin(input);
            assertEquals(BeginDecision.EXECUTE, second.decision());
            assertTrue(second.takenOver());
            final Lease stale = first.lease().orElseThrow();
            final Lease current = second.lease().orElseThrow();
            assertEquals(stale.fencingToken() + 1, current.fencingToken());
            assertFalse(store.finish(stale, Completion.of(Status.SUCCEEDED, 200, new byte[] {1})));
            assertTrue(store.finish(current, Completion.of(Status.SUCCEEDED, 201, new byte[] {2})));
            final BeginResult replay = store.begin(input);
            assertEquals(BeginDecision.REPLAY, replay.decision());
            assertEquals(201, replay.existing().orElseThrow().responseCode());
            final TallyException reused = assertThrows(TallyException.class, () -> store.begin(new BeginInput(
                "alice", "/pay", "key-1", HASH_B, input.expiresAt())));
            assertEquals(ErrorCode.IDEMPOTENCY_KEY_REUSED, reused.code());
            final PostgresIdempotencyStore restarted = factory.restart();
            assertEquals(Status.SUCCEEDED, restarted.get(input.key()).orElseThrow().status());
        }
    }

    @Test
    @DisplayName("payments: transaction ids are unique per trust domain, settlement is a compare-and-set")
    void shouldKeepTrustDomainsApartWhenPaymentsShareIds()
    {
        try (PostgresStoreFactory<PostgresServerStateStore> factory =
            new PostgresStoreFactory<>(new ManualClock(), stores -> stores.serverStateStore("domain-a")))
        {
            final PostgresServerStateStore a = factory.create();
            final PostgresServerStateStore b = factory.stores().serverStateStore("domain-b");
            final ExactPaymentRecord payment = ExactPaymentRecord.of("tx-1", 0, HASH_A, HASH_B, new byte[] {7});
            assertInstanceOf(ExactPaymentResult.Committed.class, a.commitExactPayment(ExactPaymentCommit.of(payment)));
            assertInstanceOf(ExactPaymentResult.Cached.class, a.commitExactPayment(ExactPaymentCommit.of(payment)));
            assertInstanceOf(ExactPaymentResult.ReplayConflict.class, a.commitExactPayment(
                ExactPaymentCommit.of(ExactPaymentRecord.of("tx-1", 1, HASH_A, HASH_B, new byte[] {7}))));
            assertInstanceOf(ExactPaymentResult.Committed.class, b.commitExactPayment(ExactPaymentCommit.of(payment)));

            final ServerChannelRecord opened = ServerChannelRecord.opened("ch-1", "1000", "outpoint:0");
            a.openChannel(opened);
            final ServerChannelRecord charged = opened.charged("10", "10", "sig", "c-1");
            final BatchCommitmentRecord commitment =
                new BatchCommitmentRecord("c-1", "ch-1", HASH_A, "10", "10", null, new byte[] {1}, null);
            assertInstanceOf(SettlementResult.Committed.class,
                a.commitSettlement(new SettlementCommit(opened, charged, commitment, null)));
            assertInstanceOf(SettlementResult.ChannelConflict.class, a.commitSettlement(new SettlementCommit(opened,
                opened.charged("20", "20", "sig", "c-2"),
                new BatchCommitmentRecord("c-2", "ch-1", HASH_A, "20", "20", null, new byte[] {1}, null), null)));
            assertEquals(charged, a.loadChannel("ch-1").orElseThrow());
            assertTrue(b.loadChannel("ch-1").isEmpty());

            final ClaimAttemptRecord attempt = ClaimAttemptRecord.open("at-1", charged, "10", new byte[] {3});
            assertInstanceOf(ClaimAttemptResult.Saved.class, a.saveClaimAttempt(attempt));
            assertInstanceOf(ClaimAttemptResult.OpenAttemptExists.class,
                a.saveClaimAttempt(ClaimAttemptRecord.open("at-2", charged, "10", new byte[] {3})));
            assertTrue(a.abandonClaimAttempt("at-1"));
            assertInstanceOf(ClaimAttemptResult.Saved.class,
                a.saveClaimAttempt(ClaimAttemptRecord.open("at-2", charged, "10", new byte[] {3})));
            final PostgresServerStateStore restarted = factory.restart();
            assertEquals("at-2", restarted.loadOpenClaimAttempt("ch-1").orElseThrow().attemptId());
        }
    }

    @Test
    @DisplayName("locks: one function per key at a time, released when it throws, other keys in parallel")
    void shouldRunOneFunctionPerKeyWhenThreadsContend() throws Exception
    {
        try (PostgresStoreFactory<PostgresChannelLockManager> factory =
            new PostgresStoreFactory<>(new ManualClock(), PostgresStores::channelLockManager))
        {
            final PostgresChannelLockManager locks = factory.create();
            assertThrows(IllegalStateException.class, () -> locks.runExclusive("k", () ->
            {
                throw new IllegalStateException("boom");
            }));
            final AtomicInteger inside = new AtomicInteger();
            final AtomicInteger overlaps = new AtomicInteger();
            final ExecutorService pool = Executors.newFixedThreadPool(6);
            try
            {
                final java.util.List<Future<Integer>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < 6; t++)
                {
                    final String key = t % 2 == 0 ? "shared" : "own-" + t;
                    futures.add(pool.submit(() ->
                    {
                        int runs = 0;
                        for (int i = 0; i < 20; i++)
                        {
                            runs += locks.runExclusive(key, () ->
                            {
                                if (key.equals("shared") && inside.incrementAndGet() > 1)
                                {
                                    overlaps.incrementAndGet();
                                }
                                Thread.onSpinWait();
                                if (key.equals("shared"))
                                {
                                    inside.decrementAndGet();
                                }
                                return 1;
                            });
                        }
                        return runs;
                    }));
                }
                int total = 0;
                for (final Future<Integer> future : futures)
                {
                    total += future.get(30, TimeUnit.SECONDS);
                }
                assertEquals(120, total);
                assertEquals(0, overlaps.get(), "two functions ran under one key at once");
            }
            finally
            {
                pool.shutdownNow();
            }
        }
    }
}
