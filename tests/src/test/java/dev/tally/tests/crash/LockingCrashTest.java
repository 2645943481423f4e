/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Group L, locking. Goal: while one process holds a database, every open by a second process fails with
 * DIRECTORY_LOCKED, and once the holder is killed with SIGKILL the directory opens again with the holder's
 * acknowledged write. Method: a holder child ({@link LockChildMain} {@code hold}) opens the database and writes one
 * key; a second child makes 50 open attempts; the holder is killed ({@code destroyForcibly}); this JVM reopens. The
 * short tier runs one round (2 children), the full tier 20 rounds on the same directory. Not randomized.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LockingCrashTest
{
    private static final int ATTEMPTS = 50;

    @TempDir
    Path temp;

    @Test
    void shouldLockOutASecondProcessAndReopenAfterTheHolderIsKilled()
    {
        final Path dir = temp.resolve("db");
        Figures.indexed("L locking: " + ATTEMPTS + " attempts by a second process per round, reopen after SIGKILL",
            Figures.count(1, 20), 1, round -> round(dir, round));
    }

    private String round(final Path dir, final long round) throws Exception
    {
        final Process holder = CrashCycles.startJvm(LockChildMain.class, List.of(),
            List.of("hold", dir.toString(), "round" + round), temp.resolve("holder.err"));
        try
        {
            final BufferedReader holderOut = reader(holder);
            final String first = holderOut.readLine();
            if (!"HELD".equals(first))
            {
                return "holder did not start: " + first;
            }
            final Process second = CrashCycles.startJvm(LockChildMain.class, List.of(),
                List.of("try", dir.toString(), Integer.toString(ATTEMPTS)), temp.resolve("second.err"));
            String result = null;
            String line;
            final BufferedReader secondOut = reader(second);
            while ((line = secondOut.readLine()) != null)
            {
                if (line.startsWith("LOCKED"))
                {
                    result = line;
                }
            }
            second.waitFor(2, TimeUnit.MINUTES);
            if (!("LOCKED " + ATTEMPTS + " OTHER 0").equals(result))
            {
                return "second process not locked out every time: " + result;
            }
        }
        finally
        {
            holder.destroyForcibly();
            holder.waitFor(1, TimeUnit.MINUTES);
        }
        try (Database db = CrashHarness.reopen(dir))
        {
            final Optional<Value> held = db.kv().get(RunId.of(9, 9), "held");
            return held.equals(Optional.of(Value.of("round" + round))) ? null
                : "holder's acknowledged write missing after SIGKILL: " + held;
        }
    }

    private static BufferedReader reader(final Process process) throws IOException
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The full tier, run by {@code mvn -pl tests -am verify -Pcrash -Dtally.tier=full}. */
    @Test
    @Tag("crash")
    void fullTier() throws Exception
    {
        Assumptions.assumeTrue(Figures.FULL, "the full tier runs with -Dtally.tier=full");
        shouldLockOutASecondProcessAndReopenAfterTheHolderIsKilled();
    }

}
