/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.ReadOnlyView;
import dev.tally.engine.SnapshotConfig;
import dev.tally.engine.SpanRecord;
import dev.tally.replay.AsOf;
import dev.tally.replay.DiffEntry;
import dev.tally.replay.ReplayVerification;
import dev.tally.replay.RunDiff;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay of one run into a read-only view, diffs between runs and replay verification, in every durability mode.
 */
@Timeout(120)
class ReplayRunTest
{
    @TempDir
    Path dir;

    private Database open(final DurabilityMode mode)
    {
        if (mode == DurabilityMode.IN_MEMORY)
        {
            return Database.openInMemory();
        }
        return Database.builder().directory(dir).durability(mode).snapshots(SnapshotConfig.MANUAL).open();
    }

    @ParameterizedTest
    @EnumSource(DurabilityMode.class)
    void shouldReadWhatTheRunWroteWhenReplayed(final DurabilityMode mode)
    {
        try (Database db = open(mode))
        {
            final RunId run = ReplayTesting.run(1);
            final RunId other = ReplayTesting.run(2);
            db.beginRun(run);
            db.beginRun(other);
            ReplayTesting.writeMixed(db, run, 12, "a");
            ReplayTesting.writeMixed(db, other, 3, "other");
            final String spanId = db.traces().record(run, SpanRecord.of("last", 5, 9).withAttribute("x", Value.of(1L)));

            final ReadOnlyView view = db.replayRun(run);
            assertEquals(run, view.runId());
            assertEquals(db.kv().list(run, null), view.kv().list(null));
            for (final String key : db.kv().list(run, null))
            {
                assertEquals(db.kv().get(run, key), view.kv().get(key));
            }
            assertEquals(db.kv().list(run, "tx"), view.kv().list("tx"));
            assertEquals(db.events().count(run), view.events().count());
            assertEquals(db.events().range(run, 1, 100), view.events().range(1, 100));
            assertEquals(db.events().read(run, 3), view.events().read(3));
            assertEquals(db.state().get(run, "counter"), view.state().get("counter"));
            assertEquals(db.state().get(run, "phase"), view.state().get("phase"));
            assertEquals(db.json().get(run, "doca8"), view.json().get("doca8"));
            assertEquals(db.traces().get(run, spanId), view.traces().get(spanId));
            assertEquals(db.traces().spansInRange(run, 0, Long.MAX_VALUE), view.traces().spansInRange(0,
                Long.MAX_VALUE));
            final String traceId = db.traces().get(run, spanId).orElseThrow().traceId();
            assertEquals(db.traces().trace(run, traceId), view.traces().trace(traceId));
            assertTrue(view.kv().get("a-key-never-written").isEmpty());
            // 12 rounds x 6 changes, 3 docs and 3 spans, 2 deletes, and the extra span.
            assertEquals(12 * 6 + 3 + 3 + 2 + 1, view.changeCount());
            assertFalse(view.toJsonText().contains("other"), "another run's writes leaked into the view");
        }
    }

    @ParameterizedTest
    @EnumSource(DurabilityMode.class)
    void shouldRefuseRunNotFoundWhenTheRunWasNeverBegun(final DurabilityMode mode)
    {
        try (Database db = open(mode))
        {
            final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
                () -> db.replayRun(ReplayTesting.run(9)));
            assertEquals(ErrorCode.RUN_NOT_FOUND, ex.code());
            assertEquals(ErrorCode.RUN_NOT_FOUND, assertThrows(InvalidArgumentException.class,
                () -> db.diffRuns(ReplayTesting.run(9), ReplayTesting.run(8))).code());
            assertEquals(ErrorCode.RUN_NOT_FOUND, assertThrows(InvalidArgumentException.class,
                () -> db.verifyReplay(ReplayTesting.run(9))).code());
        }
    }

    @Test
    void shouldRenderTheCanonicalJsonWhenAViewIsRendered()
    {
        try (Database db = Database.openInMemory())
        {
            final RunId run = ReplayTesting.run(1);
            db.beginRun(run);
            db.kv().put(run, "b", Value.of(Double.NaN));
            db.kv().put(run, "a", Value.of(new byte[] {1, 2, 3}));
            db.kv().put(run, "c", Value.of(Double.NEGATIVE_INFINITY));
            db.kv().put(run, "d", Value.NULL);
            db.kv().put(run, "e", Value.of(true));
            db.events().append(run, "t", Value.of(7L));
            db.state().set(run, "s", Value.of("x"));
            db.state().set(run, "s", Value.of("y"));
            db.json().create(run, "j", Json.createObjectBuilder().add("n", 1).build());
            final String text = db.replayRun(run).toJsonText();
            assertEquals("{\"events\":[{\"payload\":7,\"sequence\":1,\"type\":\"t\"}],\"json\":{\"j\":{\"n\":1}},"
                + "\"kv\":{\"a\":{\"base64\":\"AQID\"},\"b\":\"NaN\",\"c\":\"-Infinity\",\"d\":null,\"e\":true},"
                + "\"state\":{\"s\":{\"value\":\"y\",\"version\":2}},\"traces\":{}}", text);
        }
    }

    @Test
    void shouldShowTheLiveValueAndNotTheViewWhenTheLiveStoreIsReadAfterAnAsOfReplay()
    {
        try (Database db = open(DurabilityMode.STRICT))
        {
            final RunId run = ReplayTesting.run(1);
            db.beginRun(run);
            db.kv().put(run, "k", Value.of(1L));
            db.kv().put(run, "k", Value.of(2L));
            final ReadOnlyView early = db.replayRun(run, AsOf.changes(1));
            assertEquals(Value.of(1L), early.kv().get("k").orElseThrow());
            assertEquals(Value.of(2L), db.kv().get(run, "k").orElseThrow());
            db.kv().put(run, "k", Value.of(3L));
            assertEquals(Value.of(1L), early.kv().get("k").orElseThrow(), "a view is a value: later writes stay out");
            assertEquals(Value.of(3L), db.replayRun(run).kv().get("k").orElseThrow());
        }
    }

    @ParameterizedTest
    @EnumSource(DurabilityMode.class)
    void shouldBeEmptyWhenARunIsDiffedWithItself(final DurabilityMode mode)
    {
        try (Database db = open(mode))
        {
            final RunId run = ReplayTesting.run(1);
            db.beginRun(run);
            ReplayTesting.writeMixed(db, run, 8, "a");
            final RunDiff diff = db.diffRuns(run, run);
            assertTrue(diff.isEmpty(), diff::toString);
            assertEquals(0, diff.toJsonPatch().size());
        }
    }

    @ParameterizedTest
    @EnumSource(DurabilityMode.class)
    void shouldListExactlyTheChangedItemsWhenTwoRunsAreDiffed(final DurabilityMode mode)
    {
        try (Database db = open(mode))
        {
            final RunId a = ReplayTesting.run(1);
            final RunId b = ReplayTesting.run(2);
            db.beginRun(a);
            db.beginRun(b);
            for (final RunId run : List.of(a, b))
            {
                db.kv().put(run, "same", Value.of("s"));
                db.kv().put(run, "changed", Value.of(run == a ? "before" : "after"));
                db.events().append(run, "e", Value.of(1L));
                db.state().set(run, "cell", Value.of(5L));
                db.json().create(run, "doc", Json.createObjectBuilder().add("v", 1).build());
            }
            db.kv().put(a, "onlyA", Value.of(1L));
            db.kv().put(b, "onlyB", Value.of(2L));
            db.events().append(b, "e2", Value.of(2L));
            db.state().set(b, "cell", Value.of(5L));
            db.json().set(b, "doc", "/v", Json.createValue(2));

            final RunDiff diff = db.diffRuns(a, b);
            final List<String> summary = diff.entries().stream().map(e -> e.primitive() + "/" + e.key() + "/"
                + e.kind()).toList();
            assertEquals(List.of("events/2/ADDED", "json/doc/MODIFIED", "kv/changed/MODIFIED", "kv/onlyA/REMOVED",
                "kv/onlyB/ADDED", "state/cell/MODIFIED"), summary);
            final DiffEntry cell = diff.entries().get(5);
            assertEquals(Json.createObjectBuilder().add("value", 5).add("version", 1).build(), cell.before());
            assertEquals(Json.createObjectBuilder().add("value", 5).add("version", 2).build(), cell.after());
            final DiffEntry removed = diff.entries().get(3);
            assertNull(removed.after());
            assertEquals(Json.createValue(1), removed.before());

            final JsonObject renderedA = db.replayRun(a).toJson();
            final JsonValue patched = Json.createPatch(diff.toJsonPatch()).apply(renderedA);
            assertEquals(db.replayRun(b).toJson(), patched);
            assertNotEquals(renderedA, patched);
        }
    }

    @ParameterizedTest
    @EnumSource(DurabilityMode.class)
    void shouldMatchTheRecordedHashWhenAnEndedRunIsVerified(final DurabilityMode mode)
    {
        try (Database db = open(mode))
        {
            final RunId done = ReplayTesting.run(1);
            final RunId aborted = ReplayTesting.run(2);
            final RunId active = ReplayTesting.run(3);
            for (final RunId run : List.of(done, aborted, active))
            {
                db.beginRun(run);
                ReplayTesting.writeMixed(db, run, 5, run.toString());
            }
            final String beforeEnd = db.replayHash(done);
            db.endRun(done);
            db.abortRun(aborted, "stopped");

            final ReplayVerification verified = db.verifyReplay(done);
            assertTrue(verified.matches(), verified::toString);
            assertEquals(beforeEnd, verified.recordedHash());
            assertEquals(db.replayHash(done), verified.recordedHash());
            assertEquals("", verified.detail());
            assertTrue(db.verifyReplay(aborted).matches());

            final ReplayVerification open = db.verifyReplay(active);
            assertFalse(open.matches());
            assertNull(open.recordedHash());
            assertEquals(db.replayHash(active), open.replayedHash());
            assertTrue(open.detail().contains("active"), open.detail());
            assertNotEquals(db.replayHash(done), db.replayHash(aborted));
        }
    }

    @Test
    void shouldKeepTheRecordedHashWhenAnEndedRunIsVerifiedAfterReopenAndSnapshot()
    {
        final RunId run = ReplayTesting.run(1);
        final String hash;
        try (Database db = open(DurabilityMode.STRICT))
        {
            db.beginRun(run);
            ReplayTesting.writeMixed(db, run, 6, "x");
            db.endRun(run);
            hash = db.verifyReplay(run).recordedHash();
        }
        try (Database db = open(DurabilityMode.STRICT))
        {
            final ReplayVerification v = db.verifyReplay(run);
            assertTrue(v.matches(), v::toString);
            assertEquals(hash, v.recordedHash());
            db.snapshot();
        }
        try (Database db = open(DurabilityMode.STRICT))
        {
            final ReplayVerification v = db.verifyReplay(run);
            assertTrue(v.matches(), v::toString);
            assertEquals(hash, v.recordedHash());
            assertEquals(hash, db.replayHash(run));
        }
    }

    @Test
    void shouldReplayTheViewOfAnInMemoryRunWhenNothingIsOnDisk()
    {
        try (Database db = Database.openInMemory())
        {
            final RunId run = ReplayTesting.run(1);
            db.beginRun(run);
            ReplayTesting.writeMixed(db, run, 10, "m");
            final ReadOnlyView first = db.replayRun(run);
            final ReadOnlyView second = db.replayRun(run);
            assertEquals(first.toJsonText(), second.toJsonText());
            assertEquals(db.replayHash(run), db.replayHash(run));
            assertEquals(0, db.replayRun(run, AsOf.changes(0)).changeCount());
            assertEquals("{\"events\":[],\"json\":{},\"kv\":{},\"state\":{},\"traces\":{}}",
                db.replayRun(run, AsOf.changes(0)).toJsonText());
            assertArrayEquals(new Object[] {first.changeCount()}, new Object[] {db.replayRun(run, AsOf.changes(
                Long.MAX_VALUE)).changeCount()});
        }
    }
}
