/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.TallyException;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.payments.ChannelResult;
import dev.tally.stores.payments.ChannelStatus;
import dev.tally.stores.payments.ClaimApplyResult;
import dev.tally.stores.payments.ClaimAttemptRecord;
import dev.tally.stores.payments.ClaimAttemptResult;
import dev.tally.stores.payments.ClaimAttemptStatus;
import dev.tally.stores.payments.ExactPaymentCommit;
import dev.tally.stores.payments.ExactPaymentRecord;
import dev.tally.stores.payments.ExactPaymentResult;
import dev.tally.stores.payments.PaymentIdentifierRecord;
import dev.tally.stores.payments.ServerChannelRecord;
import dev.tally.stores.payments.ServerStateStore;
import dev.tally.stores.payments.SettlementCommit;
import dev.tally.stores.payments.SettlementResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract of every {@link ServerStateStore}, section by section of the server store contract: replay and
 * idempotency of exact payments, payment identifiers, settlement state (channel compare-and-set, one open claim
 * attempt per channel) and the required guarantees (durable, atomic, surviving restart, durable answers only).
 *
 * <p>Goal: an implementation that passes holds the contract's rules under races and injected failures. Method: each
 * rule is a test; races run {@link Races#CONTENDERS} contenders in {@link Races#SEEDS} seeds and demand exactly one
 * winner; the fault matrix fails the durable step of each mutating call before and after it takes effect, restarts,
 * and demands that the call's records are wholly there or wholly absent. Replay a race seed with
 * {@code -Dtests.seed=<seed>} (printed in the failure message).
 */
public abstract class ServerStateStoreContract
{
    private static final String CHANNEL = "channel-1";
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK resource".getBytes(StandardCharsets.UTF_8);

    /**
     * The factory of the implementation under test.
     *
     * @param dir a fresh directory for its storage.
     * @return the factory.
     */
    protected abstract StoreFactory<ServerStateStore> factory(Path dir);

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

    // ---- Replay And Idempotency -----------------------------------------------------------------------------------

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: commitExactPayment consumes a transaction id and stores the payment")
    void shouldCommitExactPaymentWhenTransactionIdIsNew(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ExactPaymentResult result = store.commitExactPayment(ExactPaymentCommit.of(exact("tx-1", 0, "r")));
            final ExactPaymentRecord stored = assertInstanceOf(ExactPaymentResult.Committed.class, result).payment();
            assertNotNull(stored.committedAt());
            assertEquals(Optional.of(stored), store.loadExactPayment("tx-1"));
            assertEquals(Optional.empty(), store.loadExactPayment("tx-2"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: a cached exact retry returns the cached result")
    void shouldReturnCachedWhenExactRetryHasOtherPayloadBytes(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ExactPaymentRecord first = committed(store.commitExactPayment(ExactPaymentCommit.of(
                exact("tx-1", 2, "r"))));
            final ExactPaymentRecord retry = ExactPaymentRecord.of("tx-1", 2, sha("r"), sha("other payload"),
                "another response".getBytes(StandardCharsets.UTF_8));
            final ExactPaymentResult result = store.commitExactPayment(ExactPaymentCommit.of(retry));
            final ExactPaymentRecord cached = assertInstanceOf(ExactPaymentResult.Cached.class, result).payment();
            assertEquals(first, cached);
            assertArrayEquals(RESPONSE, cached.response());
            assertEquals(Optional.of(first), store.loadExactPayment("tx-1"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: a second output of the same transaction is a replay conflict")
    void shouldReturnReplayConflictWhenOutputIndexDiffers(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ExactPaymentRecord first = committed(store.commitExactPayment(ExactPaymentCommit.of(
                exact("tx-1", 0, "r"))));
            final ExactPaymentResult result = store.commitExactPayment(ExactPaymentCommit.of(exact("tx-1", 1, "r")));
            assertEquals(first, assertInstanceOf(ExactPaymentResult.ReplayConflict.class, result).existing());
            assertEquals(Optional.of(first), store.loadExactPayment("tx-1"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: the same transaction for another request is a replay conflict")
    void shouldReturnReplayConflictWhenRequestFingerprintDiffers(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ExactPaymentRecord first = committed(store.commitExactPayment(ExactPaymentCommit.of(
                exact("tx-1", 0, "r"))));
            final ExactPaymentCommit other = new ExactPaymentCommit(exact("tx-1", 0, "another request"),
                exactId("pid-1", "another request", "p", "scope", "tx-1"));
            assertInstanceOf(ExactPaymentResult.ReplayConflict.class, store.commitExactPayment(other));
            assertEquals(Optional.of(first), store.loadExactPayment("tx-1"));
            assertEquals(Optional.empty(), store.loadPaymentIdentifier("pid-1"), "a replay conflict wrote nothing");
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: a payment identifier is stored with its exact payment, and a retry with it "
        + "is cached")
    void shouldStorePaymentIdentifierWhenCommittedWithExactPayment(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ExactPaymentCommit commit = new ExactPaymentCommit(exact("tx-1", 0, "r"),
                exactId("pid-1", "r", "p", "scope", "tx-1"));
            committed(store.commitExactPayment(commit));
            final PaymentIdentifierRecord stored = store.loadPaymentIdentifier("pid-1").orElseThrow();
            assertEquals("tx-1", stored.transactionId());
            assertNotNull(stored.committedAt());
            assertInstanceOf(ExactPaymentResult.Cached.class, store.commitExactPayment(commit));
            assertEquals(Optional.of(stored), store.loadPaymentIdentifier("pid-1"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: reusing a payment identifier with another request fingerprint fails "
        + "atomically")
    void shouldConflictWhenPaymentIdentifierHasAnotherFingerprint(@TempDir final Path dir)
    {
        assertIdentifierReuseFails(dir, "another request", "p", "scope");
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: reusing a payment identifier with another payload hash fails atomically")
    void shouldConflictWhenPaymentIdentifierHasAnotherPayloadHash(@TempDir final Path dir)
    {
        assertIdentifierReuseFails(dir, "r", "another payload", "scope");
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: reusing a payment identifier with another payment scope fails atomically")
    void shouldConflictWhenPaymentIdentifierHasAnotherScope(@TempDir final Path dir)
    {
        assertIdentifierReuseFails(dir, "r", "p", "another scope");
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: a payment identifier taken by a batch commitment conflicts with an exact "
        + "payment")
    void shouldConflictWhenPaymentIdentifierIsBoundToACommitment(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final PaymentIdentifierRecord batchId = PaymentIdentifierRecord.forCommitment("pid-1", sha("r"),
                sha("p"), "scope", RESPONSE, "commit-1");
            settled(store.commitSettlement(settlement(channel, "commit-1", batchId)));
            final ExactPaymentResult result = store.commitExactPayment(new ExactPaymentCommit(exact("tx-1", 0, "r"),
                exactId("pid-1", "r", "p", "scope", "tx-1")));
            assertInstanceOf(ExactPaymentResult.PaymentIdentifierConflict.class, result);
            assertEquals(Optional.empty(), store.loadExactPayment("tx-1"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Required Guarantees: bad input is rejected with a code naming the field before anything is "
        + "written")
    void shouldRejectBadInputWhenAFieldIsInvalid(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            assertField(ErrorCode.INVALID_FIELD, "requestFingerprint",
                () -> ExactPaymentRecord.of("tx-1", 0, "not a digest", sha("p"), RESPONSE));
            assertField(ErrorCode.MISSING_FIELD, "transactionId",
                () -> ExactPaymentRecord.of("", 0, sha("r"), sha("p"), RESPONSE));
            assertField(ErrorCode.INVALID_FIELD, "paymentOutputIndex",
                () -> ExactPaymentRecord.of("tx-1", -1, sha("r"), sha("p"), RESPONSE));
            assertField(ErrorCode.INVALID_FIELD, "fundingAmount", () -> ServerChannelRecord.opened(CHANNEL, "01",
                null));
            assertField(ErrorCode.INVALID_FIELD, "paymentIdentifier.transactionId", () -> new ExactPaymentCommit(
                exact("tx-1", 0, "r"), exactId("pid-1", "r", "p", "scope", "tx-other")));
            final ServerChannelRecord channel = channel(CHANNEL);
            assertField(ErrorCode.INVALID_FIELD, "next.version", () -> new SettlementCommit(channel, channel,
                commitment("commit-1", channel.channelId(), null, "1"), null));
            assertField(ErrorCode.MISSING_FIELD, "commit", () -> store.commitExactPayment(null));
            assertEquals(Optional.empty(), store.loadExactPayment("tx-1"));
            assertEquals(Optional.empty(), store.loadChannel(CHANNEL));
        }
    }

    // ---- Settlement State -----------------------------------------------------------------------------------------

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: openChannel creates a channel once and returns the stored one after")
    void shouldKeepFirstChannelWhenOpenedTwice(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord first = channel(CHANNEL);
            assertEquals(first, assertInstanceOf(ChannelResult.Created.class, store.openChannel(first)).channel());
            final ServerChannelRecord other = ServerChannelRecord.opened(CHANNEL, "5", "outpoint-2");
            assertEquals(first, assertInstanceOf(ChannelResult.Exists.class, store.openChannel(other)).channel());
            assertEquals(Optional.of(first), store.loadChannel(CHANNEL));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: commitSettlement writes the batch commitment, payment identifier and next channel "
        + "state together")
    void shouldWriteAllThreeWhenSettlementCommits(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final SettlementCommit commit = settlement(channel, "commit-1", batchId("pid-1", "commit-1"));
            final SettlementResult.Committed result = settled(store.commitSettlement(commit));
            assertEquals(commit.next(), result.channel());
            assertEquals(Optional.of(commit.next()), store.loadChannel(CHANNEL));
            assertEquals(Optional.of(result.commitment()), store.loadCommitment("commit-1"));
            assertNotNull(result.commitment().committedAt());
            assertEquals("commit-1", store.loadPaymentIdentifier("pid-1").orElseThrow().commitmentId());
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: a settlement against a stale snapshot is a channel conflict and writes nothing")
    void shouldReturnChannelConflictWhenSnapshotIsStale(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final ServerChannelRecord after = settled(store.commitSettlement(settlement(channel, "commit-1", null)))
                .channel();
            final SettlementResult result = store.commitSettlement(settlement(channel, "commit-2",
                batchId("pid-2", "commit-2")));
            assertEquals(Optional.of(after),
                assertInstanceOf(SettlementResult.ChannelConflict.class, result).current());
            assertEquals(Optional.empty(), store.loadCommitment("commit-2"));
            assertEquals(Optional.empty(), store.loadPaymentIdentifier("pid-2"));
            assertEquals(Optional.of(after), store.loadChannel(CHANNEL));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: the channel compare-and-set compares every field, not only the version")
    void shouldReturnChannelConflictWhenSnapshotDiffersAtTheSameVersion(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final ServerChannelRecord forged = ServerChannelRecord.opened(CHANNEL, "999", "outpoint-1");
            final SettlementResult result = store.commitSettlement(settlement(forged, "commit-1", null));
            assertEquals(Optional.of(channel),
                assertInstanceOf(SettlementResult.ChannelConflict.class, result).current());
            assertEquals(Optional.empty(), store.loadCommitment("commit-1"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: a settlement on an unknown channel is a channel conflict with no current state")
    void shouldReturnChannelConflictWhenChannelIsUnknown(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final SettlementResult result = store.commitSettlement(settlement(channel(CHANNEL), "commit-1", null));
            assertEquals(Optional.empty(),
                assertInstanceOf(SettlementResult.ChannelConflict.class, result).current());
            assertEquals(Optional.empty(), store.loadCommitment("commit-1"));
            assertEquals(Optional.empty(), store.loadChannel(CHANNEL));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: a retried settlement that committed returns the stored commitment")
    void shouldReturnCommitmentExistsWhenSettlementIsRetried(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final SettlementCommit commit = settlement(channel, "commit-1", batchId("pid-1", "commit-1"));
            final SettlementResult.Committed first = settled(store.commitSettlement(commit));
            final SettlementResult again = store.commitSettlement(commit);
            assertEquals(first.commitment(),
                assertInstanceOf(SettlementResult.CommitmentExists.class, again).existing());
            assertEquals(Optional.of(commit.next()), store.loadChannel(CHANNEL));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: a settlement reusing a payment identifier of another request fails atomically")
    void shouldConflictWhenSettlementReusesPaymentIdentifier(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            committed(store.commitExactPayment(new ExactPaymentCommit(exact("tx-1", 0, "r"),
                exactId("pid-1", "r", "p", "scope", "tx-1"))));
            final SettlementResult result = store.commitSettlement(settlement(channel, "commit-1",
                batchId("pid-1", "commit-1")));
            assertEquals("tx-1", assertInstanceOf(SettlementResult.PaymentIdentifierConflict.class, result)
                .existing().transactionId());
            assertEquals(Optional.of(channel), store.loadChannel(CHANNEL));
            assertEquals(Optional.empty(), store.loadCommitment("commit-1"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: saveClaimAttempt allows only one open claim attempt per channel")
    void shouldRefuseSecondOpenAttemptWhenChannelHasOne(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final ClaimAttemptRecord first = saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-1",
                channel, "0", null)));
            final ClaimAttemptResult second = store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-2", channel,
                "0", null));
            assertEquals(first, assertInstanceOf(ClaimAttemptResult.OpenAttemptExists.class, second).existing());
            assertEquals(Optional.of(first), store.loadOpenClaimAttempt(CHANNEL));
            assertEquals(Optional.empty(), store.loadClaimAttempt("attempt-2"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: saving the same claim attempt again is idempotent")
    void shouldReturnStoredAttemptWhenSavedAgain(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final ClaimAttemptRecord attempt = ClaimAttemptRecord.open("attempt-1", channel, "0", new byte[] {1, 2});
            final ClaimAttemptRecord first = saved(store.saveClaimAttempt(attempt));
            assertNotNull(first.createdAt());
            assertEquals(first, saved(store.saveClaimAttempt(attempt)));
            assertEquals(Optional.of(first), store.loadClaimAttempt("attempt-1"));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: applyClaimAttempt updates the channel while it matches the snapshot and closes "
        + "the attempt")
    void shouldApplyAndCloseAttemptWhenChannelMatchesSnapshot(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = settled(store.commitSettlement(settlement(
                store.openChannel(channel(CHANNEL)).channel(), "commit-1", null))).channel();
            saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-1", channel, "10", null)));
            final ServerChannelRecord next = channel.claimed("10", ChannelStatus.OPEN, "outpoint-2", "90");
            final ClaimApplyResult.Applied applied = assertInstanceOf(ClaimApplyResult.Applied.class,
                store.applyClaimAttempt(next, "attempt-1"));
            assertEquals(next, applied.channel());
            assertEquals(ClaimAttemptStatus.APPLIED, applied.attempt().status());
            assertEquals(Optional.of(next), store.loadChannel(CHANNEL));
            assertEquals(Optional.empty(), store.loadOpenClaimAttempt(CHANNEL));
            assertEquals(Optional.of(applied.attempt()), store.loadClaimAttempt("attempt-1"));
            saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-2", next, "0", null)));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: applyClaimAttempt is a compare-and-set on the attempt's snapshot")
    void shouldReturnChannelConflictWhenChannelMovedAfterAttempt(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final ClaimAttemptRecord attempt = saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-1",
                channel, "0", null)));
            final ServerChannelRecord moved = settled(store.commitSettlement(settlement(channel, "commit-1", null)))
                .channel();
            final ClaimApplyResult result = store.applyClaimAttempt(channel.claimed("0", ChannelStatus.CLOSED, null,
                "0"), "attempt-1");
            assertEquals(Optional.of(moved),
                assertInstanceOf(ClaimApplyResult.ChannelConflict.class, result).current());
            assertEquals(Optional.of(moved), store.loadChannel(CHANNEL));
            assertEquals(Optional.of(attempt), store.loadOpenClaimAttempt(CHANNEL), "the attempt stays open");
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: applying an attempt that is not open writes nothing")
    void shouldReturnAttemptNotOpenWhenAttemptIsClosedOrUnknown(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-1", channel, "0", null)));
            final ServerChannelRecord next = channel.claimed("0", ChannelStatus.CLOSING, null, "100");
            assertInstanceOf(ClaimApplyResult.Applied.class, store.applyClaimAttempt(next, "attempt-1"));
            final ClaimApplyResult again = store.applyClaimAttempt(next.claimed("0", ChannelStatus.CLOSED, null,
                "0"), "attempt-1");
            assertEquals(ClaimAttemptStatus.APPLIED, assertInstanceOf(ClaimApplyResult.AttemptNotOpen.class, again)
                .attempt().orElseThrow().status());
            final ClaimApplyResult unknown = store.applyClaimAttempt(next, "attempt-none");
            assertEquals(Optional.empty(), assertInstanceOf(ClaimApplyResult.AttemptNotOpen.class, unknown)
                .attempt());
            assertEquals(Optional.of(next), store.loadChannel(CHANNEL));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Settlement State: abandonClaimAttempt frees the channel for a new attempt and never reopens the id")
    void shouldFreeChannelWhenAttemptIsAbandoned(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final ClaimAttemptRecord attempt = ClaimAttemptRecord.open("attempt-1", channel, "0", null);
            saved(store.saveClaimAttempt(attempt));
            assertTrue(store.abandonClaimAttempt("attempt-1"));
            assertFalse(store.abandonClaimAttempt("attempt-1"));
            assertFalse(store.abandonClaimAttempt("attempt-none"));
            assertEquals(Optional.empty(), store.loadOpenClaimAttempt(CHANNEL));
            assertEquals(ClaimAttemptStatus.ABANDONED, store.loadClaimAttempt("attempt-1").orElseThrow().status());
            assertInstanceOf(ClaimAttemptResult.AttemptClosed.class, store.saveClaimAttempt(attempt));
            saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-2", channel, "0", null)));
            assertEquals(Optional.of(channel), store.loadChannel(CHANNEL));
        }
    }

    // ---- Races ----------------------------------------------------------------------------------------------------

    @Test
    @Timeout(120)
    @DisplayName("Replay And Idempotency: of 32 contenders for one payment identifier exactly one commits, in each "
        + "of 32 seeds")
    void shouldCommitOnceWhenContendersRaceForOnePaymentIdentifier(@TempDir final Path dir) throws Exception
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final String pid = "pid-" + seed;
                final List<Object> results = Races.run(seed, Races.CONTENDERS, i -> store.commitExactPayment(
                    new ExactPaymentCommit(exact("tx-" + seed + "-" + i, 0, "r" + i),
                        exactId(pid, "r" + i, "p", "scope", "tx-" + seed + "-" + i))));
                final int winner = exactlyOne(seed, results, r -> r instanceof ExactPaymentResult.Committed,
                    r -> r instanceof ExactPaymentResult.PaymentIdentifierConflict);
                assertEquals("tx-" + seed + "-" + winner, store.loadPaymentIdentifier(pid).orElseThrow()
                    .transactionId(), "seed=" + seed);
                for (int i = 0; i < Races.CONTENDERS; i++)
                {
                    assertEquals(i == winner, store.loadExactPayment("tx-" + seed + "-" + i).isPresent(),
                        "a losing contender wrote its payment: seed=" + seed + ", contender=" + i);
                }
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("Replay And Idempotency: of 32 outputs of one transaction exactly one commits, in each of 32 seeds")
    void shouldCommitOnceWhenContendersRaceForOneTransactionId(@TempDir final Path dir) throws Exception
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final String tx = "tx-" + seed;
                final List<Object> results = Races.run(seed, Races.CONTENDERS,
                    i -> store.commitExactPayment(ExactPaymentCommit.of(exact(tx, i, "r"))));
                final int winner = exactlyOne(seed, results, r -> r instanceof ExactPaymentResult.Committed,
                    r -> r instanceof ExactPaymentResult.ReplayConflict);
                assertEquals(winner, store.loadExactPayment(tx).orElseThrow().paymentOutputIndex(), "seed=" + seed);
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("Settlement State: of 32 claim attempts on one channel exactly one is saved, in each of 32 seeds")
    void shouldSaveOneWhenContendersRaceForOneChannelsClaimAttempt(@TempDir final Path dir) throws Exception
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final ServerChannelRecord channel = store.openChannel(channel("channel-" + seed)).channel();
                final List<Object> results = Races.run(seed, Races.CONTENDERS, i -> store.saveClaimAttempt(
                    ClaimAttemptRecord.open("attempt-" + seed + "-" + i, channel, "0", null)));
                final int winner = exactlyOne(seed, results, r -> r instanceof ClaimAttemptResult.Saved,
                    r -> r instanceof ClaimAttemptResult.OpenAttemptExists);
                assertEquals("attempt-" + seed + "-" + winner, store.loadOpenClaimAttempt(channel.channelId())
                    .orElseThrow().attemptId(), "seed=" + seed);
            }
        }
    }

    @Test
    @Timeout(120)
    @DisplayName("Settlement State: of 32 settlements on one channel snapshot exactly one commits, in each of 32 "
        + "seeds")
    void shouldCommitOnceWhenContendersRaceForOneSettlement(@TempDir final Path dir) throws Exception
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            for (final long seed : Races.seeds().toArray())
            {
                final ServerChannelRecord channel = store.openChannel(channel("channel-" + seed)).channel();
                final List<Object> results = Races.run(seed, Races.CONTENDERS, i -> store.commitSettlement(
                    settlement(channel, "commit-" + seed + "-" + i, null)));
                final int winner = exactlyOne(seed, results, r -> r instanceof SettlementResult.Committed,
                    r -> r instanceof SettlementResult.ChannelConflict);
                final ServerChannelRecord after = store.loadChannel(channel.channelId()).orElseThrow();
                assertEquals("commit-" + seed + "-" + winner, after.lastCommitmentId(), "seed=" + seed);
                assertEquals(1, after.version(), "seed=" + seed);
                for (int i = 0; i < Races.CONTENDERS; i++)
                {
                    assertEquals(i == winner, store.loadCommitment("commit-" + seed + "-" + i).isPresent(),
                        "seed=" + seed + ", contender=" + i);
                }
            }
        }
    }

    // ---- Required Guarantees: durable answers, faults, restart ----------------------------------------------------

    @Test
    @Timeout(60)
    @DisplayName("Required Guarantees: a cached exact retry is not answered while the original commit's force is "
        + "held, and fails with it")
    void shouldNotAnswerCachedRetryWhenOriginalForceIsHeld(@TempDir final Path dir) throws Exception
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            Assumptions.assumeTrue(factory.faults().isSupported(), "no faults to inject");
            final ServerStateStore store = factory.create();
            final ExactPaymentCommit commit = ExactPaymentCommit.of(exact("tx-1", 0, "r"));
            final StoreFaults.Hold hold = factory.faults().holdNext();
            final CompletableFuture<ExactPaymentResult> original =
                CompletableFuture.supplyAsync(() -> store.commitExactPayment(commit));
            assertTrue(hold.awaitReached(30, TimeUnit.SECONDS), "the original commit never reached its force");
            final CompletableFuture<ExactPaymentResult> retry =
                CompletableFuture.supplyAsync(() -> store.commitExactPayment(commit));
            final CompletableFuture<Optional<ExactPaymentRecord>> load =
                CompletableFuture.supplyAsync(() -> store.loadExactPayment("tx-1"));
            if (failedDurableStepFailsReaders())
            {
                assertNotAnswered(retry);
                assertNotAnswered(load);
            }
            hold.releaseAndFail();
            assertThrows(ExecutionException.class, () -> original.get(30, TimeUnit.SECONDS));
            if (failedDurableStepFailsReaders())
            {
                assertFailedWith(ErrorCode.LOG_FAILED, retry);
                assertFailedWith(ErrorCode.LOG_FAILED, load);
            }
            else
            {
                final ExactPaymentResult retried = retry.get(30, TimeUnit.SECONDS);
                assertInstanceOf(ExactPaymentResult.Committed.class, retried,
                    "the held commit rolled back, so the retry commits the payment itself");
                // The load may run before or after the retry's own commit, never on the held one's record.
                load.get(30, TimeUnit.SECONDS).ifPresent(found -> assertEquals(
                    ((ExactPaymentResult.Committed)retried).payment(), found, "a load answered the held commit"));
            }
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("Required Guarantees: a conflict's current channel is not answered while the force that wrote it "
        + "is held")
    void shouldNotAnswerChannelConflictWhenSettlementForceIsHeld(@TempDir final Path dir) throws Exception
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            Assumptions.assumeTrue(factory.faults().isSupported(), "no faults to inject");
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final StoreFaults.Hold hold = factory.faults().holdNext();
            final CompletableFuture<SettlementResult> first = CompletableFuture.supplyAsync(
                () -> store.commitSettlement(settlement(channel, "commit-1", null)));
            assertTrue(hold.awaitReached(30, TimeUnit.SECONDS), "the settlement never reached its force");
            final CompletableFuture<SettlementResult> second = CompletableFuture.supplyAsync(
                () -> store.commitSettlement(settlement(channel, "commit-1", null)));
            if (failedDurableStepFailsReaders())
            {
                assertNotAnswered(second);
            }
            hold.releaseAndFail();
            assertThrows(ExecutionException.class, () -> first.get(30, TimeUnit.SECONDS));
            if (failedDurableStepFailsReaders())
            {
                assertFailedWith(ErrorCode.LOG_FAILED, second);
            }
            else
            {
                assertInstanceOf(SettlementResult.Committed.class, second.get(30, TimeUnit.SECONDS),
                    "the held settlement rolled back, so the second one commits against the same channel");
            }
        }
    }

    @ParameterizedTest(name = "Required Guarantees: a failed commitExactPayment ({0}) leaves the payment and its "
        + "identifier wholly there or wholly absent after restart")
    @EnumSource(StoreFaults.Timing.class)
    @Timeout(60)
    void shouldLeaveNoPartialReplayStateWhenExactCommitFails(final StoreFaults.Timing timing,
        @TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            assumeFaultsAndDurable(factory);
            final ServerStateStore store = factory.create();
            final ExactPaymentCommit commit = new ExactPaymentCommit(exact("tx-1", 0, "r"),
                exactId("pid-1", "r", "p", "scope", "tx-1"));
            factory.faults().failNext(timing);
            assertThrows(TallyException.class, () -> store.commitExactPayment(commit));
            final ServerStateStore reopened = factory.restart();
            final boolean there = reopened.loadExactPayment("tx-1").isPresent();
            assertEquals(there, reopened.loadPaymentIdentifier("pid-1").isPresent(), "partial replay state");
            final ExactPaymentResult retry = reopened.commitExactPayment(commit);
            assertTrue(there ? retry instanceof ExactPaymentResult.Cached
                : retry instanceof ExactPaymentResult.Committed, "retry after restart: " + retry);
        }
    }

    @ParameterizedTest(name = "Required Guarantees: a failed commitSettlement ({0}) leaves the commitment, identifier "
        + "and channel state wholly there or wholly absent after restart")
    @EnumSource(StoreFaults.Timing.class)
    @Timeout(60)
    void shouldLeaveNoPartialSettlementWhenSettlementFails(final StoreFaults.Timing timing, @TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            assumeFaultsAndDurable(factory);
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final SettlementCommit commit = settlement(channel, "commit-1", batchId("pid-1", "commit-1"));
            factory.faults().failNext(timing);
            assertThrows(TallyException.class, () -> store.commitSettlement(commit));
            final ServerStateStore reopened = factory.restart();
            final boolean there = reopened.loadCommitment("commit-1").isPresent();
            assertEquals(there, reopened.loadPaymentIdentifier("pid-1").isPresent(), "partial identifier state");
            assertEquals(Optional.of(there ? commit.next() : channel), reopened.loadChannel(CHANNEL),
                "partial channel state");
            final SettlementResult retry = reopened.commitSettlement(commit);
            assertTrue(there ? retry instanceof SettlementResult.CommitmentExists
                : retry instanceof SettlementResult.Committed, "retry after restart: " + retry);
        }
    }

    @ParameterizedTest(name = "Required Guarantees: a failed saveClaimAttempt ({0}) leaves the attempt wholly there "
        + "or wholly absent after restart")
    @EnumSource(StoreFaults.Timing.class)
    @Timeout(60)
    void shouldLeaveNoPartialAttemptWhenSaveFails(final StoreFaults.Timing timing, @TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            assumeFaultsAndDurable(factory);
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final ClaimAttemptRecord attempt = ClaimAttemptRecord.open("attempt-1", channel, "0", null);
            factory.faults().failNext(timing);
            assertThrows(TallyException.class, () -> store.saveClaimAttempt(attempt));
            final ServerStateStore reopened = factory.restart();
            final boolean there = reopened.loadClaimAttempt("attempt-1").isPresent();
            assertEquals(there, reopened.loadOpenClaimAttempt(CHANNEL).isPresent(), "partial claim-attempt state");
            assertInstanceOf(ClaimAttemptResult.Saved.class, reopened.saveClaimAttempt(attempt));
            assertEquals("attempt-1", reopened.loadOpenClaimAttempt(CHANNEL).orElseThrow().attemptId());
        }
    }

    @ParameterizedTest(name = "Required Guarantees: a failed applyClaimAttempt ({0}) leaves the channel and the "
        + "attempt's close wholly there or wholly absent after restart")
    @EnumSource(StoreFaults.Timing.class)
    @Timeout(60)
    void shouldLeaveNoPartialClaimWhenApplyFails(final StoreFaults.Timing timing, @TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            assumeFaultsAndDurable(factory);
            final ServerStateStore store = factory.create();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-1", channel, "0", null)));
            final ServerChannelRecord next = channel.claimed("0", ChannelStatus.CLOSED, null, "0");
            factory.faults().failNext(timing);
            assertThrows(TallyException.class, () -> store.applyClaimAttempt(next, "attempt-1"));
            final ServerStateStore reopened = factory.restart();
            final boolean applied = reopened.loadChannel(CHANNEL).orElseThrow().equals(next);
            assertEquals(applied ? ClaimAttemptStatus.APPLIED : ClaimAttemptStatus.OPEN,
                reopened.loadClaimAttempt("attempt-1").orElseThrow().status(), "partial claim state");
            assertEquals(!applied, reopened.loadOpenClaimAttempt(CHANNEL).isPresent(), "partial open-attempt slot");
            final ClaimApplyResult retry = reopened.applyClaimAttempt(next, "attempt-1");
            assertTrue(applied ? retry instanceof ClaimApplyResult.AttemptNotOpen
                : retry instanceof ClaimApplyResult.Applied, "retry after restart: " + retry);
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("Required Guarantees: every record survives a restart and reloads before a retry")
    void shouldReloadEveryRecordWhenRestarted(@TempDir final Path dir)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            final ExactPaymentRecord payment = committed(store.commitExactPayment(new ExactPaymentCommit(
                exact("tx-1", 3, "r"), exactId("pid-1", "r", "p", "scope", "tx-1"))));
            final PaymentIdentifierRecord exactIdentifier = store.loadPaymentIdentifier("pid-1").orElseThrow();
            final ServerChannelRecord channel = store.openChannel(channel(CHANNEL)).channel();
            final SettlementResult.Committed settled = settled(store.commitSettlement(settlement(channel, "commit-1",
                batchId("pid-2", "commit-1"))));
            final PaymentIdentifierRecord batchIdentifier = store.loadPaymentIdentifier("pid-2").orElseThrow();
            final ClaimAttemptRecord applied = assertInstanceOf(ClaimApplyResult.Applied.class,
                applyNewAttempt(store, "attempt-1", settled.channel())).attempt();
            final ServerChannelRecord current = store.loadChannel(CHANNEL).orElseThrow();
            final ClaimAttemptRecord open = saved(store.saveClaimAttempt(ClaimAttemptRecord.open("attempt-2",
                current, "5", new byte[] {9, 8, 7})));
            final ServerStateStore reopened = factory.restart();
            assertEquals(Optional.of(payment), reopened.loadExactPayment("tx-1"));
            assertEquals(Optional.of(exactIdentifier), reopened.loadPaymentIdentifier("pid-1"));
            assertEquals(Optional.of(batchIdentifier), reopened.loadPaymentIdentifier("pid-2"));
            assertEquals(Optional.of(settled.commitment()), reopened.loadCommitment("commit-1"));
            assertEquals(Optional.of(current), reopened.loadChannel(CHANNEL));
            assertEquals(Optional.of(applied), reopened.loadClaimAttempt("attempt-1"));
            assertEquals(Optional.of(open), reopened.loadOpenClaimAttempt(CHANNEL));
            assertInstanceOf(ExactPaymentResult.Cached.class, reopened.commitExactPayment(ExactPaymentCommit.of(
                exact("tx-1", 3, "r"))));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private void assertIdentifierReuseFails(final Path dir, final String fingerprint, final String payload,
        final String scope)
    {
        try (StoreFactory<ServerStateStore> factory = factory(dir))
        {
            final ServerStateStore store = factory.create();
            committed(store.commitExactPayment(new ExactPaymentCommit(exact("tx-1", 0, "r"),
                exactId("pid-1", "r", "p", "scope", "tx-1"))));
            final PaymentIdentifierRecord original = store.loadPaymentIdentifier("pid-1").orElseThrow();
            final ExactPaymentCommit reuse = new ExactPaymentCommit(exact("tx-2", 0, fingerprint),
                exactId("pid-1", fingerprint, payload, scope, "tx-2"));
            final ExactPaymentResult result = store.commitExactPayment(reuse);
            assertEquals(original,
                assertInstanceOf(ExactPaymentResult.PaymentIdentifierConflict.class, result).existing());
            assertEquals(Optional.empty(), store.loadExactPayment("tx-2"), "no exact payment written either");
            assertEquals(Optional.of(original), store.loadPaymentIdentifier("pid-1"));
        }
    }

    private static ClaimApplyResult applyNewAttempt(final ServerStateStore store, final String attemptId,
        final ServerChannelRecord channel)
    {
        saved(store.saveClaimAttempt(ClaimAttemptRecord.open(attemptId, channel, "10", null)));
        return store.applyClaimAttempt(channel.claimed("10", ChannelStatus.OPEN, "outpoint-2", "90"), attemptId);
    }

    private static void assumeFaultsAndDurable(final StoreFactory<ServerStateStore> factory)
    {
        Assumptions.assumeTrue(factory.faults().isSupported(), "no faults to inject");
        Assumptions.assumeTrue(factory.isDurable(), "not durable");
    }

    private static int exactlyOne(final long seed, final List<Object> results, final Predicate<Object> winner,
        final Predicate<Object> loser)
    {
        int found = -1;
        for (int i = 0; i < results.size(); i++)
        {
            final Object r = results.get(i);
            if (winner.test(r))
            {
                if (found >= 0)
                {
                    fail("two winners: seed=" + seed + " (replay with -Dtests.seed=" + seed + "), contenders=" + found
                        + "," + i);
                }
                found = i;
            }
            else if (!loser.test(r))
            {
                fail("unexpected outcome: seed=" + seed + " (replay with -Dtests.seed=" + seed + "), contender=" + i
                    + ", result=" + r);
            }
        }
        if (found < 0)
        {
            fail("no winner: seed=" + seed + " (replay with -Dtests.seed=" + seed + ")");
        }
        return found;
    }

    private static void assertNotAnswered(final CompletableFuture<?> call) throws Exception
    {
        try
        {
            final Object answer = call.get(300, TimeUnit.MILLISECONDS);
            fail("answered while the force is held: " + answer);
        }
        catch (final TimeoutException expected)
        {
            assertFalse(call.isDone());
        }
    }

    private static void assertFailedWith(final ErrorCode code, final CompletableFuture<?> call) throws Exception
    {
        try
        {
            final Object answer = call.get(30, TimeUnit.SECONDS);
            fail("answered from a record whose force failed: " + answer);
        }
        catch (final ExecutionException ex)
        {
            final TallyException cause = assertInstanceOf(TallyException.class, ex.getCause());
            assertEquals(code, cause.code(), cause.toString());
        }
    }

    private static void assertField(final ErrorCode code, final String field, final Runnable call)
    {
        final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class, call::run);
        assertEquals(code, ex.code(), ex.getMessage());
        assertTrue(ex.getMessage().contains("field=" + field), ex.getMessage());
    }

    private static ExactPaymentRecord committed(final ExactPaymentResult result)
    {
        return assertInstanceOf(ExactPaymentResult.Committed.class, result).payment();
    }

    private static SettlementResult.Committed settled(final SettlementResult result)
    {
        return assertInstanceOf(SettlementResult.Committed.class, result);
    }

    private static ClaimAttemptRecord saved(final ClaimAttemptResult result)
    {
        return assertInstanceOf(ClaimAttemptResult.Saved.class, result).attempt();
    }

    /**
     * A new channel funded with 100, as the suites open it.
     *
     * @param channelId the channel id.
     * @return the record.
     */
    protected static ServerChannelRecord channel(final String channelId)
    {
        return ServerChannelRecord.opened(channelId, "100", "outpoint-1");
    }

    /**
     * A settlement charging 1 more on a channel state.
     *
     * @param expected     the channel state it requires.
     * @param commitmentId the commitment id.
     * @param identifier   the payment identifier, or {@code null}.
     * @return the commit.
     */
    protected static SettlementCommit settlement(final ServerChannelRecord expected, final String commitmentId,
        final PaymentIdentifierRecord identifier)
    {
        final String charged = Long.toString(Long.parseLong(expected.chargedCumulativeAmount()) + 1);
        final ServerChannelRecord next = expected.charged(charged, charged, "sig-" + commitmentId, commitmentId);
        return new SettlementCommit(expected, next, commitment(commitmentId, expected.channelId(),
            identifier == null ? null : identifier.id(), charged), identifier);
    }

    private static BatchCommitmentRecord commitment(final String commitmentId, final String channelId,
        final String paymentIdentifier, final String charged)
    {
        return new BatchCommitmentRecord(commitmentId, channelId, sha("request " + commitmentId), "1", charged,
            paymentIdentifier, RESPONSE, null);
    }

    /**
     * An exact payment of a request.
     *
     * @param tx          the transaction id.
     * @param outputIndex the paying output.
     * @param request     a text whose digest is the request fingerprint.
     * @return the record.
     */
    protected static ExactPaymentRecord exact(final String tx, final int outputIndex, final String request)
    {
        return ExactPaymentRecord.of(tx, outputIndex, sha(request), sha("p"), RESPONSE);
    }

    private static PaymentIdentifierRecord exactId(final String id, final String request, final String payload,
        final String scope, final String tx)
    {
        return PaymentIdentifierRecord.forExact(id, sha(request), sha(payload), scope, RESPONSE, tx);
    }

    private static PaymentIdentifierRecord batchId(final String id, final String commitmentId)
    {
        return PaymentIdentifierRecord.forCommitment(id, sha("request " + commitmentId), sha("p"), CHANNEL,
            RESPONSE, commitmentId);
    }

    /**
     * The SHA-256 of a text in lower-case hex.
     *
     * @param text the text.
     * @return the digest.
     */
    protected static String sha(final String text)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
