/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ClosedException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.tally.engine.EngineTesting.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Promises of the public API's Javadoc that a caller meets at its edges: a null transaction body is an invalid
 * argument, a lost compare-and-set is a commit conflict in the stats, calls after {@code close()} fail with
 * {@code CLOSED}, and waiting for a position past the end of the log fails at once instead of blocking.
 */
@Timeout(30)
class ApiContractTest
{
    private static final RunId RUN = RunId.of(3, 4);

    @TempDir
    Path dir;

    @Test
    void shouldRejectANullTransactionBodyAsAnInvalidArgumentWhenCommitting()
    {
        try (Database db = Database.openInMemory())
        {
            db.beginRun(RUN);
            assertCode(InvalidArgumentException.class, ErrorCode.INVALID_ARGUMENT, () -> db.transaction(RUN, null));
        }
    }

    @Test
    void shouldCountALostCompareAndSetAsACommitConflictWhenReadingStats()
    {
        for (final Database db : List.of(Database.openInMemory(), Database.open(dir)))
        {
            try (db)
            {
                db.beginRun(RUN);
                db.state().set(RUN, "cell", Value.of(1L));
                final long version = db.state().get(RUN, "cell").orElseThrow().version();
                assertEquals(true, db.state().cas(RUN, "cell", version, Value.of(2L)).isSuccess());
                assertEquals(0, db.stats().commitConflicts());
                assertFalse(db.state().cas(RUN, "cell", version, Value.of(3L)).isSuccess());
                assertEquals(1, db.stats().commitConflicts());
                db.transaction(RUN, tx -> tx.cell("cell"));
                assertEquals(1, db.stats().commitConflicts());
            }
        }
    }

    @Test
    void shouldFailWithClosedWhenStatsPositionsOrTheRecoveryResultAreAskedAfterClose()
    {
        for (final Database db : List.of(Database.openInMemory(), Database.open(dir)))
        {
            db.close();
            for (final Executable call : new Executable[] {db::stats, db::durablePosition, db::lastRecoveryResult,
                db::visiblePosition, () -> db.awaitDurable(0)})
            {
                assertCode(ClosedException.class, ErrorCode.CLOSED, call);
            }
        }
    }

    @Test
    void shouldFailAtOnceWhenAwaitingAPositionPastTheEndOfTheLog()
    {
        for (final DurabilityMode mode : new DurabilityMode[] {DurabilityMode.STRICT, DurabilityMode.BUFFERED})
        {
            try (Database db = Database.builder().directory(dir.resolve(mode.name())).durability(mode).open())
            {
                db.beginRun(RUN);
                db.kv().put(RUN, "k", Value.of(1L));
                final long end = db.visiblePosition();
                db.awaitDurable(end);
                assertEquals(end, db.durablePosition());
                assertCode(InvalidArgumentException.class, ErrorCode.INVALID_ARGUMENT,
                    () -> db.awaitDurable(end + 64));
                assertCode(InvalidArgumentException.class, ErrorCode.INVALID_ARGUMENT,
                    () -> db.awaitDurable(Long.MAX_VALUE));
            }
        }
    }

    @Test
    void shouldRejectPointersThatRfc6901MakesErrorsWhenEditingJson()
    {
        try (Database db = Database.openInMemory())
        {
            db.beginRun(RUN);
            db.json().create(RUN, "doc", Json.createObjectBuilder()
                .add("arr", Json.createArrayBuilder().add(10).add(11).add(12))
                .add("obj", Json.createObjectBuilder().add("01", "member")).build());
            final JsonValue one = Json.createValue(1);
            for (final String path : new String[] {"/arr/01", "/arr/00", "/arr/-1", "/arr/1x", "/arr/", "/~2",
                "/~", "/obj/~", "/obj/a~", "/obj/~2x"})
            {
                assertCode(InvalidArgumentException.class, ErrorCode.INVALID_JSON_PATH,
                    () -> db.json().set(RUN, "doc", path, one));
                assertCode(InvalidArgumentException.class, ErrorCode.INVALID_JSON_PATH,
                    () -> db.json().delete(RUN, "doc", path));
                assertCode(InvalidArgumentException.class, ErrorCode.INVALID_JSON_PATCH,
                    () -> db.json().patch(RUN, "doc", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("op", "add").add("path", path).add("value", 1)).build()));
            }
            final String before = db.json().get(RUN, "doc").orElseThrow().document().toString();
            assertEquals("[10,11,12]", Json.createReader(new java.io.StringReader(before)).readObject()
                .getJsonArray("arr").toString(), "no rejected edit wrote anything");
            db.json().set(RUN, "doc", "/arr/0", Json.createValue(0));
            db.json().set(RUN, "doc", "/arr/3", Json.createValue(13));
            db.json().set(RUN, "doc", "/arr/-", Json.createValue(14));
            db.json().set(RUN, "doc", "/obj/01", Json.createValue("still a member name"));
            db.json().set(RUN, "doc", "/obj/a~1b~0c", Json.createValue("escaped"));
            // The second operation's index exists only once the first has run: each pointer meets its own document.
            db.json().patch(RUN, "doc", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("op", "add").add("path", "/arr/-").add("value", 15))
                .add(Json.createObjectBuilder().add("op", "remove").add("path", "/arr/5")).build());
            assertEquals("{\"arr\":[0,11,12,13,14],\"obj\":{\"01\":\"still a member name\",\"a/b~c\":\"escaped\"}}",
                db.json().get(RUN, "doc").orElseThrow().document().toString());
        }
    }
}
