/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.Value;
import dev.tally.engine.CasResult;
import dev.tally.engine.Database;
import dev.tally.engine.DatabaseStats;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.StateValue;
import dev.tally.engine.TxResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The {@code tally demo} command: a payment-like workflow run on an embedded Strict-mode database in a temporary
 * folder, then a reopen that rebuilds the same state from the log. Called on the main thread by {@link Tally}.
 */
final class Demo
{
    private static final int ORDERS = 2_000;
    private static final int WORKERS = 4;

    private Demo()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Path directory;
        try
        {
            directory = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("tally-demo-");
        }
        catch (final IOException ex)
        {
            err.println("tally demo: cannot create a temporary folder: " + ex.getMessage());
            return 1;
        }
        try
        {
            final String hash = writeWorkflow(directory, out);
            return reopenAndCheck(directory, hash, out, err);
        }
        catch (final TallyException ex)
        {
            err.println("tally demo: " + ex.getMessage());
            return 1;
        }
        finally
        {
            if (args.length == 0)
            {
                deleteQuietly(directory);
            }
        }
    }

    private static String writeWorkflow(final Path directory, final PrintStream out)
    {
        out.println("database: " + directory + " (Strict: every call returns once its write is durable)");
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.STRICT).open())
        {
            final RunId run = RunId.random();
            db.beginRun(run);
            db.state().init(run, "orders.settled", Value.of(0L));
            final long start = System.nanoTime();
            final java.util.concurrent.atomic.AtomicLong retries = new java.util.concurrent.atomic.AtomicLong();
            final Thread[] workers = new Thread[WORKERS];
            for (int w = 0; w < WORKERS; w++)
            {
                final int worker = w;
                workers[w] = new Thread(() -> placeOrders(db, run, worker, retries), "demo-worker-" + w);
                workers[w].start();
            }
            for (final Thread worker : workers)
            {
                joinQuietly(worker);
            }
            final long elapsedNs = System.nanoTime() - start;
            final CasResult stale = db.state().cas(run, "orders.settled", 1, Value.of(-1L));
            out.printf(java.util.Locale.ROOT, "%d transactions (KV put + event append + state CAS each) from %d threads"
                + " in %.1f ms; %d conflicts retried%n", ORDERS, WORKERS, elapsedNs / 1e6, retries.get());
            out.println("settled counter: " + db.state().get(run, "orders.settled").orElseThrow());
            out.println("a stale compare-and-set is refused as a value: " + stale);
            out.println("orders listed under 'order/000': " + db.kv().list(run, "order/000").size());
            db.endRun(run);
            final DatabaseStats stats = db.stats();
            out.printf(java.util.Locale.ROOT, "log: %d frames, %d forces (concurrent commits share a force),"
                + " %d bytes%n", stats.appends(), stats.forces(), stats.bytesWritten());
            final String hash = db.stateHash();
            out.println("state hash: " + hash);
            return hash;
        }
    }

    private static void placeOrders(final Database db, final RunId run, final int worker,
        final java.util.concurrent.atomic.AtomicLong retries)
    {
        for (int i = worker; i < ORDERS; i += WORKERS)
        {
            final String order = "order/" + String.format(java.util.Locale.ROOT, "%05d", i);
            final long amount = 100L + i;
            while (true)
            {
                final TxResult<Long> result = db.transaction(run, tx ->
                {
                    tx.put(order, Value.of(amount));
                    final long sequence = tx.append("order.placed", Value.of(order));
                    final StateValue settled = tx.cell("orders.settled").orElseThrow();
                    tx.casCell("orders.settled", settled.version(),
                        Value.of(settled.value().asLong() + 1));
                    return sequence;
                });
                if (result.isCommitted())
                {
                    break;
                }
                retries.incrementAndGet();
            }
        }
    }

    private static void joinQuietly(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static int reopenAndCheck(final Path directory, final String hash, final PrintStream out,
        final PrintStream err)
    {
        try (Database db = Database.open(directory))
        {
            final String recovered = db.stateHash();
            out.println("reopened; recovered state hash: " + recovered);
            if (!recovered.equals(hash))
            {
                err.println("tally demo: recovered state differs from the state before close");
                return 1;
            }
            out.println("recovery rebuilt the same state, byte for byte");
            return 0;
        }
    }

    private static void deleteQuietly(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // A leftover temporary folder is harmless; the demo's result stands.
        }
    }
}
