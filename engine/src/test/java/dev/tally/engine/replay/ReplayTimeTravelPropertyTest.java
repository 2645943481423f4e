/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.testing.Seeds;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.ReadOnlyView;
import dev.tally.engine.SnapshotConfig;
import dev.tally.engine.Span;
import dev.tally.engine.SpanRecord;
import dev.tally.engine.TxResult;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Goal: time travel is exact. Method: a seeded run of 100 changes across all five primitives, mixing single writes
 * and transactions of one to four writes, with a snapshot in the middle in file modes; a plain model (sorted maps and
 * lists) is rendered after every change. Then {@code replayRun(run, AsOf.changes(n))} must render as the model after
 * n changes for every n in 0..100, and {@code AsOf.position(p)} as the model before the transaction committed at p
 * (and {@code p + 1} as the model after it). A failure message names the seed; {@code -Dtests.seed=<seed>} replays
 * one seed.
 */
@Timeout(300)
class ReplayTimeTravelPropertyTest
{
    private static final int CHANGE_COUNT = 100;

    @TempDir
    Path dir;

    private final Map<String, JsonValue> kv = new TreeMap<>();
    private final List<JsonObject> events = new ArrayList<>();
    private final Map<String, long[]> stateVersions = new TreeMap<>();
    private final Map<String, JsonValue> stateValues = new TreeMap<>();
    private final Map<String, JsonValue> docs = new TreeMap<>();
    private final Map<String, JsonValue> spans = new TreeMap<>();
    private final List<JsonObject> models = new ArrayList<>();

    static Stream<Arguments> seeds()
    {
        final OptionalLong given = Seeds.given();
        final List<Long> seeds = given.isPresent() ? List.of(given.getAsLong()) : List.of(1L, 42L, 20260117L);
        final List<Arguments> out = new ArrayList<>();
        for (final long seed : seeds)
        {
            for (final DurabilityMode mode : List.of(DurabilityMode.IN_MEMORY, DurabilityMode.BUFFERED))
            {
                out.add(Arguments.of(seed, mode));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "seed={0} mode={1}")
    @MethodSource("seeds")
    void shouldEqualTheModelAtEveryChangeWhenReplayedAsOfEachChangeAndPosition(final long seed,
        final DurabilityMode mode)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final RunId run = ReplayTesting.run(1);
        final RunId noise = ReplayTesting.run(2);
        try (Database db = mode == DurabilityMode.IN_MEMORY ? Database.openInMemory()
            : Database.builder().directory(dir).durability(mode).segmentLength(1 << 20)
                .snapshots(SnapshotConfig.MANUAL).open())
        {
            db.beginRun(run);
            db.beginRun(noise);
            models.add(render());
            final List<long[]> commits = new ArrayList<>();
            while (models.size() - 1 < CHANGE_COUNT)
            {
                final int left = CHANGE_COUNT - (models.size() - 1);
                if (random.nextInt(3) == 0)
                {
                    final int before = models.size() - 1;
                    final int size = Math.min(left, 1 + random.nextInt(4));
                    final TxResult<Void> result = db.transaction(run, tx ->
                    {
                        for (int i = 0; i < size; i++)
                        {
                            txWrite(tx, random);
                        }
                        return null;
                    });
                    commits.add(new long[] {((TxResult.Committed<Void>)result).position(), before, models.size() - 1});
                }
                else
                {
                    singleWrite(db, run, random);
                }
                if (random.nextInt(5) == 0)
                {
                    db.kv().put(noise, "noise", Value.of(random.nextLong()));
                }
                if (mode != DurabilityMode.IN_MEMORY && models.size() - 1 == CHANGE_COUNT / 2)
                {
                    db.snapshot();
                }
            }
            for (int n = 0; n <= CHANGE_COUNT; n++)
            {
                final ReadOnlyView view = db.replayRun(run, dev.tally.replay.AsOf.changes(n));
                assertEquals(models.get(n), view.toJson(), "seed=" + seed + ", n=" + n);
                assertEquals(n, view.changeCount(), "seed=" + seed);
            }
            for (final long[] commit : commits)
            {
                assertEquals(models.get((int)commit[1]), db.replayRun(run, dev.tally.replay.AsOf.position(commit[0]))
                    .toJson(), "seed=" + seed + ", before position=" + commit[0]);
                assertEquals(models.get((int)commit[2]), db.replayRun(run, dev.tally.replay.AsOf.position(
                    commit[0] + 1)).toJson(), "seed=" + seed + ", after position=" + commit[0]);
            }
            assertEquals(models.get(CHANGE_COUNT), db.replayRun(run).toJson(), "seed=" + seed);
        }
    }

    private void singleWrite(final Database db, final RunId run, final SplittableRandom random)
    {
        final String key = "k" + random.nextInt(6);
        switch (random.nextInt(7))
        {
            case 0 ->
            {
                if (kv.containsKey(key))
                {
                    db.kv().delete(run, key);
                    kv.remove(key);
                    models.add(render());
                }
            }
            case 1 ->
            {
                final Value payload = Value.of(random.nextInt(100) / 4.0);
                final String type = "e" + random.nextInt(3);
                db.events().append(run, type, payload);
                onAppend(type, payload);
            }
            case 2 ->
            {
                final Value value = Value.of("s" + random.nextInt(50));
                final String name = "c" + random.nextInt(3);
                db.state().set(run, name, value);
                onSetCell(name, value);
            }
            case 3 ->
            {
                if (!docs.containsKey("d" + key))
                {
                    final JsonObject doc = Json.createObjectBuilder().add("n", random.nextInt(9)).build();
                    db.json().create(run, "d" + key, doc);
                    docs.put("d" + key, doc);
                    models.add(render());
                }
            }
            case 4 ->
            {
                final long start = random.nextInt(1000);
                final String id = db.traces().record(run, SpanRecord.of("s" + random.nextInt(4), start, start + 5));
                spans.put(id, span(db.traces().get(run, id).orElseThrow()));
                models.add(render());
            }
            default ->
            {
                final Value value = Value.of((long)random.nextInt(1000));
                db.kv().put(run, key, value);
                kv.put(key, ReadOnlyView.toJson(value));
                models.add(render());
            }
        }
    }

    private void txWrite(final dev.tally.engine.Transaction tx, final SplittableRandom random)
    {
        switch (random.nextInt(3))
        {
            case 0 ->
            {
                final String type = "t" + random.nextInt(2);
                final Value payload = Value.of(random.nextBoolean());
                tx.append(type, payload);
                onAppend(type, payload);
            }
            case 1 ->
            {
                final String name = "c" + random.nextInt(3);
                final Value value = Value.of((long)random.nextInt(10));
                tx.setCell(name, value);
                onSetCell(name, value);
            }
            default ->
            {
                final String key = "k" + random.nextInt(6);
                final Value value = Value.of(new byte[] {(byte)random.nextInt(256)});
                tx.put(key, value);
                kv.put(key, ReadOnlyView.toJson(value));
                models.add(render());
            }
        }
    }

    private void onAppend(final String type, final Value payload)
    {
        events.add(Json.createObjectBuilder().add("sequence", events.size() + 1).add("type", type)
            .add("payload", ReadOnlyView.toJson(payload)).build());
        models.add(render());
    }

    private void onSetCell(final String name, final Value value)
    {
        stateVersions.computeIfAbsent(name, n -> new long[1])[0]++;
        stateValues.put(name, ReadOnlyView.toJson(value));
        models.add(render());
    }

    private static JsonValue span(final Span span)
    {
        return Json.createObjectBuilder().add("traceId", span.traceId()).add("parentSpanId", JsonValue.NULL)
            .add("name", span.name()).add("startMicros", span.startMicros()).add("endMicros", span.endMicros())
            .add("attributes", Json.createObjectBuilder()).build();
    }

    private JsonObject render()
    {
        final JsonObjectBuilder kvObject = Json.createObjectBuilder();
        kv.forEach(kvObject::add);
        final JsonArrayBuilder eventArray = Json.createArrayBuilder();
        events.forEach(eventArray::add);
        final JsonObjectBuilder stateObject = Json.createObjectBuilder();
        stateValues.forEach((name, value) -> stateObject.add(name, Json.createObjectBuilder().add("value", value)
            .add("version", stateVersions.get(name)[0])));
        final JsonObjectBuilder jsonObject = Json.createObjectBuilder();
        docs.forEach(jsonObject::add);
        final JsonObjectBuilder traceObject = Json.createObjectBuilder();
        spans.forEach(traceObject::add);
        return Json.createObjectBuilder().add("kv", kvObject).add("events", eventArray).add("state", stateObject)
            .add("json", jsonObject).add("traces", traceObject).build();
    }
}
