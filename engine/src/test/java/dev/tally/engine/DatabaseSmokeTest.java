/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        }
    }
}
