/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.core.Clock;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of every {@link IdempotencyStore}, section by section of the Idempotency Store Contract, plus the
 * takeover of an expired lease and the treatment of expired records that go beyond it; races, the fault matrix and
 * durable answers are added by {@link IdempotencyStoreContract}, the class implementations extend. Goal: any
 * implementation that passes behaves as the document says. Method: each test makes one factory with a
 * {@link ManualClock} and a lease timeout of {@link #LEASE_TIMEOUT}, drives the store and checks each answer and the
 * stored record. Nothing is random here, so there is no seed to replay.
 */
@Timeout(60)
public abstract class IdempotencyStoreRulesContract
{
    /** The lease timeout every contract store is opened with. */
    protected static final Duration LEASE_TIMEOUT = Duration.ofSeconds(30);
    /** The principal of the contract's inputs. */
    protected static final String PRINCIPAL = "acct_7f3a";
    /** The method of the contract's inputs. */
    protected static final String METHOD = "/payments.v1.Payments/Charge";
    /** The request hash of the contract's inputs. */
    protected static final String HASH = "sha256:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7";

    /** The test's directory, fresh for each test. */
    @TempDir
    protected Path dir;

    /**
     * A factory of fresh stores of the implementation under test.
     *
     * @param directory    a directory the factory may use for files.
     * @param clock        the store clock (lease tokens, {@code createdAt}, expiry).
     * @param leaseTimeout the lease timeout after which an {@code IN_PROGRESS} record is taken over.
     * @return the factory, which the test closes.
     */
    protected abstract StoreFactory<IdempotencyStore> factory(Path directory, Clock clock, Duration leaseTimeout);

    /**
     * An input of the contract's principal, method and hash, expiring a day after the clock's now.
     *
     * @param clock the clock.
     * @param key   the idempotency key.
     * @return the input.
     */
    protected static BeginInput input(final ManualClock clock, final String key)
    {
        return new BeginInput(PRINCIPAL, METHOD, key, HASH, now(clock).plus(Duration.ofDays(1)));
    }

    /**
     * The clock's now as an instant.
     *
     * @param clock the clock.
     * @return the instant.
     */
    protected static Instant now(final ManualClock clock)
    {
        final long micros = clock.currentTimeMicros();
        return Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
    }

    /**
     * The bytes of a text.
     *
     * @param text the text.
     * @return its UTF-8 bytes.
     */
    protected static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Asserts that a call throws a Tally exception with a code.
     *
     * @param code the code.
     * @param call the call.
     * @return the exception.
     */
    protected static TallyException assertCode(final ErrorCode code, final Executable call)
    {
        final TallyException ex = assertThrows(TallyException.class, call);
        assertEquals(code, ex.code(), ex.getMessage());
        return ex;
    }

    /**
     * Begins a key that must be new.
     *
     * @param store the store.
     * @param input the input.
     * @return the lease.
     */
    protected static Lease execute(final IdempotencyStore store, final BeginInput input)
    {
        final BeginResult begun = store.begin(input);
        assertEquals(BeginDecision.EXECUTE, begun.decision(), begun.toString());
        return begun.lease().orElseThrow();
    }

    /**
     * Begins a new key and finishes it.
     *
     * @param store   the store.
     * @param input   the input.
     * @param status  the terminal status.
     * @param payload the response payload.
     * @return the lease it finished with.
     */
    protected static Lease completed(final IdempotencyStore store, final BeginInput input, final Status status,
        final String payload)
    {
        final Lease lease = execute(store, input);
        assertTrue(store.finish(lease, Completion.of(status, 7, bytes(payload))));
        return lease;
    }

    @Test
    @DisplayName("Service flow 1. EXECUTE: a new key is stored IN_PROGRESS under a lease")
    void shouldExecuteAndStoreInProgressWhenKeyIsNew()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-new");
            final BeginResult begun = store.begin(input);
            assertEquals(BeginDecision.EXECUTE, begun.decision());
            assertFalse(begun.takenOver());
            assertTrue(begun.existing().isEmpty());
            final Lease lease = begun.lease().orElseThrow();
            assertEquals(new Lease(input.key(), now(clock), 1), lease);
            final IdempotencyRecord stored = store.get(input.key()).orElseThrow();
            assertEquals(new IdempotencyRecord(PRINCIPAL, METHOD, "k-new", HASH, Status.IN_PROGRESS, 0, new byte[0],
                now(clock), now(clock), input.expiresAt(), 1), stored);
        }
    }

    @Test
    @DisplayName("Service flow 1. REPLAY: a SUCCEEDED key returns the stored response")
    void shouldReplayStoredResponseWhenSucceeded()
    {
        shouldReplay(Status.SUCCEEDED);
    }

    @Test
    @DisplayName("Service flow 1. REPLAY: a FAILED_FINAL key returns the stored response")
    void shouldReplayStoredResponseWhenFailedFinal()
    {
        shouldReplay(Status.FAILED_FINAL);
    }

    private void shouldReplay(final Status status)
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-replay");
            completed(store, input, status, "response-1");
            final IdempotencyRecord before = store.get(input.key()).orElseThrow();
            clock.advance(Duration.ofMinutes(10));
            final BeginResult again = store.begin(input);
            assertEquals(BeginDecision.REPLAY, again.decision());
            assertTrue(again.lease().isEmpty());
            final IdempotencyRecord replayed = again.existing().orElseThrow();
            assertEquals(status, replayed.status());
            assertEquals(7, replayed.responseCode());
            assertArrayEquals(bytes("response-1"), replayed.responsePayload());
            assertEquals(before, replayed);
            assertEquals(before, store.get(input.key()).orElseThrow(), "a replay changes nothing");
        }
    }

    @Test
    @DisplayName("Service flow 1. IN_PROGRESS: another request runs under a live lease, and nothing changes")
    void shouldAnswerInProgressWhenLeaseIsLive()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-busy");
            execute(store, input);
            final IdempotencyRecord before = store.get(input.key()).orElseThrow();
            clock.advance(LEASE_TIMEOUT.minusNanos(1_000));
            final BeginResult again = store.begin(input);
            assertEquals(BeginDecision.IN_PROGRESS, again.decision());
            assertTrue(again.lease().isEmpty());
            assertFalse(again.takenOver());
            assertEquals(before, again.existing().orElseThrow());
            assertEquals(before, store.get(input.key()).orElseThrow());
        }
    }

    @Test
    @DisplayName("Service flow 1. RETRYABLE: a FAILED_RETRYABLE key triggers the retry policy, and nothing changes")
    void shouldAnswerRetryableWhenFailedRetryable()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-retry");
            completed(store, input, Status.FAILED_RETRYABLE, "try later");
            final IdempotencyRecord before = store.get(input.key()).orElseThrow();
            final BeginResult again = store.begin(input);
            assertEquals(BeginDecision.RETRYABLE, again.decision());
            assertTrue(again.lease().isEmpty());
            assertEquals(before, again.existing().orElseThrow());
            assertEquals(before, store.get(input.key()).orElseThrow());
        }
    }

    @Test
    @DisplayName("Storage model: request_hash must match for a repeated key; a mismatch is IDEMPOTENCY_KEY_REUSED")
    void shouldRefuseAndChangeNothingWhenRequestHashDiffers()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            execute(store, input(clock, "k-0"));
            completed(store, input(clock, "k-1"), Status.SUCCEEDED, "ok");
            completed(store, input(clock, "k-2"), Status.FAILED_FINAL, "no");
            completed(store, input(clock, "k-3"), Status.FAILED_RETRYABLE, "later");
            for (int i = 0; i < 4; i++)
            {
                final BeginInput original = input(clock, "k-" + i);
                final IdempotencyRecord before = store.get(original.key()).orElseThrow();
                final BeginInput other = new BeginInput(PRINCIPAL, METHOD, "k-" + i, "sha256:other",
                    original.expiresAt());
                assertCode(ErrorCode.IDEMPOTENCY_KEY_REUSED, () -> store.begin(other));
                assertEquals(before, store.get(original.key()).orElseThrow(), "status " + before.status());
            }
            clock.advance(LEASE_TIMEOUT);
            final BeginInput other = new BeginInput(PRINCIPAL, METHOD, "k-0", "sha256:other",
                input(clock, "k-0").expiresAt());
            assertCode(ErrorCode.IDEMPOTENCY_KEY_REUSED, () -> store.begin(other));
            assertEquals(1, store.get(other.key()).orElseThrow().fencingToken(), "no takeover with another hash");
        }
    }

    @Test
    @DisplayName("Storage model: the uniqueness key is (principal, grpc_method, idempotency_key)")
    void shouldKeepRecordsApartWhenAnyKeyPartDiffers()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final Instant expires = now(clock).plus(Duration.ofDays(1));
            final List<BeginInput> inputs = List.of(
                new BeginInput("p", "m", "k", HASH, expires),
                new BeginInput("p2", "m", "k", HASH, expires),
                new BeginInput("p", "m2", "k", HASH, expires),
                new BeginInput("p", "m", "k2", HASH, expires),
                new BeginInput("a", "bc", "k", HASH, expires),
                new BeginInput("ab", "c", "k", HASH, expires),
                new BeginInput("a", "b", "ck", HASH, expires));
            for (final BeginInput input : inputs)
            {
                execute(store, input);
            }
            for (final BeginInput input : inputs)
            {
                assertEquals(BeginDecision.IN_PROGRESS, store.begin(input).decision(), input.toString());
                assertEquals(input.key(), store.get(input.key()).orElseThrow().key());
            }
        }
    }

    @Test
    @DisplayName("Storage model: bad input is rejected with a code naming the field, before anything is written")
    void shouldRejectBadInputWhenFieldIsMissingOrInvalid()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final Instant expires = now(clock).plus(Duration.ofDays(1));
            assertCode(ErrorCode.MISSING_FIELD, () -> new BeginInput(null, METHOD, "k", HASH, expires));
            assertCode(ErrorCode.MISSING_FIELD, () -> new BeginInput(PRINCIPAL, "", "k", HASH, expires));
            assertCode(ErrorCode.MISSING_FIELD, () -> new BeginInput(PRINCIPAL, METHOD, "k", null, expires));
            assertCode(ErrorCode.MISSING_FIELD, () -> new BeginInput(PRINCIPAL, METHOD, "k", HASH, null));
            assertCode(ErrorCode.INVALID_FIELD, () -> new BeginInput(PRINCIPAL, METHOD,
                "k".repeat(IdempotencyStore.FIELD_LENGTH_MAX + 1), HASH, expires));
            assertCode(ErrorCode.INVALID_FIELD, () -> new BeginInput(PRINCIPAL, METHOD, "k\0", HASH, expires));
            final BeginInput stale = new BeginInput(PRINCIPAL, METHOD, "k", HASH, now(clock));
            final TallyException ex = assertCode(ErrorCode.INVALID_FIELD, () -> store.begin(stale));
            assertTrue(ex.getMessage().contains("expiresAt"), ex.getMessage());
            assertTrue(store.get(stale.key()).isEmpty(), "a refused begin writes nothing");
            assertCode(ErrorCode.INVALID_FIELD, () -> Completion.of(Status.IN_PROGRESS, 0, null));
            assertCode(ErrorCode.LIMIT_EXCEEDED, () -> Completion.of(Status.SUCCEEDED, 0,
                new byte[IdempotencyStore.RESPONSE_PAYLOAD_LENGTH_MAX + 1]));
            assertCode(ErrorCode.INVALID_FIELD, () -> store.deleteExpired(now(clock), 0));
            assertCode(ErrorCode.INVALID_FIELD, () -> store.deleteExpired(now(clock),
                IdempotencyStore.DELETE_LIMIT_MAX + 1));
            assertCode(ErrorCode.MISSING_FIELD, () -> store.deleteExpired(null, 1));
            assertCode(ErrorCode.INVALID_FIELD, () -> new Lease(stale.key(), now(clock), 0));
        }
    }

    @Test
    @DisplayName("Service flow 2. Finish completes while the lease is current; updatedAt keeps the lease token")
    void shouldFinishWhenLeaseIsCurrent()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-finish");
            final Lease lease = execute(store, input);
            clock.advance(Duration.ofSeconds(3));
            assertTrue(store.finish(lease, Completion.of(Status.SUCCEEDED, 0, bytes("{\"id\":1}"))));
            final IdempotencyRecord done = store.get(input.key()).orElseThrow();
            assertEquals(new IdempotencyRecord(PRINCIPAL, METHOD, "k-finish", HASH, Status.SUCCEEDED, 0,
                bytes("{\"id\":1}"), lease.updatedAt(), lease.updatedAt(), input.expiresAt(), 1), done);
            assertFalse(store.finish(lease, Completion.of(Status.FAILED_FINAL, 1, bytes("late"))),
                "a spent lease finishes nothing");
            assertEquals(done, store.get(input.key()).orElseThrow());
        }
    }

    @Test
    @DisplayName("Service flow 2. Finish stores a given Completion.UpdatedAt, cut to UTC microseconds")
    void shouldStoreCompletionTimeWhenGiven()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-time");
            final Lease lease = execute(store, input);
            final Instant at = now(clock).plusNanos(5_123_789);
            assertTrue(store.finish(lease, new Completion(Status.FAILED_FINAL, 9, null, at)));
            final IdempotencyRecord done = store.get(input.key()).orElseThrow();
            assertEquals(now(clock).plusNanos(5_123_000), done.updatedAt());
            assertEquals(9, done.responseCode());
            assertArrayEquals(new byte[0], done.responsePayload());
        }
    }

    @Test
    @DisplayName("Service flow 2. Finish of an unknown key is refused and creates nothing")
    void shouldRefuseFinishWhenKeyIsAbsent()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final RecordKey key = new RecordKey(PRINCIPAL, METHOD, "k-ghost");
            assertFalse(store.finish(new Lease(key, now(clock), 1), Completion.of(Status.SUCCEEDED, 0, null)));
            assertTrue(store.get(key).isEmpty());
        }
    }

    @Test
    @DisplayName("Concurrency and safety: Complete matches status, updated_at (the lease token) and the fencing token")
    void shouldRefuseFinishWhenLeaseTokenOrFencingDiffers()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-cas");
            final Lease lease = execute(store, input);
            final IdempotencyRecord before = store.get(input.key()).orElseThrow();
            final Completion done = Completion.of(Status.SUCCEEDED, 0, bytes("x"));
            assertFalse(store.finish(new Lease(lease.key(), lease.updatedAt().plusNanos(1_000), 1), done));
            assertFalse(store.finish(new Lease(lease.key(), lease.updatedAt().minusNanos(1_000), 1), done));
            assertFalse(store.finish(new Lease(lease.key(), lease.updatedAt(), 2), done));
            assertEquals(before, store.get(input.key()).orElseThrow());
            final Lease sameMicros = new Lease(lease.key(), lease.updatedAt().plusNanos(999), 1);
            assertEquals(lease, sameMicros, "a lease token is normalised to microseconds");
            assertTrue(store.finish(sameMicros, done));
        }
    }

    @Test
    @DisplayName("Service flow 3. Reacquire moves FAILED_RETRYABLE back to IN_PROGRESS with a new lease, then Finish")
    void shouldReacquireAndFinishWhenFailedRetryable()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-retry");
            completed(store, input, Status.FAILED_RETRYABLE, "timeout upstream");
            final IdempotencyRecord failed = store.get(input.key()).orElseThrow();
            clock.advance(Duration.ofSeconds(5));
            final Instant token = now(clock).plusNanos(1_777);
            final Lease lease = store.reacquire(input.key(), token).orElseThrow();
            assertEquals(new Lease(input.key(), now(clock).plusNanos(1_000), 2), lease);
            assertEquals(new IdempotencyRecord(PRINCIPAL, METHOD, "k-retry", HASH, Status.IN_PROGRESS, 0, null,
                failed.createdAt(), lease.updatedAt(), failed.expiresAt(), 2), store.get(input.key()).orElseThrow());
            assertEquals(BeginDecision.IN_PROGRESS, store.begin(input).decision());
            assertTrue(store.reacquire(input.key(), token).isEmpty(), "only FAILED_RETRYABLE is reacquired");
            assertTrue(store.finish(lease, Completion.of(Status.SUCCEEDED, 0, bytes("paid"))));
            final BeginResult replay = store.begin(input);
            assertEquals(BeginDecision.REPLAY, replay.decision());
            assertArrayEquals(bytes("paid"), replay.existing().orElseThrow().responsePayload());
            assertEquals(2, replay.existing().orElseThrow().fencingToken());
        }
    }

    @Test
    @DisplayName("Service flow 3. Reacquire without a token uses the store clock")
    void shouldUseStoreClockWhenReacquireHasNoToken()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-clock");
            completed(store, input, Status.FAILED_RETRYABLE, "later");
            clock.advance(Duration.ofMillis(1_234));
            assertEquals(new Lease(input.key(), now(clock), 2), store.reacquire(input.key()).orElseThrow());
        }
    }

    @Test
    @DisplayName("Service flow 3. Reacquire of an absent, IN_PROGRESS, SUCCEEDED or FAILED_FINAL key returns empty")
    void shouldNotReacquireWhenNotFailedRetryable()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            assertTrue(store.reacquire(new RecordKey(PRINCIPAL, METHOD, "k-none"), now(clock)).isEmpty());
            assertTrue(store.get(new RecordKey(PRINCIPAL, METHOD, "k-none")).isEmpty());
            execute(store, input(clock, "k-run"));
            completed(store, input(clock, "k-ok"), Status.SUCCEEDED, "ok");
            completed(store, input(clock, "k-no"), Status.FAILED_FINAL, "no");
            clock.advance(LEASE_TIMEOUT.multipliedBy(2));
            for (final String key : List.of("k-run", "k-ok", "k-no"))
            {
                final RecordKey recordKey = new RecordKey(PRINCIPAL, METHOD, key);
                final IdempotencyRecord before = store.get(recordKey).orElseThrow();
                assertTrue(store.reacquire(recordKey, now(clock)).isEmpty(), key);
                assertEquals(before, store.get(recordKey).orElseThrow(), key);
            }
        }
    }

    @Test
    @DisplayName("Concurrency and safety: a stale worker cannot complete a newer retried attempt")
    void shouldRefuseStaleWorkerWhenAttemptWasRetried()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-stale");
            final Lease first = completed(store, input, Status.FAILED_RETRYABLE, "later");
            // The same token as the first lease: only the fencing token tells the attempts apart.
            final Lease second = store.reacquire(input.key(), first.updatedAt()).orElseThrow();
            assertEquals(first.updatedAt(), second.updatedAt());
            assertFalse(store.finish(first, Completion.of(Status.SUCCEEDED, 0, bytes("stale"))));
            final IdempotencyRecord running = store.get(input.key()).orElseThrow();
            assertEquals(Status.IN_PROGRESS, running.status());
            assertEquals(2, running.fencingToken());
            assertTrue(store.finish(second, Completion.of(Status.SUCCEEDED, 0, bytes("fresh"))));
            assertArrayEquals(bytes("fresh"), store.get(input.key()).orElseThrow().responsePayload());
            assertFalse(store.finish(first, Completion.of(Status.FAILED_FINAL, 0, bytes("stale"))));
            assertArrayEquals(bytes("fresh"), store.get(input.key()).orElseThrow().responsePayload());
        }
    }

    @Test
    @DisplayName("Beyond the document: an IN_PROGRESS lease older than the lease timeout is taken over, fenced")
    void shouldTakeOverAndRefuseOldWorkerWhenLeaseExpired()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-dead");
            final Lease old = execute(store, input);
            final IdempotencyRecord stale = store.get(input.key()).orElseThrow();
            clock.advance(LEASE_TIMEOUT.minusNanos(1_000));
            assertEquals(BeginDecision.IN_PROGRESS, store.begin(input).decision(), "one microsecond short");
            clock.advanceMicros(1);
            final BeginInput retry = input(clock, "k-dead");
            final BeginResult taken = store.begin(retry);
            assertEquals(BeginDecision.EXECUTE, taken.decision());
            assertTrue(taken.takenOver());
            assertEquals(stale, taken.existing().orElseThrow());
            final Lease lease = taken.lease().orElseThrow();
            assertEquals(new Lease(input.key(), now(clock), 2), lease);
            assertEquals(new IdempotencyRecord(PRINCIPAL, METHOD, "k-dead", HASH, Status.IN_PROGRESS, 0, null,
                stale.createdAt(), now(clock), retry.expiresAt(), 2), store.get(input.key()).orElseThrow());
            assertEquals(BeginDecision.IN_PROGRESS, store.begin(retry).decision(), "the new lease is live");
            assertFalse(store.finish(old, Completion.of(Status.SUCCEEDED, 0, bytes("zombie"))));
            assertTrue(store.finish(lease, Completion.of(Status.SUCCEEDED, 0, bytes("taken"))));
            assertArrayEquals(bytes("taken"), store.begin(retry).existing().orElseThrow().responsePayload());
        }
    }

    @Test
    @DisplayName("Beyond the document: a lease past its timeout that nobody took over still finishes")
    void shouldFinishWhenLeaseExpiredButNotTakenOver()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput input = input(clock, "k-slow");
            final Lease lease = execute(store, input);
            clock.advance(LEASE_TIMEOUT.multipliedBy(3));
            assertTrue(store.finish(lease, Completion.of(Status.SUCCEEDED, 0, bytes("slow"))));
            assertEquals(BeginDecision.REPLAY, store.begin(input).decision());
        }
    }

    @Test
    @DisplayName("Beyond the document: an expired terminal record counts as absent for Begin and Reacquire")
    void shouldTreatExpiredTerminalRecordAsAbsentWhenBegun()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final BeginInput ok = input(clock, "k-old");
            completed(store, ok, Status.SUCCEEDED, "old");
            final BeginInput retry = input(clock, "k-old-retry");
            completed(store, retry, Status.FAILED_RETRYABLE, "old");
            final Instant expiry = ok.expiresAt();
            clock.setMicros(Math.addExact(Math.multiplyExact(expiry.getEpochSecond(), 1_000_000L),
                expiry.getNano() / 1_000L));
            assertEquals(BeginDecision.REPLAY, store.begin(input(clock, "k-old")).decision(),
                "at expiresAt it is still live");
            assertEquals(BeginDecision.RETRYABLE, store.begin(input(clock, "k-old-retry")).decision());
            clock.advanceMicros(1);
            assertTrue(store.reacquire(retry.key()).isEmpty(), "an expired FAILED_RETRYABLE is not reacquired");
            final BeginInput fresh = new BeginInput(PRINCIPAL, METHOD, "k-old", "sha256:another-request",
                now(clock).plus(Duration.ofHours(1)));
            final BeginResult begun = store.begin(fresh);
            assertEquals(BeginDecision.EXECUTE, begun.decision(), "even with another request hash");
            assertFalse(begun.takenOver());
            assertTrue(begun.existing().isEmpty());
            final IdempotencyRecord replaced = store.get(fresh.key()).orElseThrow();
            assertEquals(new IdempotencyRecord(PRINCIPAL, METHOD, "k-old", "sha256:another-request",
                Status.IN_PROGRESS, 0, null, now(clock), now(clock), fresh.expiresAt(),
                begun.lease().orElseThrow().fencingToken()), replaced);
            assertEquals(BeginDecision.EXECUTE, store.begin(input(clock, "k-old-retry")).decision());
            assertEquals(0, store.deleteExpired(now(clock).plus(Duration.ofDays(30)), 10),
                "a replaced record leaves nothing expired behind");
            assertEquals(Status.IN_PROGRESS, store.get(fresh.key()).orElseThrow().status());
        }
    }

    @Test
    @DisplayName("DeleteExpired removes only terminal records whose expiresAt is before now, never IN_PROGRESS")
    void shouldDeleteOnlyExpiredTerminalRecordsWhenCleaning()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            completed(store, input(clock, "k-ok"), Status.SUCCEEDED, "a");
            completed(store, input(clock, "k-final"), Status.FAILED_FINAL, "b");
            completed(store, input(clock, "k-retry"), Status.FAILED_RETRYABLE, "c");
            execute(store, input(clock, "k-running"));
            completed(store, input(clock, "k-reacquired"), Status.FAILED_RETRYABLE, "d");
            assertTrue(store.reacquire(new RecordKey(PRINCIPAL, METHOD, "k-reacquired")).isPresent());
            final Instant expiry = input(clock, "x").expiresAt();
            clock.advance(Duration.ofHours(1));
            completed(store, input(clock, "k-later"), Status.SUCCEEDED, "e");
            assertEquals(0, store.deleteExpired(expiry, 100), "expiresAt must be before now");
            assertEquals(3, store.deleteExpired(expiry.plusNanos(1_000), 100));
            for (final String gone : List.of("k-ok", "k-final", "k-retry"))
            {
                assertTrue(store.get(new RecordKey(PRINCIPAL, METHOD, gone)).isEmpty(), gone);
                assertEquals(BeginDecision.EXECUTE, store.begin(input(clock, gone)).decision(), gone);
            }
            for (final String kept : List.of("k-running", "k-reacquired", "k-later"))
            {
                assertTrue(store.get(new RecordKey(PRINCIPAL, METHOD, kept)).isPresent(), kept);
            }
            assertEquals(1, store.deleteExpired(expiry.plus(Duration.ofDays(30)), 100),
                "only k-later: IN_PROGRESS records are never deleted, however old");
            assertTrue(store.get(new RecordKey(PRINCIPAL, METHOD, "k-later")).isEmpty());
            for (final String kept : List.of("k-running", "k-reacquired", "k-ok", "k-final", "k-retry"))
            {
                assertEquals(Status.IN_PROGRESS, store.get(new RecordKey(PRINCIPAL, METHOD, kept)).orElseThrow()
                    .status(), kept);
            }
        }
    }

    @Test
    @DisplayName("DeleteExpired removes at most its limit, oldest expiresAt first")
    void shouldDeleteOldestFirstWhenLimited()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            final IdempotencyStore store = factory.create();
            final int count = 300;
            for (int i = 0; i < count; i++)
            {
                // Expiries in descending order of insertion, spread over many hex digits.
                final Instant expires = now(clock).plus(Duration.ofHours(1)).plusSeconds((long)(count - i) * 977L);
                final BeginInput input = new BeginInput(PRINCIPAL, METHOD, "k-" + i, HASH, expires);
                completed(store, input, i % 2 == 0 ? Status.SUCCEEDED : Status.FAILED_FINAL, "r" + i);
            }
            final Instant far = now(clock).plus(Duration.ofDays(30));
            assertEquals(7, store.deleteExpired(far, 7));
            for (int i = 0; i < count; i++)
            {
                final boolean oldest = i >= count - 7;
                assertEquals(!oldest, store.get(new RecordKey(PRINCIPAL, METHOD, "k-" + i)).isPresent(), "k-" + i);
            }
            assertEquals(count - 7, store.deleteExpired(far, IdempotencyStore.DELETE_LIMIT_MAX));
            assertEquals(0, store.deleteExpired(far, 10));
        }
    }

    @Test
    @DisplayName("Storage model: every record survives a restart, and a lease from before it still finishes")
    void shouldKeepEveryRecordWhenRestarted()
    {
        final ManualClock clock = new ManualClock();
        try (StoreFactory<IdempotencyStore> factory = factory(dir, clock, LEASE_TIMEOUT))
        {
            org.junit.jupiter.api.Assumptions.assumeTrue(factory.isDurable(), "records are durable");
            final IdempotencyStore initial = factory.create();
            final Lease running = execute(initial, input(clock, "k-run"));
            completed(initial, input(clock, "k-ok"), Status.SUCCEEDED, "ok");
            completed(initial, input(clock, "k-no"), Status.FAILED_FINAL, "no");
            completed(initial, input(clock, "k-later"), Status.FAILED_RETRYABLE, "later");
            final BeginInput soon = new BeginInput(PRINCIPAL, METHOD, "k-gone", HASH, now(clock).plusSeconds(60));
            completed(initial, soon, Status.SUCCEEDED, "gone");
            final Instant cut = soon.expiresAt().plusNanos(1_000);
            final List<String> keys = List.of("k-run", "k-ok", "k-no", "k-later");
            final List<Optional<IdempotencyRecord>> before = keys.stream()
                .map(k -> initial.get(new RecordKey(PRINCIPAL, METHOD, k))).toList();
            final IdempotencyStore restarted = factory.restart();
            for (int i = 0; i < keys.size(); i++)
            {
                assertEquals(before.get(i), restarted.get(new RecordKey(PRINCIPAL, METHOD, keys.get(i))), keys.get(i));
            }
            assertEquals(BeginDecision.IN_PROGRESS, restarted.begin(input(clock, "k-run")).decision());
            assertEquals(BeginDecision.REPLAY, restarted.begin(input(clock, "k-ok")).decision());
            assertEquals(BeginDecision.REPLAY, restarted.begin(input(clock, "k-no")).decision());
            assertEquals(BeginDecision.RETRYABLE, restarted.begin(input(clock, "k-later")).decision());
            assertTrue(restarted.finish(running, Completion.of(Status.SUCCEEDED, 0, bytes("after restart"))));
            assertEquals(1, restarted.deleteExpired(cut, 10), "the expiry index survives too");
            final IdempotencyStore again = factory.restart();
            assertArrayEquals(bytes("after restart"),
                again.get(running.key()).orElseThrow().responsePayload());
            assertTrue(again.get(new RecordKey(PRINCIPAL, METHOD, "k-gone")).isEmpty(), "a delete survives too");
        }
    }
}
