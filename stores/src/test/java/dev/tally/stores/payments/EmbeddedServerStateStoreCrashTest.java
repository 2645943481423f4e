/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.core.testing.Seeds;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.stores.kit.KilledChild;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store reopened after its process was killed has every acknowledged payment and settlement, and nothing invented.
 *
 * <p>Goal: the Required Guarantees hold across SIGKILL. Method: {@link ServerStateChild} commits exact payments and
 * settlements on one channel in a child JVM and prints each acknowledgement; the test kills it after a seeded delay,
 * three cycles on one database, and after each reopen checks that every acknowledged exact payment and commitment is
 * present, that no payment past the one in flight exists, and that the channel is at the last acknowledged
 * settlement or the one after it (committed, not yet acknowledged) with that settlement's commitment stored. A
 * killed process keeps the page cache, so this checks atomic visibility and recovery, not fsync ordering. Replay
 * with {@code -Dtests.seed=<seed>} (the delays' seed, printed on failure).
 */
class EmbeddedServerStateStoreCrashTest
{
    /** The one channel of the workload. */
    static final String CHANNEL = "crash-channel";
    private static final int CYCLES = 3;

    @Test
    @Timeout(180)
    @DisplayName("Required Guarantees: after SIGKILL in mid-workload every acknowledged payment and settlement is "
        + "there and nothing is invented")
    void shouldKeepAcknowledgedRecordsWhenChildIsKilled(@TempDir final Path dir) throws Exception
    {
        final long seed = Seeds.givenOr(20260216L);
        final SplittableRandom random = new SplittableRandom(seed);
        final Path dbDir = dir.resolve("db");
        long lastVersion = 0;
        long acknowledged = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++)
        {
            final long delayMs = 300 + random.nextInt(700);
            final List<String> acks = KilledChild.runAndKill(ServerStateChild.class, dir, delayMs, dbDir.toString(),
                Integer.toString(cycle));
            final String context = "seed=" + seed + ", cycle=" + cycle + ", delayMs=" + delayMs;
            try (Database db = Database.builder().directory(dbDir).durability(DurabilityMode.STRICT).open())
            {
                final ServerStateStore store = EmbeddedServerStateStore.builder(db).name("crash").open();
                long exactCount = 0;
                String lastCommitment = null;
                for (final String line : acks)
                {
                    final String[] parts = line.split(" ");
                    if (parts[0].equals("exact"))
                    {
                        assertTrue(store.loadExactPayment(parts[1]).isPresent(), "lost " + line + ": " + context);
                        exactCount++;
                    }
                    else
                    {
                        assertEquals("settle", parts[0], context);
                        lastVersion = Long.parseLong(parts[1]);
                        lastCommitment = parts[2];
                        assertTrue(store.loadCommitment(parts[2]).isPresent(), "lost " + line + ": " + context);
                    }
                }
                acknowledged += acks.size();
                assertFalse(store.loadExactPayment("tx-" + cycle + "-" + (exactCount + 1)).isPresent(),
                    "a payment past the one in flight exists: " + context);
                final ServerChannelRecord channel = store.loadChannel(CHANNEL).orElseThrow();
                assertTrue(channel.version() == lastVersion || channel.version() == lastVersion + 1,
                    "channel version " + channel.version() + " after acknowledged " + lastVersion + ": " + context);
                if (channel.version() == lastVersion && lastCommitment != null)
                {
                    assertEquals(lastCommitment, channel.lastCommitmentId(), context);
                }
                if (channel.lastCommitmentId() != null)
                {
                    assertEquals(channel.chargedCumulativeAmount(), store.loadCommitment(channel.lastCommitmentId())
                        .orElseThrow().chargedCumulativeAmount(), "channel and commitment disagree: " + context);
                }
                assertEquals(Long.toString(channel.version()), channel.chargedCumulativeAmount(), context);
                lastVersion = channel.version();
            }
        }
        assertTrue(acknowledged > 0, "the child acknowledged nothing in any cycle: seed=" + seed);
    }
}
