/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.Event;
import dev.tally.engine.ReadOnlyView;
import dev.tally.engine.StateValue;
import dev.tally.replay.DiffEntry;
import dev.tally.replay.RunDiff;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's checks after the kill: every acknowledged order is present in all five primitives, nothing was
 * invented (each run holds a prefix of its orders, at most one beyond what was acknowledged, the one in flight),
 * a replayed run equals the live one, two runs diff, the contract stores kept every acknowledged call and invented
 * none ({@link DemoStoreChecks}), the database takes writes again and the log verifies clean.
 * The demo's thread.
 */
final class DemoChecks
{
    /** One check's outcome. */
    record Check(String name, boolean isPassed, String detail)
    {
    }

    private final long seed;
    private final int runCount;
    private final int[] acknowledged;
    private final int[] found;
    private final List<Check> checks = new ArrayList<>();

    DemoChecks(final long seed, final int runCount, final int[] acknowledged)
    {
        this.seed = seed;
        this.runCount = runCount;
        this.acknowledged = acknowledged.clone();
        this.found = new int[runCount];
    }

    void checkAll(final Database db, final DemoStores.Acks storeAcks, final int paymentCount)
    {
        final List<String> missing = new ArrayList<>();
        final List<String> invented = new ArrayList<>();
        int acknowledgedTotal = 0;
        int foundTotal = 0;
        for (int r = 0; r < runCount; r++)
        {
            checkRun(db, r, missing, invented);
            acknowledgedTotal += acknowledged[r];
            foundTotal += found[r];
        }
        add("every acknowledged write is present", missing.isEmpty(), missing.isEmpty()
            ? acknowledgedTotal + " acknowledged transactions, each in all five primitives" : first(missing));
        add("nothing invented", invented.isEmpty(), invented.isEmpty() ? foundTotal + " transactions recovered: "
            + (foundTotal - acknowledgedTotal) + " beyond the acknowledged (in flight at the kill, at most one a run)"
            : first(invented));
        checkReplay(db);
        checkDiff(db);
        add(new DemoStoreChecks(seed, storeAcks, paymentCount).checkAll(db));
        checkWritesAgain(db);
    }

    void checkLogClean(final Path directory)
    {
        final DatabaseDirectory database = DatabaseDirectory.open(directory.toString());
        final LogScan scan = LogScan.run(database, 0, frame ->
        {
        });
        add("the log verifies clean after recovery", scan.isClean(), scan.describeEnd(database.segments()));
    }

    private void checkRun(final Database db, final int run, final List<String> missing, final List<String> invented)
    {
        final RunId runId = DemoWorkload.run(seed, run);
        final List<String> keys = db.kv().list(runId, DemoWorkload.ORDER_PREFIX);
        found[run] = keys.size();
        for (int i = 0; i < keys.size(); i++)
        {
            if (!keys.get(i).equals(DemoWorkload.orderKey(i)))
            {
                invented.add("run " + run + ": key " + keys.get(i) + " where " + DemoWorkload.orderKey(i)
                    + " belongs");
                return;
            }
            final Optional<Value> value = db.kv().get(runId, keys.get(i));
            if (value.isEmpty() || value.get().asLong() != DemoWorkload.amount(seed, run, i))
            {
                invented.add("run " + run + ": " + keys.get(i) + " = " + value + ", written as "
                    + DemoWorkload.amount(seed, run, i));
            }
        }
        if (keys.size() < acknowledged[run])
        {
            missing.add("run " + run + ": " + acknowledged[run] + " orders acknowledged, " + keys.size() + " found");
        }
        if (keys.size() > acknowledged[run] + 1)
        {
            invented.add("run " + run + ": " + keys.size() + " orders found, " + acknowledged[run]
                + " acknowledged and at most one in flight");
        }
        checkOtherPrimitives(db, runId, run, keys.size(), missing);
    }

    private void checkOtherPrimitives(final Database db, final RunId runId, final int run, final int orders,
        final List<String> missing)
    {
        final long events = db.events().count(runId);
        final List<Event> range = events == 0 ? List.of() : db.events().range(runId, 1, events);
        for (int i = 0; i < range.size(); i++)
        {
            if (!range.get(i).payload().asString().equals(DemoWorkload.orderKey(i)))
            {
                missing.add("run " + run + ": event " + (i + 1) + " is " + range.get(i).payload());
                return;
            }
        }
        final StateValue counter = db.state().get(runId, DemoWorkload.COUNTER).orElse(null);
        final long spans = db.traces().spansInRange(runId, Long.MIN_VALUE, Long.MAX_VALUE).size();
        final boolean hasLastDocument = orders == 0 || db.json().get(runId, DemoWorkload.orderKey(orders - 1))
            .isPresent();
        final boolean hasNextDocument = db.json().get(runId, DemoWorkload.orderKey(orders)).isPresent();
        if (events != orders || counter == null || counter.value().asLong() != orders || spans != orders
            || !hasLastDocument || hasNextDocument)
        {
            missing.add("run " + run + ": " + orders + " orders but " + events + " events, counter " + counter + ", "
                + spans + " spans, last JSON document " + (hasLastDocument ? "present" : "missing")
                + (hasNextDocument ? ", a JSON document beyond the orders" : ""));
        }
    }

    private void checkReplay(final Database db)
    {
        final RunId runId = DemoWorkload.run(seed, 0);
        final ReadOnlyView view = db.replayRun(runId);
        boolean isSame = view.kv().list(DemoWorkload.ORDER_PREFIX).equals(db.kv().list(runId,
            DemoWorkload.ORDER_PREFIX)) && view.events().count() == db.events().count(runId)
            && view.state().get(DemoWorkload.COUNTER).equals(db.state().get(runId, DemoWorkload.COUNTER));
        for (final String key : view.kv().list(DemoWorkload.ORDER_PREFIX))
        {
            isSame &= view.kv().get(key).equals(db.kv().get(runId, key));
        }
        add("a replayed run equals the live run", isSame, "run 0 rebuilt from its history: " + view.changeCount()
            + " changes, replay hash " + db.replayHash(runId).substring(0, 16) + "...");
    }

    private void checkDiff(final Database db)
    {
        final RunDiff diff = db.diffRuns(DemoWorkload.run(seed, 0), DemoWorkload.run(seed, 1));
        final boolean isExpected = found[0] + found[1] == 0 || !diff.isEmpty();
        String sample = "";
        if (!diff.isEmpty())
        {
            final DiffEntry entry = diff.entries().get(0);
            sample = "; first: " + entry.kind() + " " + entry.primitive() + " " + entry.key() + ": " + entry.before()
                + " -> " + entry.after();
        }
        add("two runs diff", isExpected, "run 0 -> run 1: " + diff.entries().size() + " differences, "
            + diff.toJsonPatch().size() + " JSON Patch operations" + sample);
    }

    private void checkWritesAgain(final Database db)
    {
        final RunId runId = new RunId(java.util.UUID.nameUUIDFromBytes(("tally-demo-" + seed + "-after")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        db.beginRun(runId);
        db.kv().put(runId, "after-recovery", Value.of(true));
        db.endRun(runId);
        add("the database takes writes again", db.kv().get(runId, "after-recovery").isPresent(),
            "a new run begun, written and ended");
    }

    private void add(final List<Check> more)
    {
        checks.addAll(more);
    }

    private void add(final String name, final boolean isPassed, final String detail)
    {
        checks.add(new Check(name, isPassed, detail));
    }

    private static String first(final List<String> problems)
    {
        return problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
    }

    List<Check> checks()
    {
        return checks;
    }

    boolean isPassed()
    {
        return checks.stream().allMatch(Check::isPassed);
    }

    void print(final PrintWriter out)
    {
        for (final Check check : checks)
        {
            out.println((check.isPassed() ? "ok      " : "FAILED  ") + check.name() + ": " + check.detail());
        }
        final long passed = checks.stream().filter(Check::isPassed).count();
        out.println((isPassed() ? "PASS" : "FAIL") + ": " + passed + " of " + checks.size() + " checks passed");
    }
}
