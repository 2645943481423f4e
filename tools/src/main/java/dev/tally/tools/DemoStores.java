/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.stores.idempotency.BeginDecision;
import dev.tally.stores.idempotency.BeginInput;
import dev.tally.stores.idempotency.BeginResult;
import dev.tally.stores.idempotency.Completion;
import dev.tally.stores.idempotency.EmbeddedIdempotencyStore;
import dev.tally.stores.idempotency.IdempotencyStore;
import dev.tally.stores.idempotency.Lease;
import dev.tally.stores.idempotency.Status;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.payments.EmbeddedServerStateStore;
import dev.tally.stores.payments.ServerChannelRecord;
import dev.tally.stores.payments.ServerStateStore;
import dev.tally.stores.payments.SettlementCommit;
import dev.tally.stores.payments.SettlementResult;
import dev.tally.stores.runstate.AppendResult;
import dev.tally.stores.runstate.EmbeddedRunStateStore;
import dev.tally.stores.runstate.EventTypes;
import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunStateStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The demo's contract-store workload, known to the child that writes it and to the parent that checks it
 * ({@link DemoStoreChecks}): payment {@code i} of a seed is begun in the idempotency store under key
 * {@code pay-<i>}, and on EXECUTE its handler runs: it counts its own run in a key-value write, then settles the
 * payment's amount on the one payment channel (a compare-and-set to version {@code i + 1}); a run state event
 * records the settled step; the idempotency record is finished SUCCEEDED with the handler's response. Every value is a
 * function of the seed and {@code i}. Stateless; the child's payments thread calls {@link #pay}.
 */
final class DemoStores
{
    static final String STORE_NAME = "demo";
    static final String CHANNEL_ID = "demo-channel";
    static final String FUNDING_AMOUNT = "1000000000000";
    static final String EVENT_RUN_ID = "demo-payments";
    static final String HANDLER_RUNS_PREFIX = "handler-runs/";
    private static final String PRINCIPAL = "tally-demo";
    private static final String METHOD = "/tally.demo.v1.Payments/Pay";
    private static final String EMITTED_AT = "2026-01-01T00:00:00.000000Z";

    private DemoStores()
    {
    }

    /**
     * The engine run that counts the handler's runs, one key-value entry per payment.
     *
     * @param seed the workload's seed.
     * @return the run id.
     */
    static RunId handlerRun(final long seed)
    {
        return new RunId(UUID.nameUUIDFromBytes(("tally-demo-" + seed + "-payments")
            .getBytes(StandardCharsets.UTF_8)));
    }

    static String paymentKey(final int payment)
    {
        return "pay-" + String.format(Locale.ROOT, "%06d", payment);
    }

    static String commitmentId(final int payment)
    {
        return "commit-" + String.format(Locale.ROOT, "%06d", payment);
    }

    static long amount(final long seed, final int payment)
    {
        return DemoWorkload.amount(seed, -1, payment);
    }

    /**
     * The channel's cumulative charge after {@code count} settlements.
     *
     * @param seed  the workload's seed.
     * @param count the number of settlements.
     * @return the sum of their amounts.
     */
    static long charged(final long seed, final int count)
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += amount(seed, i);
        }
        return sum;
    }

    static BeginInput input(final int payment)
    {
        final String key = paymentKey(payment);
        return new BeginInput(PRINCIPAL, METHOD, key, sha256(METHOD + " " + key), Instant.now()
            .plus(Duration.ofDays(1)));
    }

    /**
     * The response the handler returns for a payment, and the idempotency store keeps to replay.
     *
     * @param seed    the workload's seed.
     * @param payment the payment's index.
     * @return the response bytes.
     */
    static byte[] response(final long seed, final int payment)
    {
        return ("settled " + commitmentId(payment) + ": amount " + amount(seed, payment) + ", channel version "
            + (payment + 1) + ", charged " + charged(seed, payment + 1)).getBytes(StandardCharsets.UTF_8);
    }

    static String eventId(final long seed, final int payment)
    {
        return new UUID(seed, payment).toString();
    }

    /**
     * The run state event that records a payment's settled step.
     *
     * @param seed    the workload's seed.
     * @param payment the payment's index.
     * @return the write, with its derived idempotency key.
     */
    static RunEventWrite event(final long seed, final int payment)
    {
        return RunEventWrite.builder().eventId(eventId(seed, payment)).eventType(EventTypes.STEP_COMPLETED)
            .emittedAt(EMITTED_AT).runId(EVENT_RUN_ID).tenantId("demo").projectId("tally-demo")
            .environmentId("local").planId("payments").planVersion("1").engineAttemptId(1).logicalAttemptId(1)
            .stepId(paymentKey(payment))
            .payload(Json.object().add("commitmentId", commitmentId(payment)).add("amount", amount(seed, payment))
                .build())
            .derivedIdempotencyKey().build();
    }

    /**
     * Opens the three stores, each under the demo's name, beginning their namespace runs on first use.
     *
     * @param db the database, Strict.
     * @return the stores.
     */
    static Stores open(final Database db)
    {
        return new Stores(EmbeddedIdempotencyStore.builder(db).name(STORE_NAME).open(),
            EmbeddedRunStateStore.builder(db).name(STORE_NAME).open(),
            EmbeddedServerStateStore.builder(db).name(STORE_NAME).open());
    }

    /**
     * Opens the payment channel at version 0, or finds it.
     *
     * @param payments the server state store.
     * @return the channel as stored.
     */
    static ServerChannelRecord openChannel(final ServerStateStore payments)
    {
        return payments.openChannel(ServerChannelRecord.opened(CHANNEL_ID, FUNDING_AMOUNT, "demo-outpoint"))
            .channel();
    }

    /**
     * Runs one payment through the three stores, calling {@code ack} with {@code settle I VERSION},
     * {@code event I RUNSEQ} and {@code paid I} after each of those store calls returned.
     *
     * @param db          the database, for the handler's run count.
     * @param stores      the three stores.
     * @param seed        the workload's seed.
     * @param payment     the payment's index, one more than the last one's.
     * @param channel     the channel as the last settlement left it.
     * @param ack         prints an acknowledgement line.
     * @return the channel after this payment's settlement.
     * @throws IllegalStateException when a store answers other than a lone writer's call must be answered.
     */
    static ServerChannelRecord pay(final Database db, final Stores stores, final long seed, final int payment,
        final ServerChannelRecord channel, final Consumer<String> ack)
    {
        final BeginResult begun = stores.idempotency().begin(input(payment));
        if (begun.decision() != BeginDecision.EXECUTE)
        {
            throw new IllegalStateException("a new payment was not executed: payment=" + payment + ", " + begun);
        }
        final Lease lease = begun.lease().orElseThrow();
        final ServerChannelRecord settled = handle(db, stores.payments(), seed, payment, channel);
        ack.accept("settle " + payment + " " + settled.version());
        final AppendResult appended = stores.runState().appendEvent(event(seed, payment));
        ack.accept("event " + payment + " " + appended.runSeq());
        if (!stores.idempotency().finish(lease, Completion.of(Status.SUCCEEDED, 0, response(seed, payment))))
        {
            throw new IllegalStateException("a current lease did not finish: payment=" + payment);
        }
        ack.accept("paid " + payment);
        return settled;
    }

    private static ServerChannelRecord handle(final Database db, final ServerStateStore payments, final long seed,
        final int payment, final ServerChannelRecord channel)
    {
        final RunId run = handlerRun(seed);
        final String runsKey = HANDLER_RUNS_PREFIX + paymentKey(payment);
        final long runs = db.kv().get(run, runsKey).map(Value::asLong).orElse(0L);
        db.kv().put(run, runsKey, Value.of(runs + 1));
        final String charged = Long.toString(Long.parseLong(channel.chargedCumulativeAmount())
            + amount(seed, payment));
        final ServerChannelRecord next = channel.charged(charged, charged, "voucher-" + payment,
            commitmentId(payment));
        final BatchCommitmentRecord commitment = new BatchCommitmentRecord(commitmentId(payment), CHANNEL_ID,
            sha256(paymentKey(payment)), Long.toString(amount(seed, payment)), charged, null,
            response(seed, payment), null);
        final SettlementResult result = payments.commitSettlement(new SettlementCommit(channel, next, commitment,
            null));
        if (!(result instanceof SettlementResult.Committed committed))
        {
            throw new IllegalStateException("a settlement of the only writer did not commit: payment=" + payment
                + ", " + result);
        }
        return committed.channel();
    }

    private static String sha256(final String text)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    /**
     * The three contract stores on one database.
     *
     * @param idempotency the idempotency store that guards the payment handler.
     * @param runState    the run state store of the payment steps' events.
     * @param payments    the server state store of the payment channel.
     */
    record Stores(IdempotencyStore idempotency, RunStateStore runState, ServerStateStore payments)
    {
    }

    /**
     * What the parent read of the child's store acknowledgements: per payment, in order, the channel version its
     * settlement returned, the runSeq its event got, and whether its finish returned. One payments thread in the
     * child, so each list is a prefix of the payments. The parent's reading thread.
     */
    static final class Acks
    {
        private final List<Long> settledVersions = new ArrayList<>();
        private final List<Long> eventRunSeqs = new ArrayList<>();
        private int paidCount;

        /**
         * Takes one line of the child's output.
         *
         * @param line the line.
         * @return whether it was a store acknowledgement.
         * @throws IllegalStateException when the line acknowledges a payment out of order.
         */
        boolean accept(final String line)
        {
            final String[] parts = line.split(" ");
            switch (parts[0])
            {
                case "settle" -> add(settledVersions, parts);
                case "event" -> add(eventRunSeqs, parts);
                case "paid" ->
                {
                    expectPayment(parts, paidCount);
                    paidCount++;
                }
                default ->
                {
                    return false;
                }
            }
            return true;
        }

        private static void add(final List<Long> values, final String[] parts)
        {
            expectPayment(parts, values.size());
            values.add(Long.parseLong(parts[2]));
        }

        private static void expectPayment(final String[] parts, final int payment)
        {
            if (Integer.parseInt(parts[1]) != payment)
            {
                throw new IllegalStateException("the child acknowledged payment " + parts[1] + " of " + parts[0]
                    + " where " + payment + " was next");
            }
        }

        List<Long> settledVersions()
        {
            return settledVersions;
        }

        List<Long> eventRunSeqs()
        {
            return eventRunSeqs;
        }

        int paidCount()
        {
            return paidCount;
        }

        int count()
        {
            return settledVersions.size() + eventRunSeqs.size() + paidCount;
        }
    }
}
