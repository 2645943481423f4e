/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.stores.payments.ServerChannelRecord;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@code tally demo} kills: writes the {@link DemoWorkload} in Strict mode, one thread per run, and prints
 * {@code ack RUN ORDER} after each transaction returns (so it is durable); beside them one thread runs the
 * {@link DemoStores} payments through the contract stores and prints {@code settle}, {@code event} and {@code paid}
 * lines after each of those store calls returns; until the parent kills it with SIGKILL. A thread that fails prints
 * {@code failed THREAD: ERROR} and halts the process. Started by {@link DemoCommand} as a child JVM; its threads are
 * its own.
 */
public final class DemoChild
{
    private DemoChild()
    {
    }

    /**
     * Writes the workload.
     *
     * @param args the directory, the seed, the run count and the orders per run.
     * @throws InterruptedException when interrupted while waiting for the writers.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Path directory = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final int runCount = Integer.parseInt(args[2]);
        final int ordersPerRun = Integer.parseInt(args[3]);
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) ->
        {
            ack(out, "failed " + thread.getName() + ": " + ex);
            Runtime.getRuntime().halt(1);
        });
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.STRICT).open())
        {
            for (int r = 0; r < runCount; r++)
            {
                db.beginRun(DemoWorkload.run(seed, r));
                db.state().init(DemoWorkload.run(seed, r), DemoWorkload.COUNTER, Value.of(0L));
            }
            db.beginRun(DemoStores.handlerRun(seed));
            final DemoStores.Stores stores = DemoStores.open(db);
            final ServerChannelRecord channel = DemoStores.openChannel(stores.payments());
            ack(out, "ready");
            final Thread payments = new Thread(() -> pay(db, stores, seed, ordersPerRun, channel, out),
                "demo-payments");
            payments.start();
            final Thread[] writers = new Thread[runCount];
            for (int r = 0; r < runCount; r++)
            {
                final int run = r;
                writers[r] = new Thread(() ->
                {
                    for (int order = 0; order < ordersPerRun; order++)
                    {
                        DemoWorkload.placeOrder(db, seed, run, order);
                        ack(out, "ack " + run + " " + order);
                    }
                }, "demo-writer-" + r);
                writers[r].start();
            }
            for (final Thread writer : writers)
            {
                writer.join();
            }
            payments.join();
            for (int r = 0; r < runCount; r++)
            {
                db.endRun(DemoWorkload.run(seed, r));
            }
            ack(out, "done");
        }
    }

    /**
     * What the parent saw of a child: its pid, whether it was killed, the orders acknowledged per run, the store
     * calls acknowledged, and how long it wrote before the kill.
     *
     * @param pid               the child's pid.
     * @param isKilled          whether the parent killed it (else it finished).
     * @param acknowledged      per run, the number of orders acknowledged (a prefix: one writer per run).
     * @param acknowledgedCount all acknowledged orders.
     * @param storeAcks         the acknowledged contract-store calls.
     * @param writeNs           from the first write to the kill.
     */
    record Outcome(long pid, boolean isKilled, int[] acknowledged, int acknowledgedCount, DemoStores.Acks storeAcks,
        long writeNs)
    {
        double throughput()
        {
            return writeNs <= 0 ? 0 : acknowledgedCount / (writeNs / 1e9);
        }
    }

    private static void pay(final Database db, final DemoStores.Stores stores, final long seed,
        final int paymentCount, final ServerChannelRecord opened, final PrintStream out)
    {
        ServerChannelRecord channel = opened;
        for (int payment = 0; payment < paymentCount; payment++)
        {
            channel = DemoStores.pay(db, stores, seed, payment, channel, line -> ack(out, line));
        }
    }

    private static void ack(final PrintStream out, final String line)
    {
        synchronized (out)
        {
            out.println(line);
            out.flush();
        }
    }
}
