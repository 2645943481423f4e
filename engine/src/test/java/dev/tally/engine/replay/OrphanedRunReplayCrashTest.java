/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.RunId;
import dev.tally.engine.Database;
import dev.tally.replay.ReplayVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: a run left active by a process that was killed (SIGKILL, no close) is reported as orphaned and still
 * replays to the state the dead process last saw. Method: a child JVM begins a run, writes to it in Strict mode,
 * prints the run's replay hash and is killed with {@code destroyForcibly()}; the parent opens the directory. No seed:
 * the child's writes are fixed.
 */
@Timeout(180)
class OrphanedRunReplayCrashTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReplayAnOrphanedRunWhenItsProcessWasKilled() throws Exception
    {
        final RunId run = ReplayTesting.run(7);
        final Process child = ReplayInvariantsTest.startChild(List.of(), "orphan", dir, run);
        final String hash;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            final String line = reader.readLine();
            assertNotNull(line, "the child died before it was ready");
            assertTrue(line.startsWith("READY "), line);
            hash = line.substring("READY ".length());
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        try (Database db = Database.open(dir))
        {
            assertEquals(List.of(run), db.orphanedRuns());
            assertEquals(hash, db.replayHash(run));
            assertTrue(db.replayRun(run).changeCount() > 0);
            final ReplayVerification active = db.verifyReplay(run);
            assertFalse(active.matches());
            assertNull(active.recordedHash());
            db.abortRun(run, "orphaned");
            final ReplayVerification ended = db.verifyReplay(run);
            assertTrue(ended.matches(), ended::toString);
            assertEquals(hash, ended.recordedHash());
        }
    }
}
