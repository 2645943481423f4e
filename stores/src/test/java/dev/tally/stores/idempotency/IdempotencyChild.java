/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.core.Clock;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The workload of {@link IdempotencyStoreCrashTest}, run in a child JVM until it is killed: on a Strict database in
 * the given directory, begin / handler / finish cycles of new keys {@code <round>-<index>}; every fifth key first
 * finishes {@code FAILED_RETRYABLE}, is reacquired, then succeeds. After each acknowledged finish it prints
 * {@code <key> <STATUS>}. Keys {@code <round>-warm-<index>} are begun and finished before {@code ready}. Run by
 * the child JVM's main thread only.
 */
public final class IdempotencyChild
{
    private static final int WARM_UP_COUNT = 20;

    private IdempotencyChild()
    {
    }

    /**
     * Runs the workload.
     *
     * @param args the database directory and the round number.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final Database db = Database.builder().directory(Path.of(args[0])).durability(DurabilityMode.STRICT)
            .segmentLength(4 << 20).clock(Clock.system()).open();
        final IdempotencyStore store = EmbeddedIdempotencyStore.builder(db).open();
        // Warm up (and recover) before the parent's clock starts, so every round acknowledges something.
        for (int warm = 0; warm < WARM_UP_COUNT; warm++)
        {
            final BeginResult begun = store.begin(input(args[1] + "-warm-" + warm));
            begun.lease().ifPresent(lease -> store.finish(lease, Completion.of(Status.SUCCEEDED, 0, null)));
        }
        out.println("ready");
        // Bounded by the kill: the parent always kills the child, and the loop stops at a million keys regardless.
        for (int index = 0; index < 1_000_000; index++)
        {
            final String key = args[1] + "-" + index;
            final BeginResult begun = store.begin(input(key));
            if (begun.decision() != BeginDecision.EXECUTE)
            {
                throw new IllegalStateException("a new key was not executed: " + begun);
            }
            Lease lease = begun.lease().orElseThrow();
            if (index % 5 == 0)
            {
                check(store.finish(lease, Completion.of(Status.FAILED_RETRYABLE, 14, payload(key))), key);
                out.println(key + " " + Status.FAILED_RETRYABLE);
                lease = store.reacquire(lease.key()).orElseThrow();
            }
            check(store.finish(lease, Completion.of(Status.SUCCEEDED, 0, payload(key))), key);
            out.println(key + " " + Status.SUCCEEDED);
        }
    }

    /**
     * The input of a key of the workload.
     *
     * @param key the idempotency key.
     * @return the input.
     */
    static BeginInput input(final String key)
    {
        return new BeginInput("child", "/payments.v1.Payments/Charge", key, "hash-" + key,
            Instant.now().plus(Duration.ofDays(1)));
    }

    /**
     * The response the workload stores for a key.
     *
     * @param key the key.
     * @return the payload.
     */
    static byte[] payload(final String key)
    {
        return ("response of " + key).getBytes(StandardCharsets.UTF_8);
    }

    private static void check(final boolean finished, final String key)
    {
        if (!finished)
        {
            throw new IllegalStateException("a current lease did not finish: key=" + key);
        }
    }
}
