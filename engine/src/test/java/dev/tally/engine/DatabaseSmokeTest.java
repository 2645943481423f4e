/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.recovery.RecoveryCase;
import dev.tally.recovery.RecoveryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DatabaseSmokeTest
{
    @Test
    void shouldRecoverWritesWhenReopened(@TempDir final Path dir)
    {
        final RunId run = RunId.random();
        final String hash;
        try (Database db = Database.builder().directory(dir).segmentLength(64 << 10).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 2000; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
            }
            assertEquals(1, db.events().append(run, "started", Value.of("x")));
            assertEquals(1, db.state().set(run, "c", Value.of(1)));
            hash = db.stateHash();
        }
        try (Database db = Database.builder().directory(dir).open())
        {
            assertEquals(Optional.of(Value.of(1999)), db.kv().get(run, "k1999"));
            assertEquals(hash, db.stateHash());
            assertEquals(List.of(run), db.orphanedRuns());
            final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
            assertNull(result.snapshotFileName());
            assertEquals(2003, result.framesApplied());
        }
    }

    @Test
    void shouldRecoverFromSnapshotPlusLogWhenReopened(@TempDir final Path dir)
    {
        final RunId run = RunId.random();
        final String hash;
        final SnapshotInfo info;
        try (Database db = Database.builder().directory(dir).segmentLength(64 << 10)
            .snapshots(SnapshotConfig.MANUAL).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 2000; i++)
            {
                db.kv().put(run, "k" + i, Value.of(i));
            }
            info = db.snapshot();
            for (int i = 0; i < 100; i++)
            {
                db.events().append(run, "after", Value.of(i));
            }
            hash = db.stateHash();
        }
        try (Database db = Database.builder().directory(dir).open())
        {
            assertEquals(hash, db.stateHash());
            final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
            assertEquals(info.fileName(), result.snapshotFileName());
            assertEquals(100, result.framesApplied());
            assertEquals(RecoveryCase.A_CLEAN_END, result.recoveryCase());
            assertTrue(info.releasedBefore() > 0, "segments before the only snapshot may be released");
        }
    }
}
