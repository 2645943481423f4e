/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.testing.ManualClock;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the PostgreSQL stores hold across processes: two child JVMs contending for one idempotency key, one payment
 * identifier, one (runId, idempotencyKey) and one channel lock have exactly one winner each, and a lock whose holder
 * is killed with SIGKILL is freed by the server for the next process. Method: child JVMs of PostgresContenderChild
 * on this test's class path and the JVM's embedded server; rounds released by go files once both children are ready.
 * No seeds: the race is between real processes.
 */
@Timeout(180)
class PostgresMultiProcessTest
{
    private static final int ROUNDS = 4;

    @Test
    @DisplayName("processes: two JVMs contend for a key, an identifier, an event key and a lock: one wins each")
    void shouldHaveOneWinnerEachWhenTwoProcessesContend(@TempDir final Path dir) throws Exception
    {
        try (PostgresStoreFactory<PostgresStores> factory = new PostgresStoreFactory<>(new ManualClock(), s -> s))
        {
            factory.create();
            final Path outA = dir.resolve("a.out");
            final Path outB = dir.resolve("b.out");
            final Process a = start(outA, "contend", factory.jdbcUrl(), dir.toString(), "a", String.valueOf(ROUNDS));
            final Process b = start(outB, "contend", factory.jdbcUrl(), dir.toString(), "b", String.valueOf(ROUNDS));
            try
            {
                for (int round = 0; round < ROUNDS; round++)
                {
                    awaitLine(outA, a, "ready " + round);
                    awaitLine(outB, b, "ready " + round);
                    Files.createFile(dir.resolve("go-" + round));
                }
                assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS), "children hang");
                assertEquals(0, a.exitValue(), Files.readString(outA));
                assertEquals(0, b.exitValue(), Files.readString(outB));
            }
            finally
            {
                a.destroyForcibly();
                b.destroyForcibly();
            }
            final List<String> linesA = Files.readAllLines(outA);
            final List<String> linesB = Files.readAllLines(outB);
            for (int round = 0; round < ROUNDS; round++)
            {
                final String idemA = value(linesA, "idem " + round);
                final String idemB = value(linesB, "idem " + round);
                assertEquals(1, count("EXECUTE", idemA, idemB), "round " + round + ": " + idemA + ", " + idemB);
                final String payA = value(linesA, "payment " + round);
                final String payB = value(linesB, "payment " + round);
                assertEquals(1, count("Committed", payA, payB), "round " + round + ": " + payA + ", " + payB);
                assertEquals(1, count("PaymentIdentifierConflict", payA, payB), "round " + round);
                final String eventA = value(linesA, "event " + round);
                final String eventB = value(linesB, "event " + round);
                assertEquals(1, count("true", eventA, eventB), "round " + round + ": " + eventA + ", " + eventB);
                final String[] lockA = value(linesA, "lock " + round).split(" ");
                final String[] lockB = value(linesB, "lock " + round).split(" ");
                final boolean apart = Long.parseLong(lockA[1]) <= Long.parseLong(lockB[0])
                    || Long.parseLong(lockB[1]) <= Long.parseLong(lockA[0]);
                assertTrue(apart, "round " + round + ": the lock's functions overlapped: " + String.join(" ", lockA)
                    + " / " + String.join(" ", lockB));
            }
        }
    }

    @Test
    @DisplayName("processes: SIGKILL of the lock holder frees its channel lock for another process")
    void shouldFreeLockWhenHolderIsKilled(@TempDir final Path dir) throws Exception
    {
        try (PostgresStoreFactory<PostgresChannelLockManager> factory =
            new PostgresStoreFactory<>(new ManualClock(), PostgresStores::channelLockManager))
        {
            final PostgresChannelLockManager locks = factory.create();
            final Path out = dir.resolve("holder.out");
            final Process holder = start(out, "hold", factory.jdbcUrl(), "channel-k");
            try
            {
                awaitLine(out, holder, "ready");
                assertFalse(tryLock(factory.jdbcUrl(), LockKeys.of(LockKeys.CHANNEL, "channel-k")),
                    "the lock is free while its holder runs");
                final CompletableFuture<String> waiter =
                    CompletableFuture.supplyAsync(() -> locks.runExclusive("channel-k", () -> "got it"));
                Thread.sleep(300);
                assertFalse(waiter.isDone(), "a waiter got the lock while its holder runs");
                holder.destroyForcibly();
                assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
                assertEquals("got it", waiter.get(30, TimeUnit.SECONDS));
            }
            finally
            {
                holder.destroyForcibly();
            }
        }
    }

    private static boolean tryLock(final String jdbcUrl, final long key) throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
            PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)"))
        {
            statement.setLong(1, key);
            try (ResultSet row = statement.executeQuery())
            {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static Process start(final Path out, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PostgresContenderChild.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static void awaitLine(final Path out, final Process process, final String line) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readAllLines(out).contains(line))
        {
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                throw new AssertionError("child never printed '" + line + "': " + Files.readString(out));
            }
            Thread.sleep(5);
        }
    }

    private static String value(final List<String> lines, final String prefix)
    {
        for (final String line : lines)
        {
            if (line.startsWith(prefix + " "))
            {
                return line.substring(prefix.length() + 1);
            }
        }
        throw new AssertionError("no line '" + prefix + "' in " + lines);
    }

    private static int count(final String wanted, final String first, final String second)
    {
        return (wanted.equals(first) ? 1 : 0) + (wanted.equals(second) ? 1 : 0);
    }
}
