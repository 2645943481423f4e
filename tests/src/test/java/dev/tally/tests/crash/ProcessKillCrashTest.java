/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.testing.Seeds;
import dev.tally.core.testing.TempDirs;
import dev.tally.engine.DurabilityMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real process death. Goal: after SIGKILL at any moment, recovery opens the database (never a failed open) with no
 * acknowledged write lost (Strict: every transaction the child printed {@code ack} for; Buffered: every transaction
 * before the last completed {@code flush()}), nothing invented (every key, event, cell and JSON document present was
 * written by a child, with its value), and no partial transaction (each transaction writes two keys, an event, a state
 * cell and a JSON document; they are all present or all absent, and the kept transactions of each child are a prefix).
 *
 * <p>Method: a child JVM ({@link CrashWriterMain}) opens the database in Strict or Buffered mode, writes numbered
 * transactions, takes snapshots now and then (explicitly, and in Buffered mode on a small WAL-bytes trigger), and is
 * killed with {@code destroyForcibly()} (SIGKILL) after a random delay; one kill in eight lands during the child's
 * start or recovery. This JVM then opens the directory and checks every cycle so far ({@link CrashCycles#verify}).
 * Cycles run in chains of five on one directory, so each crash is recovered from the previous crashes' files; two
 * chains run in parallel. A killed process keeps the page cache, so this checks atomic visibility and recovery, not
 * fsync ordering.
 *
 * <p>Seeds: the master seed is printed ({@code ProcessKillCrashTest seed=...}, in the test's output file) and every
 * failure message names the cycle seeds. {@code -Dtests.seed=<master>} replays the same modes, delays and snapshot
 * choices; process timing still varies, so a replay is likely, not certain, to hit the same state.
 *
 * <p>The default suite runs {@value #DEFAULT_CYCLES} cycles. The long run, at least 5,000 cycles, is the
 * {@code crash}-tagged test:
 * {@code mvn -pl tests -am verify -Pcrash -Dtally.crash.cycles=5000}
 * (add {@code -Dtests.seed=<seed>} to replay); the full tier ({@code -Dtally.tier=full}) runs 10,000 cycles,
 * 5,000 per mode.
 * Both print {@code group A: cases=N failures=F} and record the figure for {@code docs/RELIABILITY.md}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ProcessKillCrashTest
{
    static final int DEFAULT_CYCLES = 300; // the short tier: 300 kills
    static final int CHAIN_LENGTH = 5;
    static final int PARALLEL = 2;
    static final int WORK_MS_MAX = 500;

    @TempDir
    Path dir;

    @Test
    void shouldKeepAcknowledgedWritesAndNoPartialTransactionWhenTheWriterIsKilledAtRandom() throws Exception
    {
        runCycles(DEFAULT_CYCLES);
    }

    @Test
    @Tag("crash")
    @Timeout(value = 12, unit = TimeUnit.HOURS)
    void shouldKeepAcknowledgedWritesAndNoPartialTransactionWhenKilledThousandsOfTimes() throws Exception
    {
        // The full tier (-Dtally.tier=full) kills 5,000 children per mode; modes alternate by chain.
        runCycles(Integer.getInteger("tally.crash.cycles", Figures.FULL ? 10_000 : 5000));
    }

    private void runCycles(final int cycles) throws Exception
    {
        final long masterSeed = masterSeed();
        System.out.println("ProcessKillCrashTest seed=" + masterSeed + " cycles=" + cycles);
        final SplittableRandom master = new SplittableRandom(masterSeed);
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger strictCycles = new AtomicInteger();
        final AtomicInteger bufferedCycles = new AtomicInteger();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong kept = new AtomicLong();
        final AtomicInteger killed = new AtomicInteger();
        final AtomicInteger snapshots = new AtomicInteger();
        final int chains = (cycles + CHAIN_LENGTH - 1) / CHAIN_LENGTH;
        final long[] chainSeeds = new long[chains];
        for (int i = 0; i < chains; i++)
        {
            chainSeeds[i] = master.nextLong();
        }
        final long startNs = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try
        {
            final List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < PARALLEL; p++)
            {
                futures.add(pool.submit(() ->
                {
                    int chain;
                    while ((chain = next.getAndIncrement()) < chains)
                    {
                        final SplittableRandom random = new SplittableRandom(chainSeeds[chain]);
                        final DurabilityMode mode = chain % 2 == 0 ? DurabilityMode.STRICT : DurabilityMode.BUFFERED;
                        final Path chainDir = dir.resolve("chain-" + chain);
                        final CrashCycles crashes = new CrashCycles(chainDir.resolve("db"), dir.resolve(
                            "chain-" + chain + ".err"));
                        final int length = Math.min(CHAIN_LENGTH, cycles - chain * CHAIN_LENGTH);
                        for (int c = 0; c < length; c++)
                        {
                            final long seed = random.nextLong();
                            final CrashCycles.Outcome outcome = crashes.runCycle(mode, seed, WORK_MS_MAX,
                                1 + random.nextInt(64), random.nextInt(4) == 0 ? 0 : 5 + random.nextInt(40));
                            (mode == DurabilityMode.STRICT ? strictCycles : bufferedCycles).incrementAndGet();
                            acknowledged.addAndGet(outcome.mustSurvive() + 1);
                            kept.addAndGet(crashes.recovered().get(c));
                            killed.addAndGet(outcome.killed() ? 1 : 0);
                            snapshots.addAndGet(outcome.snapshots());
                        }
                        TempDirs.deleteTree(chainDir);
                    }
                    return null;
                }));
            }
            for (final Future<?> future : futures)
            {
                future.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.printf("ProcessKillCrashTest seed=%d: %d cycles (%d Strict, %d Buffered), %d killed, "
            + "%d transactions acknowledged, %d kept, %d snapshots, %d ms (%.2f s per cycle)%n", masterSeed,
            strictCycles.get() + bufferedCycles.get(), strictCycles.get(), bufferedCycles.get(), killed.get(),
            acknowledged.get(), kept.get(), snapshots.get(), ms, ms / 1000.0 / Math.max(1, cycles));
        final int failures = (cycles == strictCycles.get() + bufferedCycles.get() ? 0 : 1)
            + (killed.get() > cycles / 2 ? 0 : 1) + (kept.get() >= acknowledged.get() ? 0 : 1);
        System.out.println("group A: cases=" + cycles + " failures=" + failures + " (A process kill, "
            + strictCycles.get() + " Strict, " + bufferedCycles.get() + " Buffered, " + killed.get() + " killed)");
        Figures.record("A process kill (SIGKILL), Strict and Buffered", cycles, failures, masterSeed, ms);
        assertEquals(cycles, strictCycles.get() + bufferedCycles.get());
        assertTrue(killed.get() > cycles / 2, "most children must die by SIGKILL, not finish: " + killed.get());
        assertTrue(kept.get() >= acknowledged.get(), "kept " + kept.get() + " < acknowledged " + acknowledged.get());
    }

    static long masterSeed()
    {
        return Seeds.givenOr(System.nanoTime());
    }

}
