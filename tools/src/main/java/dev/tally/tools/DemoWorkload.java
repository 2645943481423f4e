/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.SpanRecord;
import dev.tally.engine.StateValue;
import dev.tally.engine.Transaction;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * The demo's workload, known to the child that writes it and to the parent that checks it: run {@code r} of a seed
 * has a fixed id, and its order {@code i} is one Strict transaction across all five primitives (a key-value put, an
 * event, a state-cell compare-and-set, a JSON document and a span), so that any recovered state can be compared with
 * what was acknowledged. The contract stores' workload beside it is {@link DemoStores}. Stateless; any thread.
 */
final class DemoWorkload
{
    static final String COUNTER = "orders.count";
    static final String EVENT_TYPE = "order.placed";
    static final String ORDER_PREFIX = "order/";

    private DemoWorkload()
    {
    }

    static RunId run(final long seed, final int index)
    {
        return new RunId(UUID.nameUUIDFromBytes(("tally-demo-" + seed + "-run-" + index)
            .getBytes(StandardCharsets.UTF_8)));
    }

    static String orderKey(final int order)
    {
        return ORDER_PREFIX + String.format(Locale.ROOT, "%06d", order);
    }

    static long amount(final long seed, final int run, final int order)
    {
        return 100 + Math.floorMod(seed * 31 + run * 7919L + order * 104_729L, 10_000);
    }

    /**
     * Writes one order as one transaction, retrying on conflict (no other writer touches the run, so there is none).
     *
     * @param db    the database.
     * @param seed  the workload's seed.
     * @param run   the run's index.
     * @param order the order's index within the run.
     */
    static void placeOrder(final Database db, final long seed, final int run, final int order)
    {
        final RunId runId = run(seed, run);
        final String key = orderKey(order);
        final long amount = amount(seed, run, order);
        while (!db.transaction(runId, tx -> write(tx, key, amount, order)).isCommitted())
        {
            Thread.onSpinWait();
        }
    }

    private static Boolean write(final Transaction tx, final String key, final long amount, final int order)
    {
        tx.put(key, Value.of(amount));
        tx.append(EVENT_TYPE, Value.of(key));
        final StateValue counter = tx.cell(COUNTER).orElseThrow();
        tx.casCell(COUNTER, counter.version(), Value.of(counter.value().asLong() + 1));
        tx.createJson(key, Json.object().add("amount", amount).add("status", "placed").build());
        tx.recordSpan(SpanRecord.of("place-order", order, order + 1L).withAttribute("order", Value.of(key)));
        return Boolean.TRUE;
    }
}
