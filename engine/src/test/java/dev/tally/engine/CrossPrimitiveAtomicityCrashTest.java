/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.testing.Seeds;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: a transaction across KV, an event, a state cell and a JSON document is wholly present or wholly absent after
 * reopen, also when the process dies by SIGKILL at any moment.
 *
 * <p>Method: in process, committed, conflicted and failed transactions are checked across a reopen. Then a child JVM
 * ({@link CrashChild}) commits such transactions in a loop in Strict mode and prints each acknowledged number; it is
 * killed with {@code destroyForcibly()} after a seeded random delay. After reopen, every acknowledged transaction is
 * wholly present, none is partly present, and at most one unacknowledged transaction (the one in flight) appears.
 * The same directory takes every cycle, one run per cycle, so earlier cycles' data must also survive later crashes.
 * A killed process keeps the page cache, so this checks atomic visibility and recovery, not fsync ordering.
 *
 * <p>Replay: failures name the seed; {@code -Dtests.seed=<seed>} replays its kill delays. The default suite runs
 * {@value #CYCLES_DEFAULT} kill cycles; the {@code crash} tag runs {@value #CYCLES_HEAVY}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrossPrimitiveAtomicityCrashTest
{
    private static final int CYCLES_DEFAULT = 12;
    private static final int CYCLES_HEAVY = 150;

    static List<Long> seeds()
    {
        return Seeds.seeds(20_260_501L);
    }

    private static void crossPrimitive(final Transaction tx, final long n)
    {
        tx.put("tx/" + n, Value.of(n));
        tx.append("tx", Value.of(n));
        tx.setCell("last", Value.of(n));
        tx.createJson("doc/" + n, Json.createObjectBuilder().add("n", n).build());
    }

    /**
     * How many transactions of a run are present, checking that each is wholly present and that nothing of a later
     * one is.
     */
    private static long presentTransactions(final Database db, final RunId run, final long upTo, final String context)
    {
        final long events = db.events().count(run);
        for (long n = 1; n <= upTo; n++)
        {
            final boolean present = n <= events;
            final String what = context + ", run=" + run + ", tx=" + n + ", events=" + events;
            assertEquals(present ? Optional.of(Value.of(n)) : Optional.empty(), db.kv().get(run, "tx/" + n),
                "kv part of " + what);
            if (present)
            {
                final Event event = db.events().read(run, n).orElseThrow();
                assertEquals(Value.of(n), event.payload(), "event part of " + what);
                final JsonObject doc = (JsonObject)db.json().get(run, "doc/" + n).orElseThrow(
                    () -> new AssertionError("json part missing of " + what)).document();
                assertEquals(n, doc.getJsonNumber("n").longValue(), "json part of " + what);
            }
            else
            {
                assertEquals(Optional.empty(), db.json().get(run, "doc/" + n), "json part of " + what);
            }
        }
        assertEquals(events == 0 ? Optional.empty() : Optional.of(new StateValue(Value.of(events), events)),
            db.state().get(run, "last"), "cell part, " + context + ", run=" + run);
        assertEquals(events, db.kv().list(run, "tx/").size(), "no extra kv, " + context);
        return events;
    }

    @Test
    void shouldKeepTransactionsWholeWhenCommittedConflictedOrFailedAcrossReopen(@TempDir final Path dir)
    {
        final RunId run = RunId.of(77, 1);
        final String hash;
        try (Database db = Database.builder().directory(dir).segmentLength(64 << 10).open())
        {
            db.beginRun(run);
            for (long n = 1; n <= 3; n++)
            {
                final long tx = n;
                assertTrue(db.transaction(run, t ->
                {
                    crossPrimitive(t, tx);
                    return null;
                }).isCommitted());
            }
            // conflicted: the body reads the cell, then the cell changes before the commit
            final TxResult<Object> conflicted = db.transaction(run, t ->
            {
                t.cell("last");
                crossPrimitive(t, 4);
                db.state().set(run, "other", Value.of(0));
                db.state().set(run, "last", Value.of(3));
                return null;
            });
            assertInstanceOf(TxResult.Conflicted.class, conflicted);
            // failed: the body throws after buffering writes to every primitive
            assertThrows(IllegalStateException.class, () -> db.transaction(run, t ->
            {
                crossPrimitive(t, 4);
                throw new IllegalStateException("body failed");
            }));
            db.state().set(run, "last", Value.of(3)); // version 5 now: undo nothing, just move on
            hash = db.stateHash();
        }
        try (Database db = Database.builder().directory(dir).open())
        {
            assertEquals(hash, db.stateHash());
            assertEquals(3, db.events().count(run));
            for (long n = 1; n <= 3; n++)
            {
                assertEquals(Optional.of(Value.of(n)), db.kv().get(run, "tx/" + n));
                assertTrue(db.json().get(run, "doc/" + n).isPresent());
            }
            assertEquals(Optional.empty(), db.kv().get(run, "tx/4"), "a conflicted or failed transaction left KV");
            assertEquals(Optional.empty(), db.json().get(run, "doc/4"), "... or JSON");
            assertEquals(5, db.state().get(run, "last").orElseThrow().version(), "3 sets + 2 outside sets");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldRecoverEveryAcknowledgedTransactionWholeWhenTheProcessIsKilled(final long seed,
        @TempDir final Path dir) throws Exception
    {
        killCycles(seed, dir, CYCLES_DEFAULT);
    }

    @Tag("crash")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldRecoverEveryAcknowledgedTransactionWholeWhenKilledManyTimes(final long seed, @TempDir final Path dir)
        throws Exception
    {
        killCycles(seed, dir, CYCLES_HEAVY);
    }

    private static void killCycles(final long seed, final Path dir, final int cycles) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final TreeMap<RunId, Long> survived = new TreeMap<>();
        long acknowledgedTotal = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            final RunId run = RunId.of(seed, cycle + 1);
            final long delayMs = rnd.nextLong(0, 400);
            final String context = Seeds.describe(seed) + ", cycle=" + cycle + ", delayMs=" + delayMs;
            final long acknowledged = runAndKill(dir, run, delayMs, context);
            try (Database db = Database.builder().directory(dir).segmentLength(64 << 10).open())
            {
                final long present = presentTransactions(db, run, acknowledged + 2, context);
                assertTrue(present >= acknowledged, "an acknowledged transaction was lost: acknowledged="
                    + acknowledged + ", present=" + present + ", " + context);
                assertTrue(present <= acknowledged + 1, "more than the one in-flight transaction appeared: "
                    + "acknowledged=" + acknowledged + ", present=" + present + ", " + context);
                for (final var earlier : survived.entrySet())
                {
                    assertEquals(earlier.getValue(), presentTransactions(db, earlier.getKey(), earlier.getValue() + 1,
                        context + " (earlier run)"), "an earlier cycle's transactions changed");
                }
                if (present > 0)
                {
                    survived.put(run, present);
                }
                assertTrue(db.orphanedRuns().contains(run) || acknowledged == 0 && present == 0,
                    "the killed run is orphaned");
            }
            acknowledgedTotal += acknowledged;
        }
        System.out.println("crash cycles: seed=" + seed + ", cycles=" + cycles + ", acknowledged=" + acknowledgedTotal);
        assertTrue(acknowledgedTotal > 0, "no child acknowledged anything: " + Seeds.describe(seed));
    }

    /**
     * Starts the child, waits until it is ready plus a delay, kills it and returns the last acknowledged number. The
     * child's stdout goes to a file, so every line it printed before the kill is read afterwards (a pipe's unread
     * end is closed by the kill).
     */
    private static long runAndKill(final Path dir, final RunId run, final long delayMs, final String context)
        throws IOException, InterruptedException
    {
        final Path stdout = dir.resolveSibling(dir.getFileName() + "-child-stdout.txt");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashChild.class.getName());
        command.add(dir.toString());
        command.add(Long.toString(run.uuid().getMostSignificantBits()));
        command.add(Long.toString(run.uuid().getLeastSignificantBits()));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(stdout.toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(stdout).startsWith("ready\n"))
            {
                assertTrue(process.isAlive(), "child died before it was ready: " + context);
                assertTrue(System.nanoTime() < deadline, "child never became ready: " + context);
                Thread.sleep(5);
            }
            Thread.sleep(delayMs);
            assertTrue(process.isAlive(), "child died by itself: " + context);
        }
        finally
        {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "child did not die: " + context);
        }
        final String text = Files.readString(stdout, StandardCharsets.UTF_8);
        Files.delete(stdout);
        // only whole lines count: a line the kill cut short has no newline and acknowledges nothing
        final String[] lines = text.substring(0, text.lastIndexOf('\n') + 1).split("\n");
        long acknowledged = 0;
        for (int i = 1; i < lines.length; i++)
        {
            if (!lines[i].startsWith("ack "))
            {
                throw new AssertionError("unexpected child output: " + lines[i] + ", " + context);
            }
            final long n = Long.parseLong(lines[i].substring(4));
            assertEquals(acknowledged + 1, n, "acknowledgements in order: " + context);
            acknowledged = n;
        }
        return acknowledged;
    }
}
