/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.engine.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.tally.tools.TallyFixtures.RUN_A;
import static dev.tally.tools.TallyFixtures.RUN_B;
import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the read-only commands never take the writer's lock from a running process, never disturb it and never change
 * a byte, and the commands that change bytes refuse a directory another process holds. Method: a child JVM
 * (HeldDatabaseChild) opens a real database in Strict mode and holds it; every read-only command runs first while the
 * child writes (comparing the files the child does not write: identity, lock file, snapshots, the segments it has
 * rolled past), then with the child paused at a known count (comparing every file, the lock file with the child's pid
 * in it included); the writing commands run against the paused child and must exit 3 with one line; at the end the
 * child keeps writing, closes cleanly, and every put it acknowledged is in the database. No randomness: a failure
 * replays by running the test again.
 */
@Timeout(90)
class TallyLiveWriterTest
{
    private static final boolean HAS_LOCK_TABLE = Files.isReadable(Path.of("/proc/locks"));

    @Test
    void shouldReadBesideALiveWriterAndRefuseToWriteWhenAnotherProcessHoldsTheDirectory(@TempDir final Path dir)
        throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), HeldDatabaseChild.class.getName(), db.toString())
            .redirectError(dir.resolve("child.err").toFile()).start();
        try (BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8)); PrintStream childIn = new PrintStream(child.getOutputStream(), true,
            StandardCharsets.UTF_8))
        {
            final long childPid = Long.parseLong(expect(childOut, "ready ", dir));
            assertEquals(child.pid(), childPid);
            final String path = db.toString();

            childIn.println("stream");
            expect(childOut, "streaming ", dir);
            final List<String[]> readOnly = readOnlyCommands(path, dir, "live");
            for (final String[] args : readOnly)
            {
                final Map<String, String> before = hashes(db, stillFiles(db));
                final TallyFixtures.Result result = tally(args);
                assertEquals(0, result.code(), () -> String.join(" ", args) + "\n" + result);
                assertTrue(child.isAlive(), () -> String.join(" ", args) + " stopped the child");
                final Map<String, String> after = hashes(db, stillFiles(db));
                assertTrue(after.keySet().containsAll(before.keySet()), () -> String.join(" ", args));
                after.keySet().retainAll(before.keySet());
                assertEquals(before, after, () -> String.join(" ", args) + " changed a file the child does not write");
            }
            childIn.println("pause");
            final int pausedAt = Integer.parseInt(expect(childOut, "paused ", dir));
            assertTrue(pausedAt > 0, "the child wrote nothing while the commands ran");

            final Map<String, String> still = settledHashes(db);
            assertTrue(still.containsKey("tally.lock"), still::toString);
            for (final String[] args : readOnlyCommands(path, dir, "paused"))
            {
                final TallyFixtures.Result result = tally(args);
                assertEquals(0, result.code(), () -> String.join(" ", args) + "\n" + result);
                assertEquals(still, hashes(db, name -> true), () -> String.join(" ", args) + " changed a byte");
                if (HAS_LOCK_TABLE && !args[0].equals("replay") && !args[0].equals("diff")
                    && !args[0].equals("export") && !java.util.Arrays.asList(args).contains("--json"))
                {
                    assertTrue(result.out().contains("in use") && result.out().contains("by process " + childPid),
                        () -> String.join(" ", args) + "\n" + result);
                }
            }
            final Path bundle = dir.resolve("a.bundle");
            assertEquals(0, tally("export", path, RUN_A.toString(), bundle.toString()).code());
            for (final String[] args : new String[][] {{"truncate-tail", path, "--confirm"}, {"truncate-tail", path},
                {"recover", path}, {"recover", path, "--json"}, {"import", path, bundle.toString()}})
            {
                final TallyFixtures.Result result = tally(args);
                assertEquals(3, result.code(), () -> String.join(" ", args) + "\n" + result);
                assertEquals(1, result.err().lines().count(), () -> String.join(" ", args) + "\n" + result);
                assertTrue(result.err().contains("in use by another process" + (HAS_LOCK_TABLE ? " (pid " + childPid
                    + ")" : "")) && result.err().contains("nothing was changed"), () -> String.join(" ", args)
                    + "\n" + result);
                assertEquals("", result.out(), () -> String.join(" ", args) + "\n" + result);
                assertEquals(still, hashes(db, name -> true), () -> String.join(" ", args) + " changed a byte");
            }

            childIn.println("stream");
            expect(childOut, "streaming " + pausedAt, dir);
            Thread.sleep(200);
            childIn.println("exit");
            final int closedAt = Integer.parseInt(expect(childOut, "closed ", dir));
            assertEquals(0, child.waitFor(), () -> "the child failed: " + read(dir.resolve("child.err")));
            assertTrue(closedAt > pausedAt, "the child stopped writing after the commands: " + closedAt);
            try (Database reopened = Database.open(db))
            {
                for (int i = 0; i < closedAt; i++)
                {
                    assertEquals(HeldDatabaseChild.value(i), reopened.kv().get(RUN_B, HeldDatabaseChild.key(i))
                        .orElseThrow(), HeldDatabaseChild.key(i));
                }
            }
            final TallyFixtures.Result verify = tally("verify", path);
            assertEquals(0, verify.code(), verify::toString);
            assertTrue(verify.out().contains("verify: clean") && !verify.out().contains("in use"), verify::toString);
        }
        finally
        {
            child.destroyForcibly().waitFor();
        }
    }

    private static List<String[]> readOnlyCommands(final String path, final Path dir, final String tag)
    {
        final List<String[]> commands = new ArrayList<>();
        for (final String format : new String[] {"text", "json"})
        {
            final String[] json = format.equals("json") ? new String[] {"--json"} : new String[0];
            commands.add(with(json, "describe", path));
            commands.add(with(json, "verify", path));
            commands.add(with(json, "dump", path, "--run", RUN_B.toString()));
            commands.add(with(json, "recover", path, "--dry-run"));
            commands.add(with(json, "replay", path, RUN_A.toString()));
            commands.add(with(json, "diff", path, RUN_A.toString(), RUN_B.toString()));
            commands.add(with(json, "export", path, RUN_A.toString(),
                dir.resolve(tag + "-" + format + ".bundle").toString()));
        }
        return commands;
    }

    private static String[] with(final String[] extra, final String... args)
    {
        final String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return all;
    }

    /** The files a live writer does not write: identity, lock, snapshots, and the segments it rolled past. */
    private static Predicate<String> stillFiles(final Path db) throws IOException
    {
        final List<Path> segments = TallyFixtures.files(db, ".wal");
        final List<String> rolledPast = segments.subList(0, Math.max(0, segments.size() - 2)).stream()
            .map(file -> file.getFileName().toString()).toList();
        return name -> name.equals("tally.db") || name.equals("tally.lock") || name.endsWith(".snap")
            || name.endsWith(".hist") || rolledPast.contains(name);
    }

    /** Every file's digest once two readings 300 ms apart agree (the writer may still finish preparing a spare). */
    private static Map<String, String> settledHashes(final Path db) throws Exception
    {
        Map<String, String> last = hashes(db, name -> true);
        for (int i = 0; i < 20; i++)
        {
            Thread.sleep(300);
            final Map<String, String> next = hashes(db, name -> true);
            if (next.equals(last))
            {
                return next;
            }
            last = next;
        }
        throw new AssertionError("the paused child's files kept changing");
    }

    private static Map<String, String> hashes(final Path db, final Predicate<String> names) throws Exception
    {
        final Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(db))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                final String name = file.getFileName().toString();
                if (names.test(name))
                {
                    hashes.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(file))));
                }
            }
        }
        return hashes;
    }

    private static String expect(final BufferedReader childOut, final String prefix, final Path dir)
        throws IOException
    {
        for (String line = childOut.readLine(); line != null; line = childOut.readLine())
        {
            if (line.startsWith(prefix))
            {
                return line.substring(prefix.length()).strip().split(" ")[0];
            }
        }
        throw new AssertionError("the child ended before printing '" + prefix + "': " + read(dir.resolve("child.err")));
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
