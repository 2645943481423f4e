/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.core.Key;
import dev.tally.core.testing.ManualClock;
import dev.tally.primitives.CanonicalJson;
import dev.tally.primitives.JsonPrimitive;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class JsonStoreTest
{
    private static final RunId RUN = RunId.of(0x1234L, 0x5678L);

    private Database db;

    @BeforeEach
    void open()
    {
        db = Database.openInMemory();
        db.beginRun(RUN);
    }

    @AfterEach
    void close()
    {
        db.close();
    }

    /** Parses JSON written with single quotes for readability. */
    private static JsonValue j(final String text)
    {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readValue();
    }

    private static JsonArray patch(final String text)
    {
        return j(text).asJsonArray();
    }

    private JsonValue doc(final String key)
    {
        return db.json().get(RUN, key).orElseThrow().document();
    }

    private static void assertCode(final ErrorCode code, final Executable call)
    {
        assertEquals(code, assertThrows(InvalidArgumentException.class, call).code());
    }

    @Test
    void shouldReturnDocumentWithVersionWhenCreated()
    {
        db.json().create(RUN, "d", j("{'b':[1,2],'a':'x'}"));

        final JsonDoc read = db.json().get(RUN, "d").orElseThrow();
        assertEquals("d", read.key());
        assertEquals(j("{'a':'x','b':[1,2]}"), read.document());
        assertTrue(read.version() > 0);
        assertEquals(Optional.empty(), db.json().get(RUN, "other"));
    }

    @Test
    void shouldReplaceAddAndAppendWhenSetAtPaths()
    {
        db.json().create(RUN, "d", j("{'a':{'b':1},'arr':[1,2,3]}"));
        final long created = db.json().get(RUN, "d").orElseThrow().version();

        db.json().set(RUN, "d", "/a/b", j("{'deep':true}"));
        db.json().set(RUN, "d", "/a/c", Json.createValue("new"));
        db.json().set(RUN, "d", "/arr/1", Json.createValue(20));
        db.json().set(RUN, "d", "/arr/-", Json.createValue(4));
        db.json().set(RUN, "d", "/a~1b", JsonValue.NULL);

        assertEquals(j("{'a':{'b':{'deep':true},'c':'new'},'a/b':null,'arr':[1,20,3,4]}"), doc("d"));
        assertTrue(db.json().get(RUN, "d").orElseThrow().version() > created);

        db.json().set(RUN, "d", "", j("[true]"));
        assertEquals(j("[true]"), doc("d"));
    }

    @Test
    void shouldRemoveMemberWhenDeletedAtPathAndDocumentWhenDeletedWhole()
    {
        db.json().create(RUN, "d", j("{'a':{'b':1,'c':2},'arr':[1,2,3]}"));

        db.json().delete(RUN, "d", "/a/b");
        db.json().delete(RUN, "d", "/arr/0");
        assertEquals(j("{'a':{'c':2},'arr':[2,3]}"), doc("d"));

        assertTrue(db.json().delete(RUN, "d"));
        assertEquals(Optional.empty(), db.json().get(RUN, "d"));
        assertFalse(db.json().delete(RUN, "d"));
    }

    @Test
    void shouldApplyEveryOperationWhenPatchIsValid()
    {
        db.json().create(RUN, "d", j("{'a':1,'b':{'c':[1,2]},'gone':0}"));

        db.json().patch(RUN, "d", patch("[{'op':'test','path':'/a','value':1},"
            + "{'op':'add','path':'/b/c/1','value':9},"
            + "{'op':'remove','path':'/gone'},"
            + "{'op':'replace','path':'/a','value':'one'},"
            + "{'op':'move','from':'/b/c','path':'/moved'},"
            + "{'op':'copy','from':'/moved','path':'/copied'}]"));

        assertEquals(j("{'a':'one','b':{},'moved':[1,9,2],'copied':[1,9,2]}"), doc("d"));
    }

    @Test
    void shouldLeaveDocumentAndLogUnchangedWhenEditFails(@TempDir final Path dir)
    {
        try (Database strict = Database.builder().directory(dir).segmentLength(64 << 10).open())
        {
            strict.beginRun(RUN);
            strict.json().create(RUN, "d", j("{'a':{'b':[1]}}"));
            final JsonDoc before = strict.json().get(RUN, "d").orElseThrow();
            final long appends = strict.stats().appends();
            final String hash = strict.stateHash();

            final JsonStore store = strict.json();
            assertCode(ErrorCode.INVALID_JSON_PATH, () -> store.set(RUN, "d", "/x/y", JsonValue.TRUE));
            assertCode(ErrorCode.INVALID_JSON_PATH, () -> store.set(RUN, "d", "a", JsonValue.TRUE));
            assertCode(ErrorCode.INVALID_JSON_PATH, () -> store.set(RUN, "d", "/a/b/7", JsonValue.TRUE));
            assertCode(ErrorCode.INVALID_JSON_PATH, () -> store.delete(RUN, "d", "/a/missing"));
            assertCode(ErrorCode.INVALID_JSON_PATH, () -> store.delete(RUN, "d", ""));
            assertCode(ErrorCode.INVALID_JSON_PATCH, () -> store.patch(RUN, "d",
                patch("[{'op':'add','path':'/z','value':1},{'op':'test','path':'/a/b/0','value':2}]")));
            assertCode(ErrorCode.INVALID_JSON_PATCH, () -> store.patch(RUN, "d",
                patch("[{'op':'bogus','path':'/a'}]")));
            assertCode(ErrorCode.INVALID_JSON_PATCH, () -> store.patch(RUN, "d", patch("[{'op':'add','path':'/z'}]")));
            assertCode(ErrorCode.INVALID_JSON_PATCH, () -> store.patch(RUN, "d", patch("[{'op':'remove'}]")));
            assertCode(ErrorCode.INVALID_JSON_PATCH, () -> store.patch(RUN, "d", patch("[1]")));

            assertEquals(before, strict.json().get(RUN, "d").orElseThrow());
            assertEquals(appends, strict.stats().appends());
            assertEquals(hash, strict.stateHash());

            store.set(RUN, "d", "/a/b/-", JsonValue.TRUE);
            assertEquals(appends + 1, strict.stats().appends());
        }
    }

    @Test
    void shouldThrowDocumentNotFoundWhenEditingAbsentDocument()
    {
        assertCode(ErrorCode.DOCUMENT_NOT_FOUND, () -> db.json().set(RUN, "none", "/a", JsonValue.TRUE));
        assertCode(ErrorCode.DOCUMENT_NOT_FOUND, () -> db.json().delete(RUN, "none", "/a"));
        assertCode(ErrorCode.DOCUMENT_NOT_FOUND, () -> db.json().patch(RUN, "none", patch("[]")));
    }

    @Test
    void shouldThrowDocumentAlreadyExistsWhenCreatedTwice()
    {
        db.json().create(RUN, "d", j("{'v':1}"));

        assertCode(ErrorCode.DOCUMENT_ALREADY_EXISTS, () -> db.json().create(RUN, "d", j("{'v':2}")));
        assertEquals(j("{'v':1}"), doc("d"));
    }

    @Test
    void shouldThrowValueTooLargeWhenCanonicalTextExceedsLimit()
    {
        try (Database small = Database.builder().valueLengthMax(64).durability(DurabilityMode.IN_MEMORY).open())
        {
            small.beginRun(RUN);
            final String fits = "x".repeat(64 - "{'s':''}".length());
            small.json().create(RUN, "d", j("{'s':'" + fits + "'}"));

            assertCode(ErrorCode.VALUE_TOO_LARGE,
                () -> small.json().create(RUN, "e", j("{'s':'" + fits + "x'}")));
            assertCode(ErrorCode.VALUE_TOO_LARGE, () -> small.json().set(RUN, "d", "/t", JsonValue.TRUE));
            assertEquals(Optional.empty(), small.json().get(RUN, "e"));
        }
    }

    @Test
    void shouldKeepDocumentsAndStateHashWhenReopened(@TempDir final Path dir)
    {
        final String hash;
        try (Database first = Database.builder().directory(dir).segmentLength(64 << 10).open())
        {
            first.beginRun(RUN);
            first.json().create(RUN, "a", j("{'n':1.50,'s':'\\u00e9\\n','z':[{'y':null,'x':false}]}"));
            first.json().create(RUN, "b", Json.createValue("scalar"));
            first.json().create(RUN, "c", j("{}"));
            first.json().set(RUN, "a", "/z/0/w", Json.createValue(7));
            first.json().patch(RUN, "a", patch("[{'op':'copy','from':'/n','path':'/m'}]"));
            first.json().delete(RUN, "a", "/s");
            first.json().delete(RUN, "c");
            hash = first.stateHash();
        }
        try (Database second = Database.builder().directory(dir).segmentLength(64 << 10).open())
        {
            assertEquals(hash, second.stateHash());
            assertEquals(j("{'m':1.50,'n':1.50,'z':[{'w':7,'x':false,'y':null}]}"),
                second.json().get(RUN, "a").orElseThrow().document());
            assertEquals(Json.createValue("scalar"), second.json().get(RUN, "b").orElseThrow().document());
            assertEquals(Optional.empty(), second.json().get(RUN, "c"));
        }
    }

    @Test
    void shouldGiveEqualStateHashWhenMembersWereBuiltInDifferentOrders()
    {
        final JsonValue forward = Json.createObjectBuilder().add("a", 1).add("b", Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("x", "1").add("y", true))).add("\u00e9", 2).build();
        final JsonValue backward = Json.createObjectBuilder().add("\u00e9", 2).add("b", Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("y", true).add("x", "1"))).add("a", 1).build();
        final JsonValue different = Json.createObjectBuilder().add("a", 1).add("b", Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("x", "1").add("y", false))).add("\u00e9", 2).build();

        final String forwardHash = hashAfterCreate(forward);
        assertEquals(forwardHash, hashAfterCreate(backward));
        assertNotEquals(forwardHash, hashAfterCreate(different));
    }

    private static String hashAfterCreate(final JsonValue document)
    {
        try (Database fresh = Database.builder().durability(DurabilityMode.IN_MEMORY).clock(new ManualClock()).open())
        {
            fresh.beginRun(RUN);
            fresh.json().create(RUN, "d", document);
            return fresh.stateHash();
        }
    }

    @Test
    void shouldWriteCanonicalTextWhenMembersAreUnsortedAndStringsNeedEscapes()
    {
        final JsonValue value = Json.createObjectBuilder()
            .add("\uffff", 1)
            .add("\ud83d\ude00", 2)
            .add("b", "q\"\\/\b\f\n\r\t\u0001\u001f\u007f\u2028\ud800x")
            .add("a", Json.createArrayBuilder().add(1.5).add(10L).add(JsonValue.NULL).add(JsonValue.FALSE))
            .build();

        assertEquals("{\"a\":[1.5,10,null,false],\"b\":\"q\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028\\ud800x\","
            + "\"\uffff\":1,\"\ud83d\ude00\":2}", CanonicalJson.write(value));
        final String text = CanonicalJson.write(value);
        assertEquals(text, CanonicalJson.write(CanonicalJson.parse(text)));
    }

    @Test
    void shouldRestoreEqualSectionWhenSnapshotIsDeserialized()
    {
        final JsonPrimitive primitive = new JsonPrimitive();
        final RunId other = RunId.of(1, 1);
        apply(primitive, WalEntryType.JSON_CREATE, RUN, 3, JsonPrimitive.createBody(Key.of("k2"), "{\"a\":1}"));
        apply(primitive, WalEntryType.JSON_CREATE, RUN, 4, JsonPrimitive.createBody(Key.of("k1"), "[]"));
        apply(primitive, WalEntryType.JSON_CREATE, other, 5, JsonPrimitive.createBody(Key.of("k"), "\"s\""));
        apply(primitive, WalEntryType.JSON_SET, RUN, 6,
            JsonPrimitive.editBody(WalEntryType.JSON_SET.code(), Key.of("k1"), "/-", "[true]"));

        final byte[] section = primitive.snapshotSerialize();
        final JsonPrimitive restored = new JsonPrimitive();
        restored.snapshotDeserialize(section);

        assertArrayEquals(section, restored.snapshotSerialize());
        assertEquals(JsonValue.TRUE, restored.get(RUN, Key.of("k1")).value().asJsonArray().get(0));
        assertEquals(6, restored.version(RUN, Key.of("k1")));
    }

    private static void apply(final JsonPrimitive primitive, final WalEntryType type, final RunId run,
        final long position, final byte[] body)
    {
        primitive.applyWalEntry(new WalEntry(type.code(), new TxId(new UUID(0, position)), run, position, body));
    }

    @Test
    void shouldCommitJsonKvAndEventTogetherWhenTransactionCommits()
    {
        db.json().create(RUN, "d", j("{'n':1}"));

        final TxResult<Long> result = db.transaction(RUN, tx ->
        {
            tx.setJson("d", "/n", Json.createValue(2));
            tx.patchJson("d", patch("[{'op':'test','path':'/n','value':2},{'op':'add','path':'/m','value':3}]"));
            tx.createJson("e", j("[1]"));
            tx.put("k", Value.of("v"));
            assertEquals(j("{'m':3,'n':2}"), tx.json("d").orElseThrow().document());
            return tx.append("changed", Value.of(1));
        });

        assertTrue(result.isCommitted());
        assertEquals(j("{'m':3,'n':2}"), doc("d"));
        assertEquals(j("[1]"), doc("e"));
        assertEquals(Optional.of(Value.of("v")), db.kv().get(RUN, "k"));
        assertEquals(1, db.events().count(RUN));
        final long position = ((TxResult.Committed<Long>)result).position();
        assertEquals(position, db.json().get(RUN, "d").orElseThrow().version());
        assertEquals(position, db.json().get(RUN, "e").orElseThrow().version());
    }

    @Test
    void shouldLeaveEverythingUntouchedWhenTransactionPatchFails()
    {
        db.json().create(RUN, "d", j("{'n':1}"));
        final String hash = db.stateHash();

        final InvalidArgumentException failure = assertThrows(InvalidArgumentException.class,
            () -> db.transaction(RUN, tx ->
            {
                tx.put("k", Value.of("v"));
                tx.setJson("d", "/n", Json.createValue(2));
                tx.deleteJson("d");
                tx.createJson("d", j("{'n':5}"));
                tx.patchJson("d", patch("[{'op':'test','path':'/n','value':1}]"));
                return null;
            }));

        assertEquals(ErrorCode.INVALID_JSON_PATCH, failure.code());
        assertEquals(Optional.empty(), db.kv().get(RUN, "k"));
        assertEquals(j("{'n':1}"), doc("d"));
        assertEquals(hash, db.stateHash());
    }

    @Test
    void shouldConflictWhenDocumentChangesAfterTransactionReadIt()
    {
        db.json().create(RUN, "d", j("{'n':1}"));

        final TxResult<Object> result = db.transaction(RUN, tx ->
        {
            tx.setJson("d", "/n", Json.createValue(2));
            db.json().set(RUN, "d", "/other", JsonValue.TRUE);
            return null;
        });

        assertFalse(result.isCommitted());
        assertEquals("json", ((TxResult.Conflicted<Object>)result).conflicts().get(0).primitive());
        assertEquals(j("{'n':1,'other':true}"), doc("d"));
    }

    @Test
    void shouldKeepEveryEditWhenThreadsEditOneDocumentConcurrently() throws Exception
    {
        db.json().create(RUN, "d", j("{}"));
        final int threads = 4;
        final int editsPerThread = 100;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                futures.add(pool.submit(() ->
                {
                    start.await();
                    for (int i = 0; i < editsPerThread; i++)
                    {
                        db.json().set(RUN, "d", "/t" + thread + "_" + i, Json.createValue(i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (final Future<?> future : futures)
            {
                future.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertEquals(threads * editsPerThread, doc("d").asJsonObject().size());
    }
}
