/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.testing.Seeds;
import dev.tally.engine.Database;
import dev.tally.stores.kit.KilledChild;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: a run state store reopened after its process was killed (SIGKILL in mid-workload) has every acknowledged
 * event at its acknowledged runSeq, contiguous runs, snapshots equal to their projections, and no event the workload
 * did not write. Method: {@link RunStateChild} appends to three runs and prints an acknowledgement per event; the test
 * kills it after a seeded delay, three rounds on the same files, and checks the store after each. A killed process
 * keeps the page cache, so this checks atomic visibility and recovery, not fsync. Replay with
 * {@code -Dtests.seed=<seed>}; the seed is in every failure message.
 */
class EmbeddedRunStateStoreCrashTest
{
    private static final Pattern ACK = Pattern.compile("ack (\\S+) (\\S+) (\\d+)");
    private static final Pattern STEP = Pattern.compile("r(\\d+)-(\\d+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    @DisplayName("issue 16 kit: every acknowledged event survives a killed process, and nothing is invented")
    void shouldKeepAcknowledgedEventsWhenProcessIsKilled() throws Exception
    {
        final long seed = Seeds.givenOr(20260216L);
        final SplittableRandom random = new SplittableRandom(seed);
        final Path data = Files.createDirectories(dir.resolve("db"));
        final Map<String, String> acked = new HashMap<>();
        for (int round = 0; round < 3; round++)
        {
            final long delayMs = 300 + random.nextInt(600);
            final List<String> lines = KilledChild.runAndKill(RunStateChild.class, dir, delayMs, data.toString(),
                Integer.toString(round), Long.toString(seed));
            for (final String line : lines)
            {
                final Matcher m = ACK.matcher(line);
                assertTrue(m.matches(), "seed=" + seed + ": " + line);
                acked.put(m.group(2), m.group(1) + "#" + m.group(3));
            }
            assertTrue(lines.size() > 0, "seed=" + seed + ", round=" + round + ": the child acknowledged nothing");
            check(data, seed, acked);
        }
    }

    private static void check(final Path data, final long seed, final Map<String, String> acked)
    {
        try (Database db = Database.open(data))
        {
            final RunStateStore store = EmbeddedRunStateStore.builder(db).open();
            final Map<String, String> stored = new HashMap<>();
            for (int run = 0; run < 3; run++)
            {
                final String runId = "run-" + run;
                final List<RunEventRecord> events = store.fetchEvents(runId, 0, RunStateStore.FETCH_LIMIT_MAX);
                for (int i = 0; i < events.size(); i++)
                {
                    final RunEventRecord event = events.get(i);
                    assertEquals(i + 1, event.runSeq(), "seed=" + seed + ": contiguous " + runId);
                    final Matcher step = STEP.matcher(event.stepId());
                    assertTrue(step.matches(), "seed=" + seed + ": invented " + event);
                    assertEquals(RunStateChild.eventId(seed, Integer.parseInt(step.group(1)),
                        Integer.parseInt(step.group(2))), event.eventId(), "seed=" + seed + ": invented " + event);
                    stored.put(event.eventId(), runId + "#" + event.runSeq());
                }
                if (!events.isEmpty())
                {
                    assertEquals(store.projectSnapshot(runId), store.getSnapshot(runId).orElseThrow(),
                        "seed=" + seed);
                }
            }
            for (final Map.Entry<String, String> ack : acked.entrySet())
            {
                assertEquals(ack.getValue(), stored.get(ack.getKey()), "seed=" + seed + ": acknowledged " + ack);
            }
        }
    }
}
