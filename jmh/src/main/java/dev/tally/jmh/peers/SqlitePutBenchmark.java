/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.peers;

import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The peer for Tally's KV put: SQLite in WAL mode through the xerial JDBC driver, one {@code INSERT OR REPLACE} of a
 * {@link Workload} key and value per transaction (auto-commit), into a {@code WITHOUT ROWID} table keyed by the key.
 * {@code synchronous=FULL} fsyncs the WAL at every commit, the peer of Tally's Strict mode (a trace of 2,000 inserts
 * counted 2,015 fsyncs, the rest at checkpoints and set-up); {@code NORMAL} fsyncs it only at checkpoints (14 for the
 * same 2,000), so a commit can be lost to a power cut but not to a process crash, the peer of Buffered. The level is
 * read back after it is set.
 * <p>
 * Design note: every put stamps its sequence number into the first 8 bytes of the value. SQLite leaves a page clean
 * when a row is overwritten with the bytes it already holds, and a transaction that dirtied no page commits without
 * writing or syncing the WAL; with each thread's keys cycling over {@link Workload#KEYS_PER_THREAD} and one constant
 * value, every put after the first cycle was such a no-op (a trace of 10,000 inserts counted 4,123 fsyncs), which is
 * how {@code FULL} once measured 110,000 "durable" inserts a second with a 9 µs median. The other engines write every
 * put whatever its bytes, so they keep the constant value.
 * Automatic checkpoints stay at SQLite's default (every 1,000 WAL pages) and are part of what is measured. One caller
 * thread: a SQLite database has one writer at a time.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class SqlitePutBenchmark
{
    /** SQLite's {@code PRAGMA synchronous} level. */
    @Param({"NORMAL", "FULL"})
    public String synchronous;

    private Path root;
    private Connection connection;
    private PreparedStatement insert;
    private byte[] value;
    private long sequence;

    /**
     * Creates the database in a temp dir, switches it to WAL mode at the chosen sync level and creates the table.
     *
     * @throws SQLException when the database cannot be set up.
     */
    @Setup(Level.Trial)
    public void setUp() throws SQLException
    {
        root = TempDirectories.create("tally-peer-sqlite");
        connection = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("kv.db"));
        try (Statement statement = connection.createStatement())
        {
            try (ResultSet journal = statement.executeQuery("PRAGMA journal_mode=WAL"))
            {
                final String mode = journal.next() ? journal.getString(1) : "";
                if (!"wal".equals(mode.toLowerCase(Locale.ROOT)))
                {
                    throw new IllegalStateException("SQLite did not switch to WAL: journal_mode=" + mode);
                }
            }
            statement.execute("PRAGMA synchronous=" + synchronous);
            checkSynchronous(statement);
            statement.execute("CREATE TABLE kv (k TEXT PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID");
        }
        connection.setAutoCommit(true);
        insert = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
        value = Workload.value();
    }

    /** Writes the put's sequence number over the value's first 8 bytes, so that no put rewrites identical bytes. */
    private void stamp(final long number)
    {
        for (int i = 0; i < Long.BYTES; i++)
        {
            value[i] = (byte)(number >>> (8 * i));
        }
    }

    /**
     * Reads the level back: the pragma is per connection and SQLite ignores a name it does not know, so a typo or a
     * driver that resets it would leave the default in place without an error.
     */
    private void checkSynchronous(final Statement statement) throws SQLException
    {
        final int expected = switch (synchronous)
        {
            case "OFF" -> 0;
            case "NORMAL" -> 1;
            case "FULL" -> 2;
            case "EXTRA" -> 3;
            default -> throw new IllegalArgumentException("unknown synchronous level: " + synchronous);
        };
        try (ResultSet level = statement.executeQuery("PRAGMA synchronous"))
        {
            final int actual = level.next() ? level.getInt(1) : -1;
            if (actual != expected)
            {
                throw new IllegalStateException("SQLite kept synchronous=" + actual + ", asked " + synchronous + "="
                    + expected);
            }
        }
    }

    /**
     * Closes the statement and the connection, then deletes the temp dir.
     *
     * @throws SQLException when closing fails.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException
    {
        insert.close();
        connection.close();
        connection = null;
        TempDirectories.delete(root);
    }

    /**
     * One caller thread puts, one transaction per put.
     *
     * @param keys the thread's keys.
     * @param bh   the sink for the update count.
     * @throws SQLException when the insert fails.
     */
    @Benchmark
    public void put(final Workload.ThreadKeys keys, final Blackhole bh) throws SQLException
    {
        insert.setString(1, keys.nextKey());
        stamp(++sequence);
        insert.setBytes(2, value);
        bh.consume(insert.executeUpdate());
    }
}
