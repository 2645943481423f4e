/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.IdGenerator;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.core.testing.ManualClock;
import dev.tally.primitives.TracePrimitive;
import dev.tally.primitives.TracePrimitive.SpanId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class TraceStoreTest
{
    private static final RunId RUN = RunId.of(0xABCL, 0xDEFL);
    private static final String ABSENT_ID = "0123456789abcdef0123456789abcdef";

    private ManualClock clock;
    private Database db;

    @BeforeEach
    void open()
    {
        clock = new ManualClock(1_000_000);
        db = Database.builder().durability(DurabilityMode.IN_MEMORY).clock(clock).open();
        db.beginRun(RUN);
    }

    @AfterEach
    void close()
    {
        db.close();
    }

    private static void assertCode(final ErrorCode code, final Executable call)
    {
        assertEquals(code, assertThrows(InvalidArgumentException.class, call).code());
    }

    private List<Span> allSpans(final Database database)
    {
        return database.traces().spansInRange(RUN, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void shouldReturnSpanWhenRecorded()
    {
        final String id = db.traces().record(RUN, SpanRecord.of("http.request", 100, 250)
            .withAttribute("status", Value.of(200)).withAttribute("path", Value.of("/a")));

        final Span span = db.traces().get(RUN, id).orElseThrow();
        assertEquals(id, span.spanId());
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertTrue(span.traceId().matches("[0-9a-f]{32}"), span.traceId());
        assertNotEquals(id, span.traceId());
        assertNull(span.parentSpanId());
        assertEquals("http.request", span.name());
        assertEquals(100, span.startMicros());
        assertEquals(250, span.endMicros());
        assertEquals(List.of("path", "status"), new ArrayList<>(span.attributes().keySet()));
        assertEquals(Value.of(200), span.attributes().get("status"));
        assertEquals(Optional.empty(), db.traces().get(RUN, ABSENT_ID));
        assertCode(ErrorCode.INVALID_ID, () -> db.traces().get(RUN, id.toUpperCase()));
    }

    @Test
    void shouldThrowSpanNotFoundWhenParentIsNotInTheRunAndTrace()
    {
        final String root = db.traces().record(RUN, SpanRecord.of("root", 0, 10));
        final String otherTrace = db.traces().record(RUN, SpanRecord.of("other", 0, 10));
        final String otherTraceId = db.traces().get(RUN, otherTrace).orElseThrow().traceId();
        final RunId otherRun = RunId.of(7, 7);
        db.beginRun(otherRun);
        final List<Span> before = allSpans(db);

        final TraceStore traces = db.traces();
        assertCode(ErrorCode.SPAN_NOT_FOUND, () -> traces.record(RUN, SpanRecord.of("c", 1, 2).withParent(ABSENT_ID)));
        assertCode(ErrorCode.SPAN_NOT_FOUND, () -> traces.record(RUN, SpanRecord.of("c", 1, 2).withParent(root)
            .withTrace(otherTraceId)));
        assertCode(ErrorCode.SPAN_NOT_FOUND, () -> traces.record(otherRun, SpanRecord.of("c", 1, 2)
            .withParent(root)));
        assertCode(ErrorCode.INVALID_ID, () -> traces.record(RUN, SpanRecord.of("c", 1, 2).withParent("xyz")));

        assertEquals(before, allSpans(db));
        assertEquals(List.of(), traces.spansInRange(otherRun, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void shouldJoinParentTraceWhenTraceIdIsAbsent()
    {
        final String root = db.traces().record(RUN, SpanRecord.of("root", 0, 10));
        final String child = db.traces().record(RUN, SpanRecord.of("child", 1, 2).withParent(root));

        final Span span = db.traces().get(RUN, child).orElseThrow();
        assertEquals(root, span.parentSpanId());
        assertEquals(db.traces().get(RUN, root).orElseThrow().traceId(), span.traceId());
    }

    @Test
    void shouldRejectSpanWhenItEndsBeforeItStartsOrHasAnInvalidAttributeKey()
    {
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> db.traces().record(RUN, SpanRecord.of("s", 10, 9)));
        assertCode(ErrorCode.INVALID_KEY, () -> db.traces().record(RUN, SpanRecord.of("s", 1, 2)
            .withAttribute("", Value.NULL)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> SpanRecord.of("s", 1, 2).withAttribute("k", null));

        assertEquals(List.of(), allSpans(db));
    }

    @Test
    void shouldBuildOrderedTreeWhenTraceHasThreeLevels()
    {
        final String root = db.traces().record(RUN, SpanRecord.of("root", 0, 100));
        final String traceId = db.traces().get(RUN, root).orElseThrow().traceId();
        final String late = db.traces().record(RUN, SpanRecord.of("late", 50, 60).withParent(root));
        final String tieOne = db.traces().record(RUN, SpanRecord.of("tie", 10, 20).withParent(root));
        final String tieTwo = db.traces().record(RUN, SpanRecord.of("tie", 10, 30).withParent(root));
        final String grandLate = db.traces().record(RUN, SpanRecord.of("g", 15, 16).withParent(tieOne));
        final String grandEarly = db.traces().record(RUN, SpanRecord.of("g", 12, 13).withParent(tieOne));
        db.traces().record(RUN, SpanRecord.of("unrelated", 0, 1));

        final List<SpanNode> tree = db.traces().trace(RUN, traceId);

        assertEquals(1, tree.size());
        final SpanNode top = tree.get(0);
        assertEquals(root, top.span().spanId());
        final List<String> tied = new ArrayList<>(List.of(tieOne, tieTwo));
        Collections.sort(tied);
        assertEquals(List.of(tied.get(0), tied.get(1), late), ids(top.children()));
        final SpanNode parentOfGrandchildren = top.children().get(tied.indexOf(tieOne));
        assertEquals(List.of(grandEarly, grandLate), ids(parentOfGrandchildren.children()));
        assertEquals(List.of(), top.children().get(tied.indexOf(tieTwo)).children());
        assertEquals(List.of(), db.traces().trace(RUN, ABSENT_ID));
    }

    private static List<String> ids(final List<SpanNode> nodes)
    {
        final List<String> out = new ArrayList<>();
        for (final SpanNode node : nodes)
        {
            out.add(node.span().spanId());
        }
        return out;
    }

    @Test
    void shouldReturnSpansStartingInRangeWhenBoundsAreGiven()
    {
        final Map<Long, List<String>> byStart = new TreeMap<>();
        for (final long start : new long[] {40, 10, 30, 20, 30})
        {
            byStart.computeIfAbsent(start, s -> new ArrayList<>())
                .add(db.traces().record(RUN, SpanRecord.of("s", start, start + 100)));
        }
        final List<String> thirties = new ArrayList<>(byStart.get(30L));
        Collections.sort(thirties);

        final List<String> found = new ArrayList<>();
        for (final Span span : db.traces().spansInRange(RUN, 20, 40))
        {
            found.add(span.spanId());
        }

        assertEquals(List.of(byStart.get(20L).get(0), thirties.get(0), thirties.get(1)), found);
        assertEquals(1, db.traces().spansInRange(RUN, 40, 41).size());
        assertEquals(List.of(), db.traces().spansInRange(RUN, 41, 1000));
        assertEquals(List.of(), db.traces().spansInRange(RUN, 40, 40));
        assertEquals(5, db.traces().spansInRange(RUN, 10, 41).size());
    }

    @Test
    void shouldRecordRootSpanWithMetadataWhenSimpleFormIsUsed()
    {
        clock.setMicros(5_000_000);
        final String id = db.traces().record(RUN, "tool.call", Value.of("weather"));

        final Span span = db.traces().get(RUN, id).orElseThrow();
        assertEquals("tool.call", span.name());
        assertEquals(5_000_000, span.startMicros());
        assertEquals(5_000_000, span.endMicros());
        assertNull(span.parentSpanId());
        assertEquals(Map.of(TraceStore.METADATA_ATTRIBUTE, Value.of("weather")), span.attributes());
        assertEquals(1, db.traces().trace(RUN, span.traceId()).size());
    }

    @Test
    void shouldKeepSpansAndStateHashWhenReopened(@TempDir final Path dir)
    {
        final String hash;
        final Span child;
        try (Database first = Database.builder().directory(dir).segmentLength(64 << 10).open())
        {
            first.beginRun(RUN);
            final String root = first.traces().record(RUN, SpanRecord.of("root", 0, 10)
                .withAttribute("b", Value.of(2.5)).withAttribute("a", Value.of(new byte[] {1, 2})));
            final String childId = first.traces().record(RUN, SpanRecord.of("child", 1, 2).withParent(root)
                .withAttribute("\u00e9", Value.NULL));
            child = first.traces().get(RUN, childId).orElseThrow();
            hash = first.stateHash();
        }
        try (Database second = Database.builder().directory(dir).segmentLength(64 << 10).open())
        {
            assertEquals(hash, second.stateHash());
            assertEquals(child, second.traces().get(RUN, child.spanId()).orElseThrow());
            final Span root = second.traces().get(RUN, child.parentSpanId()).orElseThrow();
            assertEquals(Value.of(2.5), root.attributes().get("b"));
            assertEquals(2, allSpans(second).size());
        }
    }

    @Test
    void shouldProduceSameIdsAndStateHashWhenSeededDatabasesGetSameOperations()
    {
        final List<String> first = new ArrayList<>();
        final List<String> second = new ArrayList<>();
        final List<String> otherSeed = new ArrayList<>();

        final String hash = recordSeeded(42, first);
        assertEquals(hash, recordSeeded(42, second));
        assertNotEquals(hash, recordSeeded(43, otherSeed));

        assertEquals(first, second);
        assertEquals(4, first.size());
        assertFalse(first.stream().anyMatch(otherSeed::contains));
    }

    private static String recordSeeded(final long seed, final List<String> ids)
    {
        try (Database seeded = Database.builder().durability(DurabilityMode.IN_MEMORY).clock(new ManualClock())
            .idGenerator(IdGenerator.seeded(seed)).open())
        {
            seeded.beginRun(RUN);
            final String root = seeded.traces().record(RUN, SpanRecord.of("root", 0, 10));
            ids.add(root);
            ids.add(seeded.traces().get(RUN, root).orElseThrow().traceId());
            ids.add(seeded.traces().record(RUN, SpanRecord.of("child", 1, 2).withParent(root)));
            ids.add(seeded.traces().record(RUN, "simple", Value.of(1)));
            return seeded.stateHash();
        }
    }

    @Test
    void shouldRecordParentAndChildTogetherWhenTransactionCommits()
    {
        final TxResult<String> result = db.transaction(RUN, tx ->
        {
            final String root = tx.recordSpan(SpanRecord.of("root", 0, 10));
            tx.recordSpan(SpanRecord.of("child", 1, 2).withParent(root));
            tx.put("k", Value.of(1));
            return root;
        });

        assertTrue(result.isCommitted());
        final Span root = db.traces().get(RUN, ((TxResult.Committed<String>)result).value()).orElseThrow();
        final List<SpanNode> tree = db.traces().trace(RUN, root.traceId());
        assertEquals(1, tree.size());
        assertEquals(1, tree.get(0).children().size());
        assertEquals("child", tree.get(0).children().get(0).span().name());
    }

    @Test
    void shouldWriteNothingWhenTransactionSpanHasMissingParent()
    {
        final InvalidArgumentException failure = assertThrows(InvalidArgumentException.class,
            () -> db.transaction(RUN, tx ->
            {
                tx.recordSpan(SpanRecord.of("root", 0, 10));
                tx.put("k", Value.of(1));
                return tx.recordSpan(SpanRecord.of("child", 1, 2).withParent(ABSENT_ID));
            }));

        assertEquals(ErrorCode.SPAN_NOT_FOUND, failure.code());
        assertEquals(List.of(), allSpans(db));
        assertEquals(Optional.empty(), db.kv().get(RUN, "k"));
    }

    @Test
    void shouldRestoreEqualSectionWhenSnapshotIsDeserialized()
    {
        final TracePrimitive primitive = new TracePrimitive();
        final SpanId trace = SpanId.of(new UUID(1, 1));
        final SpanId root = SpanId.of(new UUID(-1, 5));
        final SpanId child = SpanId.of(new UUID(2, 2));
        final TreeMap<Key, Value> attributes = new TreeMap<>(Map.of(Key.of("z"), Value.of(1), Key.of("a"),
            Value.of("x")));
        apply(primitive, RUN, 1, new TracePrimitive.StoredSpan(root, trace, null, Key.of("root"), 0, 9,
            Collections.unmodifiableSortedMap(attributes)));
        apply(primitive, RUN, 2, new TracePrimitive.StoredSpan(child, trace, root, Key.of("child"), 3, 4,
            Collections.emptySortedMap()));
        apply(primitive, RunId.of(0, 1), 3, new TracePrimitive.StoredSpan(child, trace, null, Key.of("x"), 3, 3,
            Collections.emptySortedMap()));

        final byte[] section = primitive.snapshotSerialize();
        final TracePrimitive restored = new TracePrimitive();
        restored.snapshotDeserialize(section);

        assertArrayEquals(section, restored.snapshotSerialize());
        assertEquals(primitive.get(RUN, root), restored.get(RUN, root));
        assertEquals(List.of(root, child), ids(restored, RUN, trace));
        assertEquals("ffffffffffffffff0000000000000005", root.hex());
        assertEquals(root, SpanId.parse(root.hex()));
    }

    private static List<SpanId> ids(final TracePrimitive primitive, final RunId run, final SpanId trace)
    {
        final Function<TracePrimitive.StoredSpan, SpanId> id = TracePrimitive.StoredSpan::id;
        return primitive.trace(run, trace).stream().map(id).toList();
    }

    private static void apply(final TracePrimitive primitive, final RunId run, final long position,
        final TracePrimitive.StoredSpan span)
    {
        primitive.applyWalEntry(new WalEntry(WalEntryType.TRACE_RECORD.code(), new TxId(new UUID(0, position)), run,
            position, TracePrimitive.recordBody(span)));
    }
}
