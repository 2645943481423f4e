/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.stores.idempotency.BeginInput;
import dev.tally.stores.payments.ExactPaymentCommit;
import dev.tally.stores.payments.ExactPaymentRecord;
import dev.tally.stores.payments.PaymentIdentifierRecord;
import dev.tally.stores.runstate.RunEventWrite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * A child JVM of {@link PostgresMultiProcessTest}: {@code contend <jdbcUrl> <dir> <name> <rounds>} waits for the go
 * file of each round and then contends once for the round's idempotency key, payment identifier, run event key and
 * channel lock, printing one line per outcome; {@code hold <jdbcUrl> <key>} takes a channel lock, prints
 * {@code ready} and sleeps until it is killed.
 */
public final class PostgresContenderChild
{
    private static final String HASH_A = "a".repeat(64);

    private PostgresContenderChild()
    {
    }

    /**
     * Runs the child.
     *
     * @param args the mode and its arguments.
     * @throws Exception when the workload fails (the parent sees the missing lines).
     */
    public static void main(final String[] args) throws Exception
    {
        try (PostgresStores stores = PostgresStores.builder().jdbcUrl(args[1]).poolSizeMax(4, 2)
            .acceptLosingAcknowledgedWrites().open())
        {
            if ("hold".equals(args[0]))
            {
                stores.channelLockManager().runExclusive(args[2], () ->
                {
                    System.out.println("ready");
                    System.out.flush();
                    try
                    {
                        Thread.sleep(600_000);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
                return;
            }
            contend(stores, Path.of(args[2]), args[3], Integer.parseInt(args[4]));
        }
    }

    private static void contend(final PostgresStores stores, final Path dir, final String name, final int rounds)
        throws Exception
    {
        final PostgresIdempotencyStore keys = stores.idempotencyStore();
        final PostgresServerStateStore payments = stores.serverStateStore("domain");
        final PostgresRunStateStore runs = stores.runStateStore();
        final PostgresChannelLockManager locks = stores.channelLockManager();
        for (int round = 0; round < rounds; round++)
        {
            System.out.println("ready " + round);
            System.out.flush();
            final Path go = dir.resolve("go-" + round);
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(go) && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            final String idem = keys.begin(new BeginInput("p", "m", "key-" + round, HASH_A,
                Instant.now().plusSeconds(3_600))).decision().name();
            System.out.println("idem " + round + " " + idem);
            final String transactionId = "tx-" + round + "-" + name;
            final String payment = payments.commitExactPayment(new ExactPaymentCommit(
                ExactPaymentRecord.of(transactionId, 0, HASH_A, HASH_A, new byte[] {1}),
                PaymentIdentifierRecord.forExact("pid-" + round, HASH_A, HASH_A, "scope", new byte[] {1},
                    transactionId))).getClass().getSimpleName();
            System.out.println("payment " + round + " " + payment);
            final RunEventWrite event = PostgresRunStateStoreConcurrencyTest.event("run-" + round, "step");
            System.out.println("event " + round + " " + runs.appendEvent(event).persisted());
            final long[] span = locks.runExclusive("channel-" + round, () ->
            {
                final long start = System.currentTimeMillis();
                try
                {
                    Thread.sleep(150);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                return new long[] {start, System.currentTimeMillis()};
            });
            System.out.println("lock " + round + " " + span[0] + " " + span[1]);
            System.out.flush();
        }
    }
}
