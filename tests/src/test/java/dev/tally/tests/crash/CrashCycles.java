/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.Event;
import dev.tally.engine.JsonDoc;
import dev.tally.engine.StateValue;
import dev.tally.recovery.RecoveryCase;
import dev.tally.recovery.RecoveryResult;
import jakarta.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CrashWriterMain} in a child JVM, kills it with SIGKILL at a random moment, and verifies the directory
 * in this JVM: no acknowledged write lost, nothing invented, no partial transaction, no failed open. One instance per
 * database directory; a chain of cycles runs on the same directory, each cycle writing its own keys.
 */
public final class CrashCycles
{
    /** Lines a child printed, and how it ended. */
    public record Outcome(int cycle, long seed, DurabilityMode mode, int lastAck, int lastFlushed, int snapshots,
        boolean ready, boolean killed, List<String> lines)
    {
        /** The highest transaction index that must have survived, or -1. */
        public int mustSurvive()
        {
            return mode == DurabilityMode.STRICT ? lastAck : lastFlushed;
        }
    }

    private final Path directory;
    private final Path stderr;
    private final List<Outcome> history = new ArrayList<>();
    private final List<Integer> recovered = new ArrayList<>();

    /**
     * Creates a chain on a directory.
     *
     * @param directory the database directory (created by the first child).
     * @param stderr    where children's stderr goes, outside the database directory.
     */
    public CrashCycles(final Path directory, final Path stderr)
    {
        this.directory = directory;
        this.stderr = stderr;
    }

    /**
     * The history so far.
     *
     * @return the outcomes, in cycle order.
     */
    public List<Outcome> history()
    {
        return Collections.unmodifiableList(history);
    }

    /**
     * How many transactions of each cycle recovery kept, as of the last verification.
     *
     * @return one count per cycle.
     */
    public List<Integer> recovered()
    {
        return Collections.unmodifiableList(recovered);
    }

    /**
     * Starts a JVM running a main class of the test sources with this JVM's class path, tuned to start fast.
     *
     * @param mainClass the class.
     * @param jvmOptions extra JVM options.
     * @param args      its arguments.
     * @param stderr    where its stderr goes.
     * @return the process.
     */
    public static Process startJvm(final Class<?> mainClass, final List<String> jvmOptions, final List<String> args,
        final Path stderr)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx128m");
        command.add("-ea");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        try
        {
            return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Runs one cycle: a child writes until killed, then this JVM verifies every cycle so far.
     *
     * @param mode          the durability mode.
     * @param seed          the cycle's seed: the child's choices and the kill delay.
     * @param workMsMax     the longest the child works after it is ready.
     * @param flushEvery    Buffered: flush every this many transactions.
     * @param snapshotEvery one snapshot per this many transactions on average, or 0.
     * @return the outcome.
     */
    public Outcome runCycle(final DurabilityMode mode, final long seed, final int workMsMax, final int flushEvery,
        final int snapshotEvery)
    {
        return runCycle(mode, seed, workMsMax, flushEvery, snapshotEvery, true);
    }

    /**
     * Runs one cycle, as {@link #runCycle(DurabilityMode, long, int, int, int)}; without early kills the random delay
     * starts only once the child acknowledged (Strict) or flushed (Buffered) its first transaction, so every cycle
     * has something that must survive.
     *
     * @param mode          the durability mode.
     * @param seed          the cycle's seed.
     * @param workMsMax     the longest the child works after the delay starts.
     * @param flushEvery    Buffered: flush every this many transactions.
     * @param snapshotEvery one snapshot per this many transactions on average, or 0.
     * @param earlyKills    whether one kill in eight may land before the child is ready.
     * @return the outcome.
     */
    public Outcome runCycle(final DurabilityMode mode, final long seed, final int workMsMax, final int flushEvery,
        final int snapshotEvery, final boolean earlyKills)
    {
        final int cycle = history.size();
        final SplittableRandom random = new SplittableRandom(seed);
        // One kill in eight lands while the child starts or recovers, before it reports ready.
        final boolean early = random.nextInt(8) == 0 && earlyKills;
        final long delayMs = early ? random.nextInt(600) : random.nextInt(workMsMax + 1);
        final Process process = startJvm(CrashWriterMain.class, List.of(), List.of(directory.toString(),
            mode.name(), Integer.toString(cycle), Long.toString(seed), Integer.toString(flushEvery),
            Integer.toString(snapshotEvery), "200000"), stderr);
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch progress = new CountDownLatch(1);
        final Thread reader = new Thread(() -> readLines(process, lines, ready, progress), "crash-child-reader");
        reader.start();
        boolean killed = false;
        try
        {
            if (!early && !(earlyKills ? ready : progress).await(60, TimeUnit.SECONDS))
            {
                throw new AssertionError("child did not become ready: " + describe(cycle, seed, lines));
            }
            Thread.sleep(delayMs);
            if (process.isAlive())
            {
                process.destroyForcibly();
                killed = true;
            }
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                throw new AssertionError("child did not die: " + describe(cycle, seed, lines));
            }
            reader.join(TimeUnit.SECONDS.toMillis(60));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        final List<String> copy;
        synchronized (lines)
        {
            copy = List.copyOf(lines);
        }
        if (!killed && (process.exitValue() != 0 || !copy.contains("done")))
        {
            throw new AssertionError("child failed on its own, exit=" + process.exitValue() + ": "
                + describe(cycle, seed, copy));
        }
        int lastAck = -1;
        int lastFlushed = -1;
        int snapshots = 0;
        for (final String line : copy)
        {
            if (line.startsWith("ack "))
            {
                lastAck = Integer.parseInt(line.substring(4));
            }
            else if (line.startsWith("flushed "))
            {
                lastFlushed = Integer.parseInt(line.substring(8));
            }
            else if (line.equals("snapshot"))
            {
                snapshots++;
            }
            else if (line.startsWith("conflict"))
            {
                throw new AssertionError("a single writer saw a conflict: " + describe(cycle, seed, copy));
            }
        }
        final Outcome outcome = new Outcome(cycle, seed, mode, lastAck, lastFlushed, snapshots,
            copy.contains("ready"), killed, copy);
        history.add(outcome);
        verify(mode);
        return outcome;
    }

    /**
     * Opens the directory in this JVM and checks every cycle so far; records how many transactions each kept.
     *
     * @param mode the mode to open with.
     */
    public void verify(final DurabilityMode mode)
    {
        recovered.clear();
        final String context = "history=" + summary();
        final Database db;
        try
        {
            db = CrashWriterMain.open(directory, mode);
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError("recovery failed to open the database: " + context, ex);
        }
        try (db)
        {
            final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
            check(!result.readOnly(), "opened read-only: " + result.toJson() + " " + context);
            check(result.recoveryCase() == RecoveryCase.A_CLEAN_END || result.recoveryCase() == RecoveryCase.B_TORN_TAIL,
                "unexpected recovery case: " + result.toJson() + " " + context);
            if (!db.runStatus(CrashWriterMain.RUN).isActive())
            {
                for (final Outcome outcome : history)
                {
                    check(outcome.mustSurvive() < 0, "the run is gone but cycle " + outcome.cycle()
                        + " acknowledged transaction " + outcome.mustSurvive() + " " + context);
                    recovered.add(0);
                }
                return;
            }
            final List<Event> events = db.events().range(CrashWriterMain.RUN, 1, Long.MAX_VALUE);
            int eventIndex = 0;
            int keysExpected = 0;
            for (final Outcome outcome : history)
            {
                final int cycle = outcome.cycle();
                final TreeSet<Integer> present = new TreeSet<>();
                for (final String key : db.kv().list(CrashWriterMain.RUN, "k/" + cycle + "/"))
                {
                    present.add(Integer.parseInt(key.substring(key.lastIndexOf('/') + 1)));
                }
                final int kept = present.size();
                if (kept > 0 && present.last() != kept - 1)
                {
                    throw new AssertionError("cycle " + cycle + ": the kept transactions are not a prefix: first "
                        + present.first() + ", last " + present.last() + ", count " + kept + " " + context);
                }
                check(outcome.mustSurvive() < kept, "cycle " + cycle + ": lost acknowledged transaction "
                    + outcome.mustSurvive() + ", only " + kept + " kept " + context);
                for (int n = 0; n < kept; n++)
                {
                    checkEqual(Optional.of(CrashWriterMain.value(cycle, n, outcome.seed())),
                        db.kv().get(CrashWriterMain.RUN, CrashWriterMain.kKey(cycle, n)), "value of "
                            + CrashWriterMain.kKey(cycle, n), context);
                    checkEqual(Optional.of(Value.of((long)n)),
                        db.kv().get(CrashWriterMain.RUN, CrashWriterMain.mKey(cycle, n)), "partial transaction: "
                            + CrashWriterMain.mKey(cycle, n), context);
                    final Optional<JsonDoc> doc = db.json().get(CrashWriterMain.RUN, CrashWriterMain.jsonKey(cycle, n));
                    check(doc.isPresent(), "partial transaction: no JSON document "
                        + CrashWriterMain.jsonKey(cycle, n) + " " + context);
                    final JsonObject object = doc.get().document().asJsonObject();
                    check(object.getInt("c") == cycle && object.getInt("i") == n, "JSON document differs: " + object
                        + " " + context);
                    check(eventIndex < events.size(), "partial transaction: missing event " + cycle + "/" + n + " "
                        + context);
                    checkEqual(Value.of(CrashWriterMain.eventPayload(cycle, n)), events.get(eventIndex).payload(),
                        "event " + (eventIndex + 1), context);
                    eventIndex++;
                }
                check(db.kv().list(CrashWriterMain.RUN, "m/" + cycle + "/").size() == kept,
                    "partial transaction: m keys differ from k keys in cycle " + cycle + " " + context);
                check(db.json().get(CrashWriterMain.RUN, CrashWriterMain.jsonKey(cycle, kept)).isEmpty(),
                    "partial transaction: a JSON document past the kept prefix in cycle " + cycle + " " + context);
                final Optional<StateValue> cell = db.state().get(CrashWriterMain.RUN, CrashWriterMain.cellName(cycle));
                if (kept == 0)
                {
                    check(cell.isEmpty(), "cell of cycle " + cycle + " set with no transaction kept " + context);
                }
                else
                {
                    checkEqual(Value.of((long)kept - 1), cell.map(StateValue::value).orElse(null),
                        "cell of cycle " + cycle, context);
                }
                keysExpected += 2 * kept;
                recovered.add(kept);
            }
            check(eventIndex == events.size(), "events invented past the kept prefixes: " + events.size() + " > "
                + eventIndex + " " + context);
            check(db.kv().list(CrashWriterMain.RUN, "").size() == keysExpected,
                "keys invented: " + db.kv().list(CrashWriterMain.RUN, "").size() + " != " + keysExpected + " "
                    + context);
        }
    }

    private String summary()
    {
        final StringBuilder out = new StringBuilder("[");
        for (final Outcome o : history)
        {
            out.append(String.format("{cycle=%d seed=%d mode=%s ready=%s killed=%s lastAck=%d lastFlushed=%d "
                + "snapshots=%d}", o.cycle(), o.seed(), o.mode(), o.ready(), o.killed(), o.lastAck(),
                o.lastFlushed(), o.snapshots()));
        }
        return out.append(']').toString();
    }

    private String describe(final int cycle, final long seed, final List<String> lines)
    {
        String err;
        try
        {
            err = Files.readString(stderr);
        }
        catch (final IOException ex)
        {
            err = "(no stderr: " + ex + ")";
        }
        final int from = Math.max(0, lines.size() - 5);
        return "cycle=" + cycle + ", seed=" + seed + ", last lines=" + lines.subList(from, lines.size())
            + ", stderr=" + err;
    }

    private static void readLines(final Process process, final List<String> lines, final CountDownLatch ready,
        final CountDownLatch progress)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.add(line);
                if (line.equals("ready"))
                {
                    ready.countDown();
                }
                else if (line.startsWith("ack ") || line.startsWith("flushed "))
                {
                    progress.countDown();
                }
            }
        }
        catch (final IOException ex)
        {
            lines.add("read failed: " + ex);
        }
        finally
        {
            ready.countDown();
            progress.countDown();
        }
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new AssertionError(message);
        }
    }

    private static void checkEqual(final Object expected, final Object actual, final String what,
        final String context)
    {
        if (!expected.equals(actual))
        {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " " + context);
        }
    }
}
