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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Strict caller whose thread is interrupted still waits for durability, and gets its interrupt back. */
@Timeout(60)
class InterruptedCallerTest
{
    @Test
    void shouldCompleteDurablyAndKeepTheInterruptWhenCallerIsInterrupted(@TempDir final Path dir)
    {
        final RunId run = RunId.random();
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 200; i++)
            {
                Thread.currentThread().interrupt();
                db.kv().put(run, "k" + i, Value.of(i));
                assertTrue(Thread.interrupted(), "the interrupt is restored, not swallowed");
                assertEquals(0, db.stats().durableLagBytes(), "the put returned only once durable");
            }
        }
        try (Database db = Database.open(dir))
        {
            assertEquals(Optional.of(Value.of(199)), db.kv().get(run, "k199"));
        }
    }
}
