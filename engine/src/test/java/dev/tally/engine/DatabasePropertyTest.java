/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.testing.Seeds;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: the database behaves like a plain in-memory model (maps and lists) under any short history of operations
 * across runs, key-value, events, state cells and transactions, including errors, conflicts and reopening.
 *
 * <p>Method: each history seed drives a {@link SplittableRandom} that picks a mode (mostly InMemory; Strict or
 * Buffered on a temporary directory with 64 KiB segments, so segments roll) and 20-50 operations. After every
 * operation the whole database is compared with the model. File-mode histories reopen at random points and check
 * that the state hash before close equals the hash after reopen, and that the model still matches. Transactions are
 * made to conflict deterministically: the body reads an item, then writes the same item through the plain API from
 * the same thread before returning, so the commit finds the item changed.
 *
 * <p>Replay: every failure names its history seed; {@code -Dtests.seed=<seed>} runs that one history. Without it,
 * the history seeds are derived from fixed master seeds plus one random master (see {@link #histories()}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DatabasePropertyTest
{
    private static final int HISTORIES_PER_MASTER = 300;
    private static final String[] KEYS = {"a/1", "a/2", "a/10", "b/1", "b/2", "c", "ca", "d/x/y"};
    private static final String[] PREFIXES = {null, "", "a", "a/", "a/1", "b/", "c", "d/x", "z"};
    private static final String[] CELLS = {"s1", "s2", "s3"};
    private static final String[] DOCS = {"d1", "d2"};
    private static final String[] EVENT_TYPES = {"start", "step", "end"};
    private static final int RUNS = 3;

    /**
     * The history seeds: the one given with {@code -Dtests.seed}, or {@value #HISTORIES_PER_MASTER} derived from each
     * master seed (three fixed, one random).
     *
     * @return the seeds.
     */
    static List<Long> histories()
    {
        if (Seeds.given().isPresent())
        {
            return Seeds.seeds();
        }
        final List<Long> seeds = new ArrayList<>();
        for (final long master : Seeds.seeds(11L, 23L, 37L))
        {
            final SplittableRandom r = new SplittableRandom(master);
            for (int i = 0; i < HISTORIES_PER_MASTER; i++)
            {
                seeds.add(r.nextLong());
            }
        }
        return seeds;
    }

    private static final java.util.concurrent.atomic.AtomicInteger FILE_HISTORIES =
        new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger ROLLED_HISTORIES =
        new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger CONFLICTS =
        new java.util.concurrent.atomic.AtomicInteger();

    @org.junit.jupiter.api.AfterAll
    static void checkCoverage()
    {
        System.out.println("property histories: fileMode=" + FILE_HISTORIES + ", rolledSegments=" + ROLLED_HISTORIES
            + ", forcedConflicts=" + CONFLICTS);
        if (FILE_HISTORIES.get() >= 50)
        {
            org.junit.jupiter.api.Assertions.assertTrue(ROLLED_HISTORIES.get() > 0, "no history rolled a segment");
            org.junit.jupiter.api.Assertions.assertTrue(CONFLICTS.get() > 0, "no transaction conflicted");
        }
    }

    @ParameterizedTest(name = "history {0}")
    @MethodSource("histories")
    void shouldMatchTheModelAfterEveryStepWhenHistoriesAreRandom(final long seed, @TempDir final Path dir)
    {
        final History history = new History(seed, dir);
        try
        {
            history.run();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError(Seeds.describe(seed) + ", mode=" + history.mode + ", step=" + history.step
                + ", last ops=" + history.trace, ex);
        }
        finally
        {
            history.close();
        }
    }

    /** One run in the model. Copied whole for a transaction's private view. */
    static final class ModelRun
    {
        RunStatus status = new RunStatus(RunStatus.State.ACTIVE, "");
        final TreeMap<String, Value> kv = new TreeMap<>();
        final List<String[]> eventTypes = new ArrayList<>();
        final List<Value> eventPayloads = new ArrayList<>();
        final TreeMap<String, StateValue> cells = new TreeMap<>();
        final TreeMap<String, JsonObject> docs = new TreeMap<>();
        final TreeMap<String, Span> spans = new TreeMap<>();

        ModelRun copy()
        {
            final ModelRun c = new ModelRun();
            c.status = status;
            c.kv.putAll(kv);
            c.eventTypes.addAll(eventTypes);
            c.eventPayloads.addAll(eventPayloads);
            c.cells.putAll(cells);
            c.docs.putAll(docs);
            c.spans.putAll(spans);
            return c;
        }
    }

    /** One history: the database, the model and the random source. */
    static final class History
    {
        final long seed;
        final Path dir;
        final SplittableRandom rnd;
        final DurabilityMode mode;
        final int length;
        final RunId[] runs = new RunId[RUNS];
        final RunId unknown;
        final Map<RunId, ModelRun> model = new TreeMap<>();
        final Deque<String> trace = new ArrayDeque<>();
        Database db;
        int step;

        History(final long seed, final Path dir)
        {
            this.seed = seed;
            this.dir = dir;
            this.rnd = new SplittableRandom(seed);
            final int m = rnd.nextInt(10);
            this.mode = m < 7 ? DurabilityMode.IN_MEMORY : m < 9 ? DurabilityMode.STRICT : DurabilityMode.BUFFERED;
            this.length = 20 + rnd.nextInt(31);
            for (int i = 0; i < RUNS; i++)
            {
                runs[i] = RunId.of(seed, i + 1);
            }
            unknown = RunId.of(seed, 99);
        }

        void open()
        {
            final DatabaseBuilder builder = Database.builder().durability(mode);
            if (mode != DurabilityMode.IN_MEMORY)
            {
                builder.directory(dir).segmentLength(64 << 10).flushIntervalMs(5);
            }
            db = builder.open();
        }

        void close()
        {
            if (db != null)
            {
                db.close();
                db = null;
            }
        }

        void note(final String op)
        {
            trace.addLast(step + ":" + op);
            if (trace.size() > 8)
            {
                trace.removeFirst();
            }
        }

        void run()
        {
            open();
            if (rnd.nextBoolean())
            {
                note("begin " + runs[0]);
                db.beginRun(runs[0]);
                model.put(runs[0], new ModelRun());
            }
            for (step = 0; step < length; step++)
            {
                step();
                compare();
            }
            if (mode != DurabilityMode.IN_MEMORY)
            {
                reopen();
                FILE_HISTORIES.incrementAndGet();
                if (segments() > 1)
                {
                    ROLLED_HISTORIES.incrementAndGet();
                }
            }
        }

        /** The number of WAL segment files, to show that a history rolled segments. */
        long segments()
        {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir))
            {
                return files.filter(f -> f.getFileName().toString().endsWith(".wal")).count();
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        RunId pickRun()
        {
            final int r = rnd.nextInt(RUNS * 4 + 1);
            return r == RUNS * 4 ? unknown : runs[r % RUNS];
        }

        static String pick(final SplittableRandom rnd, final String[] from)
        {
            return from[rnd.nextInt(from.length)];
        }

        Value value()
        {
            if (mode != DurabilityMode.IN_MEMORY && rnd.nextInt(3) == 0)
            {
                // large enough that a history's frames roll over 64 KiB segments (the value limit is 16 KiB)
                final byte[] bytes = new byte[4000 + rnd.nextInt(10_000)];
                rnd.nextBytes(bytes);
                return Value.of(bytes);
            }
            return switch (rnd.nextInt(5))
            {
                case 0 -> Value.NULL;
                case 1 -> Value.of(rnd.nextBoolean());
                case 2 -> Value.of("s" + rnd.nextInt(1000));
                case 3 -> Value.of(new byte[] {(byte)rnd.nextInt(), (byte)rnd.nextInt()});
                default -> Value.of(rnd.nextLong(-1000, 1000));
            };
        }

        /** The code a write to this run must fail with, or null when it may write. */
        ErrorCode writeError(final RunId run)
        {
            final ModelRun m = model.get(run);
            return m == null ? ErrorCode.RUN_NOT_FOUND : m.status.isActive() ? null : ErrorCode.RUN_NOT_ACTIVE;
        }

        <T> T expect(final ErrorCode error, final Supplier<T> action)
        {
            if (error == null)
            {
                return action.get();
            }
            final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class, action::get);
            assertEquals(error, ex.code(), ex.getMessage());
            return null;
        }

        void step()
        {
            final int op = rnd.nextInt(100);
            // the unknown run is never begun, so every step can check RUN_NOT_FOUND against it
            final RunId run = op < 8 ? runs[rnd.nextInt(RUNS)] : pickRun();
            final ModelRun m = model.get(run);
            if (op < 8)
            {
                note("begin " + run);
                expect(m == null ? null : ErrorCode.RUN_ALREADY_EXISTS, () ->
                {
                    db.beginRun(run);
                    return null;
                });
                if (m == null)
                {
                    model.put(run, new ModelRun());
                }
            }
            else if (op < 11)
            {
                final boolean abort = rnd.nextBoolean();
                final String reason = "reason " + rnd.nextInt(10);
                note((abort ? "abort " : "end ") + run);
                expect(writeError(run), () ->
                {
                    if (abort)
                    {
                        db.abortRun(run, reason);
                    }
                    else
                    {
                        db.endRun(run);
                    }
                    return null;
                });
                if (writeError(run) == null)
                {
                    m.status = abort ? new RunStatus(RunStatus.State.ABORTED, reason)
                        : new RunStatus(RunStatus.State.COMPLETED, "");
                }
            }
            else if (op < 30)
            {
                final String key = pick(rnd, KEYS);
                final Value value = value();
                note("put " + run + " " + key + "=" + value);
                expect(writeError(run), () ->
                {
                    db.kv().put(run, key, value);
                    return null;
                });
                if (writeError(run) == null)
                {
                    m.kv.put(key, value);
                }
            }
            else if (op < 37)
            {
                final String key = pick(rnd, KEYS);
                note("delete " + run + " " + key);
                final Boolean existed = expect(writeError(run), () -> db.kv().delete(run, key));
                if (writeError(run) == null)
                {
                    assertEquals(m.kv.remove(key) != null, existed, "delete reports whether the key existed");
                }
            }
            else if (op < 42)
            {
                final String prefix = pick(rnd, PREFIXES);
                note("list " + run + " " + prefix);
                final List<String> keys = expect(m == null ? ErrorCode.RUN_NOT_FOUND : null,
                    () -> db.kv().list(run, prefix));
                if (m != null)
                {
                    assertEquals(m.kv.keySet().stream().filter(k -> prefix == null || k.startsWith(prefix)).toList(),
                        keys);
                }
            }
            else if (op < 52)
            {
                final String type = pick(rnd, EVENT_TYPES);
                final Value payload = value();
                note("append " + run + " " + type);
                final Long sequence = expect(writeError(run), () -> db.events().append(run, type, payload));
                if (writeError(run) == null)
                {
                    m.eventTypes.add(new String[] {type});
                    m.eventPayloads.add(payload);
                    assertEquals(m.eventTypes.size(), sequence.longValue(), "sequence of an append");
                }
            }
            else if (op < 57)
            {
                final long start = rnd.nextLong(-1, 8);
                final long end = start + rnd.nextLong(-1, 8);
                note("range " + run + " " + start + ".." + end);
                final List<Event> events = expect(m == null ? ErrorCode.RUN_NOT_FOUND : null,
                    () -> db.events().range(run, start, end));
                if (m != null)
                {
                    final List<String> expected = new ArrayList<>();
                    for (long s = Math.max(1, start); s < end && s <= m.eventTypes.size(); s++)
                    {
                        expected.add(s + ":" + m.eventTypes.get((int)s - 1)[0] + ":" + m.eventPayloads.get((int)s - 1));
                    }
                    assertEquals(expected, events.stream().map(e -> e.sequence() + ":" + e.type() + ":" + e.payload())
                        .toList());
                    final Optional<Event> one = db.events().read(run, start);
                    assertEquals(start >= 1 && start <= m.eventTypes.size(), one.isPresent(), "read " + start);
                }
            }
            else if (op < 62)
            {
                final String cell = pick(rnd, CELLS);
                final Value value = value();
                note("set " + run + " " + cell);
                final Long version = expect(writeError(run), () -> db.state().set(run, cell, value));
                if (writeError(run) == null)
                {
                    final StateValue next = new StateValue(value,
                        Optional.ofNullable(m.cells.get(cell)).map(StateValue::version).orElse(0L) + 1);
                    m.cells.put(cell, next);
                    assertEquals(next.version(), version.longValue());
                }
            }
            else if (op < 66)
            {
                final String cell = pick(rnd, CELLS);
                final Value value = value();
                note("init " + run + " " + cell);
                final Boolean created = expect(writeError(run), () -> db.state().init(run, cell, value));
                if (writeError(run) == null)
                {
                    assertEquals(!m.cells.containsKey(cell), created);
                    m.cells.putIfAbsent(cell, new StateValue(value, 1));
                }
            }
            else if (op < 72)
            {
                casStep(run, m);
            }
            else if (op < 79)
            {
                jsonStep(run, m);
            }
            else if (op < 83)
            {
                traceStep(run, m);
            }
            else
            {
                transactionStep(run, m);
            }
            if (mode != DurabilityMode.IN_MEMORY && rnd.nextInt(25) == 0)
            {
                reopen();
            }
        }

        void casStep(final RunId run, final ModelRun m)
        {
            final String cell = pick(rnd, CELLS);
            final Value value = value();
            final StateValue current = m == null ? null : m.cells.get(cell);
            final boolean right = rnd.nextInt(3) > 0;
            final long expected = current == null ? 1 : right ? current.version()
                : rnd.nextBoolean() || current.version() == 1 ? current.version() + 1 + rnd.nextInt(2)
                : current.version() - 1;
            note("cas " + run + " " + cell + " expect " + expected);
            ErrorCode error = writeError(run);
            if (error == null && current == null)
            {
                error = ErrorCode.CELL_NOT_FOUND;
            }
            final CasResult result = expect(error, () -> db.state().cas(run, cell, expected, value));
            if (error == null)
            {
                if (current.version() == expected)
                {
                    assertEquals(new CasResult.Success(expected + 1), result);
                    m.cells.put(cell, new StateValue(value, expected + 1));
                }
                else
                {
                    assertEquals(new CasResult.Conflict(expected, current.version()), result);
                }
            }
        }

        void jsonStep(final RunId run, final ModelRun m)
        {
            final String key = pick(rnd, DOCS);
            final JsonObject current = m == null ? null : m.docs.get(key);
            final int kind = rnd.nextInt(4);
            final int number = rnd.nextInt(100);
            ErrorCode error = writeError(run);
            note("json " + kind + " " + run + " " + key);
            if (kind == 0)
            {
                final JsonObject doc = Json.createObjectBuilder().add("n", number).build();
                error = error == null && current != null ? ErrorCode.DOCUMENT_ALREADY_EXISTS : error;
                expect(error, () ->
                {
                    db.json().create(run, key, doc);
                    return null;
                });
                if (error == null)
                {
                    m.docs.put(key, doc);
                }
            }
            else if (kind == 1 || kind == 2)
            {
                final String field = kind == 1 ? "n" : "m" + rnd.nextInt(3);
                error = error == null && current == null ? ErrorCode.DOCUMENT_NOT_FOUND : error;
                expect(error, () ->
                {
                    if (kind == 1)
                    {
                        db.json().set(run, key, "/" + field, Json.createValue(number));
                    }
                    else
                    {
                        db.json().patch(run, key, Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("op", "add").add("path", "/" + field).add("value", number)).build());
                    }
                    return null;
                });
                if (error == null)
                {
                    m.docs.put(key, Json.createObjectBuilder(current).add(field, number).build());
                }
            }
            else
            {
                final Boolean existed = expect(error, () -> db.json().delete(run, key));
                if (error == null)
                {
                    assertEquals(m.docs.remove(key) != null, existed, "json delete reports whether it existed");
                }
            }
        }

        void traceStep(final RunId run, final ModelRun m)
        {
            final long start = rnd.nextLong(1_000_000);
            final String name = "span" + rnd.nextInt(5);
            final List<Span> existing = m == null ? List.of() : new ArrayList<>(m.spans.values());
            final Span parent = existing.isEmpty() || rnd.nextBoolean() ? null
                : existing.get(rnd.nextInt(existing.size()));
            note("span " + run + " parent=" + (parent == null ? "-" : parent.spanId()));
            SpanRecord record = SpanRecord.of(name, start, start + rnd.nextInt(1000)).withAttribute("a",
                Value.of(rnd.nextInt(10)));
            if (parent != null)
            {
                record = record.withTrace(parent.traceId()).withParent(parent.spanId());
            }
            final SpanRecord span = record;
            final String id = expect(writeError(run), () -> db.traces().record(run, span));
            if (writeError(run) == null)
            {
                final Span stored = db.traces().get(run, id).orElseThrow();
                assertEquals(span.name(), stored.name());
                assertEquals(span.startMicros(), stored.startMicros());
                assertEquals(parent == null ? null : parent.spanId(), stored.parentSpanId());
                assertEquals(parent == null ? stored.traceId() : parent.traceId(), stored.traceId());
                m.spans.put(id, stored);
            }
        }

        void transactionStep(final RunId run, final ModelRun m)
        {
            final boolean active = m != null && m.status.isActive();
            // a forced conflict writes through the plain API, so only on an active run
            final int conflictKind = active && rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 0;
            final String conflictKey = pick(rnd, KEYS);
            final String conflictCell = pick(rnd, CELLS);
            final Value outside = value();
            final int ops = 1 + rnd.nextInt(4);
            final long[] choices = new long[ops * 3];
            for (int i = 0; i < choices.length; i++)
            {
                choices[i] = rnd.nextLong();
            }
            note("tx " + run + " ops=" + ops + " conflict=" + conflictKind);
            final ModelRun view = m == null ? null : m.copy();
            final ErrorCode error = m == null ? ErrorCode.RUN_NOT_FOUND : active ? null : ErrorCode.RUN_NOT_ACTIVE;
            final boolean[] wrote = {false};
            final TxResult<Integer> result = expect(error, () -> db.transaction(run, tx ->
            {
                if (conflictKind == 1)
                {
                    assertEquals(Optional.ofNullable(view.kv.get(conflictKey)), tx.get(conflictKey));
                    db.kv().put(run, conflictKey, outside);
                    m.kv.put(conflictKey, outside);
                    view.kv.put(conflictKey, outside); // the body's later reads of the key see the new value
                }
                else if (conflictKind == 2)
                {
                    assertEquals(view.eventTypes.size(), tx.eventCount());
                    db.events().append(run, "outside", outside);
                    m.eventTypes.add(new String[] {"outside"});
                    m.eventPayloads.add(outside);
                }
                else if (conflictKind == 3)
                {
                    assertEquals(Optional.ofNullable(view.cells.get(conflictCell)), tx.cell(conflictCell));
                    final long v = db.state().set(run, conflictCell, outside);
                    m.cells.put(conflictCell, new StateValue(outside, v));
                }
                final SplittableRandom r = new SplittableRandom(choices[0]);
                for (int i = 0; i < ops; i++)
                {
                    wrote[0] |= txOp(tx, view, r);
                }
                return ops;
            }));
            if (error != null)
            {
                return;
            }
            if (conflictKind != 0)
            {
                final TxResult.Conflicted<Integer> conflicted = assertInstanceOf(TxResult.Conflicted.class, result);
                assertEquals(1, conflicted.conflicts().size(), conflicted.toString());
                assertEquals(conflictKind == 1 ? "kv" : conflictKind == 2 ? "events" : "state",
                    conflicted.conflicts().get(0).primitive());
                CONFLICTS.incrementAndGet();
                return;
            }
            final TxResult.Committed<Integer> committed = assertInstanceOf(TxResult.Committed.class, result);
            assertEquals(ops, committed.value());
            assertEquals(!wrote[0], committed.position() == -1, "position -1 exactly when nothing was written");
            model.put(run, view);
        }

        /** One operation inside a transaction, applied to the transaction's view of the model; true if it wrote. */
        boolean txOp(final Transaction tx, final ModelRun view, final SplittableRandom r)
        {
            final String key = pick(r, KEYS);
            final String cell = pick(r, CELLS);
            final Value value = Value.of(r.nextLong(100));
            switch (r.nextInt(9))
            {
                case 0:
                    tx.put(key, value);
                    view.kv.put(key, value);
                    return true;
                case 1:
                    final boolean existed = view.kv.remove(key) != null;
                    assertEquals(existed, tx.delete(key), "tx delete " + key);
                    return existed;
                case 2:
                    assertEquals(Optional.ofNullable(view.kv.get(key)), tx.get(key), "tx get " + key);
                    return false;
                case 3:
                    view.eventTypes.add(new String[] {"tx"});
                    view.eventPayloads.add(value);
                    assertEquals(view.eventTypes.size(), tx.append("tx", value), "tx append sequence");
                    return true;
                case 4:
                    final long version = Optional.ofNullable(view.cells.get(cell)).map(StateValue::version)
                        .orElse(0L) + 1;
                    assertEquals(version, tx.setCell(cell, value), "tx setCell version");
                    view.cells.put(cell, new StateValue(value, version));
                    return true;
                case 5:
                    final StateValue current = view.cells.get(cell);
                    if (current == null)
                    {
                        assertEquals(true, tx.initCell(cell, value));
                        view.cells.put(cell, new StateValue(value, 1));
                        return true;
                    }
                    final boolean right = r.nextBoolean();
                    final long expected = right ? current.version() : current.version() + 1;
                    final CasResult result = tx.casCell(cell, expected, value);
                    if (right)
                    {
                        assertEquals(new CasResult.Success(expected + 1), result);
                        view.cells.put(cell, new StateValue(value, expected + 1));
                        return true;
                    }
                    assertEquals(new CasResult.Conflict(expected, current.version()), result);
                    return false;
                case 6:
                    final String doc = pick(r, DOCS);
                    final JsonObject before = view.docs.get(doc);
                    assertEquals(Optional.ofNullable(before), tx.json(doc).map(d -> (JsonObject)d.document()));
                    if (before == null)
                    {
                        final JsonObject created = Json.createObjectBuilder().add("tx", value.toString()).build();
                        tx.createJson(doc, created);
                        view.docs.put(doc, created);
                    }
                    else
                    {
                        tx.setJson(doc, "/tx", Json.createValue(value.toString()));
                        view.docs.put(doc, Json.createObjectBuilder(before).add("tx", value.toString()).build());
                    }
                    return true;
                case 7:
                    final String spanId = tx.recordSpan(SpanRecord.of("tx", 5, 6));
                    view.spans.put(spanId, null);
                    return true;
                default:
                    assertEquals(Optional.ofNullable(view.cells.get(cell)), tx.cell(cell), "tx cell " + cell);
                    return false;
            }
        }

        void reopen()
        {
            note("reopen");
            final String before = db.stateHash();
            close();
            open();
            assertEquals(before, db.stateHash(), "state hash changed across reopen");
            final List<RunId> active = new ArrayList<>();
            for (final Map.Entry<RunId, ModelRun> e : model.entrySet())
            {
                if (e.getValue().status.isActive())
                {
                    active.add(e.getKey());
                }
            }
            assertEquals(active, db.orphanedRuns(), "orphaned runs after reopen");
            compare();
        }

        void compare()
        {
            for (final RunId run : runs)
            {
                final ModelRun m = model.get(run);
                if (m == null)
                {
                    assertEquals(RunStatus.NOT_FOUND, db.runStatus(run));
                    continue;
                }
                assertEquals(m.status, db.runStatus(run), "status of " + run);
                assertEquals(new ArrayList<>(m.kv.keySet()), db.kv().list(run, null), "keys of " + run);
                for (final String key : KEYS)
                {
                    assertEquals(Optional.ofNullable(m.kv.get(key)), db.kv().get(run, key), "kv " + key);
                }
                assertEquals(m.eventTypes.size(), db.events().count(run), "event count of " + run);
                final List<Event> events = db.events().range(run, 1, m.eventTypes.size() + 1L);
                for (int i = 0; i < events.size(); i++)
                {
                    assertEquals(i + 1L, events.get(i).sequence());
                    assertEquals(m.eventTypes.get(i)[0], events.get(i).type());
                    assertEquals(m.eventPayloads.get(i), events.get(i).payload());
                }
                assertEquals(m.eventTypes.size(), events.size());
                for (final String cell : CELLS)
                {
                    assertEquals(Optional.ofNullable(m.cells.get(cell)), db.state().get(run, cell), "cell " + cell);
                }
                for (final String doc : DOCS)
                {
                    assertEquals(Optional.ofNullable(m.docs.get(doc)), db.json().get(run, doc)
                        .map(d -> (JsonObject)d.document()), "json " + doc);
                }
                for (final Map.Entry<String, Span> span : m.spans.entrySet())
                {
                    final Optional<Span> stored = db.traces().get(run, span.getKey());
                    assertTrue(stored.isPresent(), "span " + span.getKey());
                    if (span.getValue() == null)
                    {
                        span.setValue(stored.get());
                    }
                    assertEquals(span.getValue(), stored.get(), "span " + span.getKey());
                }
            }
            final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
                () -> db.kv().get(unknown, "a/1"));
            assertEquals(ErrorCode.RUN_NOT_FOUND, ex.code());
        }
    }
}
