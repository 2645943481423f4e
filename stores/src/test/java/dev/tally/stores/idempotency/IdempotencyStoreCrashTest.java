/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.core.testing.Seeds;
import dev.tally.stores.kit.EmbeddedDatabase;
import dev.tally.stores.kit.KilledChild;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: a store reopened after its process was killed (SIGKILL) in mid-workload has every acknowledged record and
 * invents none. Method: {@link IdempotencyChild} runs begin / finish cycles on a Strict database and prints each
 * acknowledged finish; the test kills it after a seeded delay, three rounds on the same directory, and after each
 * reopen checks every acknowledged key (SUCCEEDED with its response, and a begin of it is REPLAY), and that no key
 * after the last one in flight exists. A killed process keeps the page cache, so this checks atomic visibility and
 * recovery, not fsync ordering. Replay a seed with {@code -Dtests.seed=<seed>}.
 */
class IdempotencyStoreCrashTest
{
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    @DisplayName("Durable answers: after SIGKILL every acknowledged finish is there and nothing is invented")
    void shouldKeepEveryAcknowledgedRecordWhenChildIsKilled() throws Exception
    {
        final long seed = Seeds.givenOr(4177L);
        final SplittableRandom random = new SplittableRandom(seed);
        final Path db = dir.resolve("db");
        int acknowledged = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long delayMs = 300 + random.nextInt(700);
            final List<String> lines = KilledChild.runAndKill(IdempotencyChild.class, dir, delayMs, db.toString(),
                "r" + round);
            acknowledged += lines.size();
            check(db, "r" + round, lines, seed);
        }
        assertTrue(acknowledged > 0, "the children acknowledged nothing (seed=" + seed + ")");
    }

    private static void check(final Path directory, final String round, final List<String> lines, final long seed)
    {
        final Map<String, Status> last = new HashMap<>();
        int indexMax = -1;
        for (final String line : lines)
        {
            final String[] parts = line.split(" ");
            last.put(parts[0], Status.valueOf(parts[1]));
            indexMax = Math.max(indexMax, Integer.parseInt(parts[0].substring(round.length() + 1)));
        }
        final String context = " (round=" + round + ", seed=" + seed + ", replay with -Dtests.seed=" + seed + ")";
        try (EmbeddedDatabase embedded = new EmbeddedDatabase(directory))
        {
            final IdempotencyStore store = EmbeddedIdempotencyStore.builder(embedded.open()).open();
            for (final Map.Entry<String, Status> entry : last.entrySet())
            {
                final String key = entry.getKey();
                final IdempotencyRecord record = store.get(IdempotencyChild.input(key).key()).orElseThrow(
                    () -> new AssertionError("an acknowledged key is missing: " + key + context));
                if (entry.getValue() == Status.SUCCEEDED)
                {
                    assertEquals(Status.SUCCEEDED, record.status(), key + context);
                    assertArrayEquals(IdempotencyChild.payload(key), record.responsePayload(), key + context);
                    final BeginResult again = store.begin(IdempotencyChild.input(key));
                    assertEquals(BeginDecision.REPLAY, again.decision(), key + context);
                }
                else
                {
                    assertTrue(record.status() == Status.FAILED_RETRYABLE || record.fencingToken() == 2,
                        "a retryable key is failed or retried: " + record + context);
                }
            }
            for (int index = indexMax + 2; index < indexMax + 50; index++)
            {
                final String key = round + "-" + index;
                final Optional<IdempotencyRecord> invented = store.get(IdempotencyChild.input(key).key());
                assertTrue(invented.isEmpty(), "a key nobody began exists: " + invented + context);
            }
        }
    }
}
