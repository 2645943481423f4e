/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage errors: one clear line, the documented exit code, no stack trace unless --verbose. */
@Timeout(60)
class TallyErrorsTest
{
    private static final String[] COMMANDS = {"demo", "describe", "verify", "dump", "recover", "truncate-tail",
        "replay", "diff", "export", "import", "bench"};

    @Test
    void shouldPrintHelpAndVersionWhenAskedOnEveryCommand()
    {
        for (final String command : COMMANDS)
        {
            final TallyFixtures.Result help = tally(command, "--help");
            assertEquals(0, help.code(), help::toString);
            assertTrue(help.out().startsWith("Usage: tally " + command), help::toString);
            assertEquals(0, tally(command, "--version").code());
        }
        final TallyFixtures.Result top = tally("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("Exit codes:") && top.out().contains("truncate-tail"), top::toString);
        assertTrue(tally("--version").out().startsWith("tally 0.1"));
    }

    @Test
    void shouldNotCreateAFolderWhenAFlagIsGivenWhereAPathBelongs(@TempDir final Path dir)
    {
        final TallyFixtures.Result demoHelp = tally("demo", "--help");
        assertEquals(0, demoHelp.code());
        assertFalse(Files.exists(Path.of("--help")));
        final TallyFixtures.Result flagAsPath = tally("describe", "--", "--help");
        assertEquals(2, flagAsPath.code(), flagAsPath::toString);
        assertTrue(flagAsPath.err().contains("refusing a path that looks like a flag: --help"), flagAsPath::toString);
        final TallyFixtures.Result demoDir = tally("demo", "--dir", "--json");
        assertEquals(2, demoDir.code(), demoDir::toString);
        assertFalse(Files.exists(Path.of("--json")));
    }

    @Test
    void shouldExitWithUsageWhenCommandFlagDirectoryOrRunIsWrong(@TempDir final Path dir)
    {
        assertUsage(tally("nonsense"), "Unmatched argument");
        assertUsage(tally(), "a command is required");
        assertUsage(tally("describe", "--bogus"), "unknown option: --bogus");
        assertUsage(tally("verify", dir.resolve("missing").toString()), "no such directory");
        assertUsage(tally("verify", dir.toString()), "not a Tally database (no tally.db)");
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        assertUsage(tally("replay", db.toString(), "00000000-0000-4000-8000-000000000999"), "run not found");
        assertUsage(tally("replay", db.toString(), "not-a-run"), "not a run id: not-a-run");
        assertUsage(tally("dump", db.toString(), "--type", "NOPE"), "unknown entry type: NOPE");
        assertUsage(tally("dump", db.toString(), "--from", "x"), "Invalid value");
    }

    @Test
    void shouldPrintOneLineAndExitTwoWhenAnyOperatorCommandIsMisused(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final Path bundle = dir.resolve("a.bundle");
        assertEquals(0, tally("export", db.toString(), TallyFixtures.RUN_A.toString(), bundle.toString()).code());
        final String missing = dir.resolve("missing").toString();
        final String plain = Files.createDirectories(dir.resolve("plain")).toString();
        final String unknownRun = "00000000-0000-4000-8000-000000000999";
        final String runA = TallyFixtures.RUN_A.toString();
        final String[][] commands = {{"describe", "DIR"}, {"verify", "DIR"}, {"dump", "DIR"},
            {"recover", "DIR", "--dry-run"}, {"recover", "DIR"}, {"truncate-tail", "DIR"}, {"replay", "DIR", runA},
            {"diff", "DIR", runA, runA}, {"export", "DIR", runA, dir.resolve("out.bundle").toString()},
            {"import", "DIR", bundle.toString()}};
        for (final String[] command : commands)
        {
            if (!command[0].equals("import"))
            {
                // import makes a new database of a directory that does not exist.
                assertUsage(tally(withDirectory(command, missing)), "no such directory: " + missing);
            }
            assertUsage(tally(withDirectory(command, plain)), "not a Tally database (no tally.db): " + plain);
            final String[] flagged = withDirectory(command, db.toString());
            final String[] unknownFlag = java.util.Arrays.copyOf(flagged, flagged.length + 1);
            unknownFlag[flagged.length] = "--bogus";
            assertUsage(tally(unknownFlag), "--bogus");
            final java.util.List<String> flagAsPath = new java.util.ArrayList<>(List.of(command[0]));
            java.util.Arrays.stream(flagged, 2, flagged.length).filter(a -> a.startsWith("-")).forEach(flagAsPath::add);
            flagAsPath.addAll(List.of("--", "--json"));
            java.util.Arrays.stream(flagged, 2, flagged.length).filter(a -> !a.startsWith("-")).forEach(flagAsPath::add);
            assertUsage(tally(flagAsPath.toArray(String[]::new)), "refusing a path that looks like a flag: --json");
        }
        assertFalse(Files.exists(Path.of("--json")));
        assertFalse(Files.exists(dir.resolve("out.bundle")));
        assertFalse(Files.exists(Path.of(plain, "tally.db")));
        for (final String[] args : new String[][] {{"replay", db.toString(), unknownRun},
            {"diff", db.toString(), runA, unknownRun}, {"export", db.toString(), unknownRun,
            dir.resolve("none.bundle").toString()}, {"dump", db.toString(), "--run", unknownRun}})
        {
            assertUsage(tally(args), "run not found");
        }
        assertFalse(Files.exists(dir.resolve("none.bundle")));
        assertUsage(tally("import", db.toString(), dir.resolve("no.bundle").toString()), "no such bundle");
        assertUsage(tally("export", db.toString(), runA, "--", "--out"), "refusing a path that looks like a flag");
    }

    private static String[] withDirectory(final String[] command, final String directory)
    {
        final String[] args = command.clone();
        args[1] = directory;
        return args;
    }

    @Test
    void shouldPrintTheStackTraceOnlyWhenVerbose(@TempDir final Path dir)
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final TallyFixtures.Result quiet = tally("replay", db.toString(), "00000000-0000-4000-8000-000000000999");
        assertEquals(1, quiet.err().lines().count(), quiet::toString);
        final TallyFixtures.Result verbose = tally("replay", db.toString(), "00000000-0000-4000-8000-000000000999",
            "--verbose");
        assertEquals(2, verbose.code());
        assertTrue(verbose.err().contains("\tat dev.tally."), verbose::toString);
    }

    private static void assertUsage(final TallyFixtures.Result result, final String message)
    {
        assertEquals(2, result.code(), result::toString);
        assertTrue(result.err().contains(message), result::toString);
        assertEquals(1, result.err().lines().count(), result::toString);
        assertFalse(result.err().contains("\tat "), result::toString);
    }
}
