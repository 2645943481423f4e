/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.tally.tools.TallyFixtures.RUN_A;
import static dev.tally.tools.TallyFixtures.RUN_B;
import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: every operator command, in text and in --json, on each kind of damage the issue names (a flipped bit in a
 * frame, a truncated segment, a segment of another database, a flipped bit in a snapshot, a foreign file): the
 * documented exit code, one line on standard error when it refuses and no stack trace, JSON that parses, and not a byte
 * changed, also by the writing commands, which refuse damage before the durable position. Method: a real database
 * (two runs, two 64 KiB segments, a snapshot) damaged by hand at fixed places. Deterministic.
 */
@Timeout(90)
class TallyDamageMatrixTest
{
    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int DAMAGED = 3;

    @TempDir
    static Path shared;

    private static Path bundle;

    @BeforeAll
    static void exportABundle()
    {
        final Path source = TallyFixtures.database(shared.resolve("source"), false);
        bundle = shared.resolve("run-a.bundle");
        assertEquals(0, tally("export", source.toString(), RUN_A.toString(), bundle.toString()).code());
    }

    @Test
    void shouldRefuseEverythingButVerifyWhenAFrameHasAFlippedBit(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        TallyFixtures.flipBit(TallyFixtures.files(db, ".wal").get(1), 4096 + 40);
        assertLogDamage(db, dir, "CRC_MISMATCH");
    }

    @Test
    void shouldRefuseEverythingButVerifyWhenASegmentIsTruncated(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final Path segment = TallyFixtures.files(db, ".wal").get(1);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE))
        {
            channel.truncate(Files.size(segment) / 2);
        }
        assertLogDamage(db, dir, "BAD_HEADER");
    }

    @Test
    void shouldRefuseEverythingButVerifyWhenASegmentBelongsToAnotherDatabase(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final Path other = TallyFixtures.database(dir.resolve("other"), false);
        Files.copy(TallyFixtures.files(other, ".wal").get(1), TallyFixtures.files(db, ".wal").get(1),
            StandardCopyOption.REPLACE_EXISTING);
        assertLogDamage(db, dir, "FOREIGN_DATABASE");
    }

    @Test
    void shouldReadFromTheLogWhenTheSnapshotHasAFlippedBit(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final Path snapshot = TallyFixtures.files(db, ".snap").get(0);
        TallyFixtures.flipBit(snapshot, Files.size(snapshot) / 2);
        final Map<String, TallyFixtures.Result> results = assertReadOnly(db, dir, Map.of("verify", FAILED));
        assertTrue(results.get("verify").out().contains("verify: FAILED: " + snapshot.getFileName()),
            () -> results.get("verify").toString());
        assertTrue(results.get("recover").out().contains("rejected   " + snapshot.getFileName()),
            () -> results.get("recover").toString());
        assertTrue(results.get("verify --json").out().contains("\"code\":\"CORRUPT_SNAPSHOT\""),
            () -> results.get("verify --json").toString());
    }

    @Test
    void shouldReadAsUsualAndNameTheFileWhenAForeignFileLiesInTheDirectory(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        Files.writeString(db.resolve("notes.txt"), "not ours");
        final Map<String, TallyFixtures.Result> results = assertReadOnly(db, dir, Map.of());
        assertTrue(results.get("describe").out().contains("other files  notes.txt (not part of the database)"),
            () -> results.get("describe").toString());
        assertTrue(results.get("describe --json").out().contains("\"otherFiles\":[\"notes.txt\"]"),
            () -> results.get("describe --json").toString());
        assertTrue(results.get("verify").out().contains("verify: clean"), () -> results.get("verify").toString());
    }

    /** Log damage before the durable position: every command but verify refuses with 3, verify fails with 1. */
    private static void assertLogDamage(final Path db, final Path dir, final String reason) throws Exception
    {
        final Map<String, Integer> codes = new LinkedHashMap<>();
        for (final String command : new String[] {"describe", "dump", "recover", "replay", "diff", "export"})
        {
            codes.put(command, DAMAGED);
        }
        codes.put("verify", FAILED);
        final Map<String, TallyFixtures.Result> results = assertReadOnly(db, dir, codes);
        assertTrue(results.get("verify").out().contains(reason), () -> results.get("verify").toString());
        assertTrue(results.get("verify --json").out().contains("\"reason\":\"" + reason + "\""),
            () -> results.get("verify --json").toString());
        for (final String command : new String[] {"describe", "dump", "recover", "replay"})
        {
            assertTrue(results.get(command).err().contains(reason), () -> results.get(command).toString());
        }
        final String before = hashWithoutLock(db);
        final String path = db.toString();
        for (final String[] args : new String[][] {{"truncate-tail", path}, {"truncate-tail", path, "--confirm"},
            {"truncate-tail", path, "--confirm", "--json"}, {"recover", path}, {"recover", path, "--json"},
            {"import", path, bundle.toString()}, {"import", path, bundle.toString(), "--json"}})
        {
            final TallyFixtures.Result result = tally(args);
            assertEquals(DAMAGED, result.code(), () -> String.join(" ", args) + "\n" + result);
            assertOneLine(result, args);
            assertTrue(result.err().contains(reason), () -> String.join(" ", args) + "\n" + result);
            assertEquals(before, hashWithoutLock(db), () -> String.join(" ", args) + " changed a byte");
        }
    }

    /**
     * Runs every read-only command in text and in --json, checking its exit code (0 unless named), one line on
     * standard error when it fails, JSON that parses, and no byte changed.
     */
    private static Map<String, TallyFixtures.Result> assertReadOnly(final Path db, final Path dir,
        final Map<String, Integer> codes) throws Exception
    {
        final String path = db.toString();
        final String before = TallyFixtures.hashDirectory(db);
        final Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("describe", new String[] {"describe", path});
        commands.put("verify", new String[] {"verify", path});
        commands.put("dump", new String[] {"dump", path});
        commands.put("recover", new String[] {"recover", path, "--dry-run"});
        commands.put("replay", new String[] {"replay", path, RUN_A.toString()});
        commands.put("diff", new String[] {"diff", path, RUN_A.toString(), RUN_B.toString()});
        commands.put("export", new String[] {"export", path, RUN_A.toString(), ""});
        final Map<String, TallyFixtures.Result> results = new LinkedHashMap<>();
        for (final Map.Entry<String, String[]> command : commands.entrySet())
        {
            for (final boolean isJson : new boolean[] {false, true})
            {
                final String name = command.getKey() + (isJson ? " --json" : "");
                final String[] args = java.util.Arrays.copyOf(command.getValue(), command.getValue().length
                    + (isJson ? 1 : 0));
                if (isJson)
                {
                    args[args.length - 1] = "--json";
                }
                if (command.getKey().equals("export"))
                {
                    args[3] = dir.resolve(name.replace(' ', '-') + ".bundle").toString();
                }
                final TallyFixtures.Result result = tally(args);
                results.put(name, result);
                final int expected = codes.getOrDefault(command.getKey(), OK);
                assertEquals(expected, result.code(), () -> name + "\n" + result);
                assertFalse(result.err().contains("\tat "), () -> name + "\n" + result);
                if (expected == DAMAGED)
                {
                    assertOneLine(result, args);
                }
                if (expected == FAILED && !isJson)
                {
                    // A failed check is a report on standard output, ending in one line that names the problem.
                    final java.util.List<String> lines = result.out().lines().toList();
                    assertTrue(lines.get(lines.size() - 1).startsWith("verify: FAILED: "), () -> name + "\n" + result);
                }
                if (isJson)
                {
                    for (final String line : result.out().lines().filter(l -> !l.isBlank()).toList())
                    {
                        assertTrue(line.startsWith("{") || line.startsWith("["), () -> name + "\n" + result);
                        Json.createReader(new StringReader(line)).read();
                    }
                }
                assertEquals(before, TallyFixtures.hashDirectory(db), () -> name + " changed a byte");
            }
        }
        return results;
    }

    private static void assertOneLine(final TallyFixtures.Result result, final String[] args)
    {
        assertEquals(1, result.err().lines().count(), () -> String.join(" ", args) + "\n" + result);
        assertFalse(result.err().contains("\tat "), () -> String.join(" ", args) + "\n" + result);
    }

    private static String hashWithoutLock(final Path db) throws Exception
    {
        final Path lock = db.resolve("tally.lock");
        final byte[] saved = Files.readAllBytes(lock);
        Files.delete(lock);
        try
        {
            return TallyFixtures.hashDirectory(db);
        }
        finally
        {
            Files.write(lock, saved);
        }
    }
}
