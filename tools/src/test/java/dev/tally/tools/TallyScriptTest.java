/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/*
 * Goal: the tally script at the repository root says so, in one line with exit 2, when java or mvn is missing, before
 * trying anything. Method: a copy of the script in a folder without a build (so it must build), run with a PATH of
 * links to the few tools it needs, java and mvn left out in turn. The building path itself is tried on a fresh clone
 * by .ci/fresh-clone. Deterministic.
 */
@Timeout(60)
class TallyScriptTest
{
    private static final Path SCRIPT = Path.of("..", "tally");

    @Test
    void shouldSayJavaIsMissingWhenItIsNotOnThePath(@TempDir final Path dir) throws Exception
    {
        final Result result = runScript(dir, List.of("bash", "dirname", "find", "cat", "touch", "mvn"));
        assertEquals(2, result.code(), result::toString);
        assertEquals(List.of("tally: java not found: install a JDK 17 or later and put its bin directory on PATH"),
            result.err().lines().toList(), result::toString);
        assertEquals("", result.out(), result::toString);
    }

    @Test
    void shouldSayMavenIsMissingWhenTheBuildIsNeeded(@TempDir final Path dir) throws Exception
    {
        final Result result = runScript(dir, List.of("bash", "dirname", "find", "cat", "touch", "java"));
        assertEquals(2, result.code(), result::toString);
        assertEquals(1, result.err().lines().count(), result::toString);
        assertTrue(result.err().startsWith("tally: mvn not found: install Apache Maven 3.8 or later"),
            result::toString);
        assertTrue(Files.notExists(dir.resolve("root/tools/target")), "nothing is built without Maven");
    }

    private record Result(int code, String out, String err)
    {
    }

    private static Result runScript(final Path dir, final List<String> tools) throws IOException, InterruptedException
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/env")) && Files.isRegularFile(SCRIPT),
            "needs a POSIX shell and the repository's tally script");
        final Path root = Files.createDirectories(dir.resolve("root"));
        final Path script = Files.copy(SCRIPT, root.resolve("tally"));
        assertTrue(script.toFile().setExecutable(true));
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        for (final String tool : tools)
        {
            final Path found = which(tool);
            assumeTrue(found != null, () -> tool + " is not on this machine's PATH");
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
        final ProcessBuilder builder = new ProcessBuilder(script.toString(), "--version")
            .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().put("PATH", bin.toString());
        final Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script hung");
        return new Result(process.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
            Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    private static Path which(final String tool)
    {
        for (final String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        {
            final Path candidate = Path.of(entry, tool);
            if (!entry.isEmpty() && Files.isExecutable(candidate))
            {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }
}
