/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.engine.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.tally.tools.TallyFixtures.RUN_A;
import static dev.tally.tools.TallyFixtures.RUN_B;
import static dev.tally.tools.TallyFixtures.hashDirectory;
import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each operator command end-to-end on a real, undamaged database directory. */
@Timeout(60)
class TallyCommandsTest
{
    @Test
    void shouldDescribeSegmentsSnapshotsAndRunsWhenDatabaseIsClean(@TempDir final Path dir)
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final TallyFixtures.Result result = tally("describe", db.toString());
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().contains("database id  " + Database.databaseId(db).orElseThrow()), result::toString);
        assertTrue(result.out().contains("snapshots    1"), result::toString);
        assertTrue(result.out().contains("run        " + RUN_A + "  ended"), result::toString);
        assertTrue(result.out().contains("run        " + RUN_B + "  active"), result::toString);
        assertTrue(result.out().contains("clean end at position"), result::toString);
        final TallyFixtures.Result json = tally("describe", db.toString(), "--json");
        assertEquals(0, json.code(), json::toString);
        assertTrue(json.out().startsWith("{") && json.out().contains("\"clean\":true"), json::toString);
    }

    @Test
    void shouldChangeNoByteWhenReadOnlyCommandsRun(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final String before = hashDirectory(db);
        final String path = db.toString();
        for (final String[] args : new String[][] {{"describe", path}, {"verify", path}, {"dump", path},
            {"recover", path, "--dry-run"}, {"replay", path, RUN_A.toString()},
            {"diff", path, RUN_A.toString(), RUN_B.toString()},
            {"export", path, RUN_A.toString(), dir.resolve("a.bundle").toString()}})
        {
            final TallyFixtures.Result result = tally(args);
            assertEquals(0, result.code(), () -> String.join(" ", args) + "\n" + result);
        }
        assertEquals(before, hashDirectory(db));
    }

    @Test
    void shouldReadWithoutTheLockWhenAnotherOpenHoldsTheDirectory(@TempDir final Path dir) throws Exception
    {
        final Path path = TallyFixtures.database(dir.resolve("db"), false);
        try (Database live = Database.open(path))
        {
            final String before = hashDirectory(path);
            assertEquals(0, tally("verify", path.toString()).code());
            assertEquals(0, tally("replay", path.toString(), RUN_B.toString()).code());
            assertEquals(0, tally("recover", path.toString(), "--dry-run").code());
            assertEquals(before, hashDirectory(path));
            final TallyFixtures.Result truncate = tally("truncate-tail", path.toString(), "--confirm");
            assertEquals(3, truncate.code(), truncate::toString);
            assertTrue(truncate.err().contains("in use by another process"), truncate::toString);
            assertEquals(3, tally("recover", path.toString()).code());
            assertTrue(live.kv().get(RUN_B, "order/1").isPresent());
        }
    }

    @Test
    void shouldPrintDecodedFramesOneALineWhenDumpIsFiltered(@TempDir final Path dir)
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final TallyFixtures.Result all = tally("dump", db.toString(), "--run", RUN_B.toString());
        assertEquals(0, all.code(), all::toString);
        assertTrue(all.out().lines().filter(l -> l.startsWith("position=")).allMatch(l -> l.contains(RUN_B.toString())));
        final TallyFixtures.Result puts = tally("dump", db.toString(), "--type", "EVENT_APPEND", "--from", "4096");
        assertEquals(0, puts.code(), puts::toString);
        assertTrue(puts.out().lines().filter(l -> l.startsWith("position=")).allMatch(l -> l.contains("EVENT_APPEND")
            && Long.parseLong(l.substring(9, l.indexOf(' '))) >= 4096), puts::toString);
        assertTrue(puts.out().contains("entries=KV_PUT("), puts::toString);
    }

    @Test
    void shouldReplayAsOfAndDiffAsJsonPatchWhenRunsExist(@TempDir final Path dir)
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final TallyFixtures.Result replay = tally("replay", db.toString(), RUN_A.toString(), "--as-of", "2", "--json");
        assertEquals(0, replay.code(), replay::toString);
        assertTrue(replay.out().contains("\"changes\":2"), replay::toString);
        final TallyFixtures.Result patch = tally("diff", db.toString(), RUN_A.toString(), RUN_B.toString(),
            "--json-patch", "--json");
        assertEquals(0, patch.code(), patch::toString);
        assertTrue(patch.out().startsWith("[{\"op\":"), patch::toString);
    }

    @Test
    void shouldImportAnExportedRunWhenBundleIsIntact(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final Path bundle = dir.resolve("run-a.bundle");
        assertEquals(0, tally("export", db.toString(), RUN_A.toString(), bundle.toString()).code());
        final TallyFixtures.Result imported = tally("import", dir.resolve("other").toString(), bundle.toString());
        assertEquals(0, imported.code(), imported::toString);
        assertTrue(imported.out().contains("matches the bundle's view.json"), imported::toString);
        try (Database other = Database.open(dir.resolve("other")); Database source = Database.open(db))
        {
            assertEquals(source.replayRun(RUN_A).toJsonText(), other.replayRun(RUN_A).toJsonText());
        }
        final TallyFixtures.Result again = tally("import", dir.resolve("other").toString(), bundle.toString());
        assertEquals(2, again.code(), again::toString);
        assertTrue(again.err().contains("RUN_ALREADY_EXISTS"), again::toString);
    }

    @Test
    void shouldRecoverForRealWhenDryRunIsNotGiven(@TempDir final Path dir)
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final TallyFixtures.Result result = tally("recover", db.toString(), "--json");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().contains("\"dryRun\":false") && result.out().contains("\"case\":"), result::toString);
        assertFalse(Files.exists(db.resolve("--help")));
    }
}
