/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.engine.TxResult;
import jakarta.json.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of the process-kill crash tests: opens a database, writes numbered cross-primitive transactions
 * until it is killed, and reports on stdout what was acknowledged. Protocol, one line each, flushed at once:
 * {@code ready} once the database is open; in Strict mode {@code ack <i>} after transaction {@code i} returned; in
 * Buffered mode {@code flushed <i>} after a {@code flush()} that covers transactions 0..i returned; {@code snapshot}
 * after a snapshot completed; {@code done} if it ran out of work.
 *
 * <p>Arguments: directory, mode ({@code STRICT} or {@code BUFFERED}), cycle number, seed, flush every K
 * transactions (Buffered), one snapshot per this many transactions on average (0: none), most transactions.
 */
public final class CrashWriterMain
{
    /** The run every cycle writes in. */
    public static final RunId RUN = RunId.of(0x7a11_7e57L, 1);
    /** The segment length of every crash-test database: small, so segments roll and are reclaimed. */
    public static final int SEGMENT_LENGTH = 64 << 10;

    private CrashWriterMain()
    {
    }

    /**
     * Runs the child.
     *
     * @param args see the class description.
     */
    public static void main(final String[] args)
    {
        final Path directory = Path.of(args[0]);
        final DurabilityMode mode = DurabilityMode.valueOf(args[1]);
        final int cycle = Integer.parseInt(args[2]);
        final long seed = Long.parseLong(args[3]);
        final int flushEvery = Integer.parseInt(args[4]);
        final int snapshotEvery = Integer.parseInt(args[5]);
        final int most = Integer.parseInt(args[6]);
        final PrintStream out = System.out;
        final SplittableRandom random = new SplittableRandom(seed);
        try (Database db = open(directory, mode))
        {
            if (!db.runStatus(RUN).isActive())
            {
                db.beginRun(RUN);
            }
            out.println("ready");
            out.flush();
            for (int i = 0; i < most; i++)
            {
                final int n = i;
                final TxResult<Void> result = db.transaction(RUN, tx ->
                {
                    tx.put(kKey(cycle, n), value(cycle, n, seed));
                    tx.put(mKey(cycle, n), Value.of((long)n));
                    tx.append("e", Value.of(eventPayload(cycle, n)));
                    tx.setCell(cellName(cycle), Value.of((long)n));
                    tx.createJson(jsonKey(cycle, n), Json.createObjectBuilder().add("c", cycle).add("i", n).build());
                    return null;
                });
                if (!result.isCommitted())
                {
                    out.println("conflict " + n);
                    out.flush();
                    System.exit(3);
                }
                if (mode == DurabilityMode.STRICT)
                {
                    out.println("ack " + n);
                    out.flush();
                }
                else if ((n + 1) % flushEvery == 0)
                {
                    db.flush();
                    out.println("flushed " + n);
                    out.flush();
                }
                if (snapshotEvery > 0 && random.nextInt(snapshotEvery) == 0)
                {
                    db.snapshot();
                    out.println("snapshot");
                    out.flush();
                }
            }
            out.println("done");
            out.flush();
        }
    }

    /**
     * Opens a crash-test database the way the child does; the parent opens it the same way to verify.
     *
     * @param directory the directory.
     * @param mode      the durability mode.
     * @return the database.
     */
    public static Database open(final Path directory, final DurabilityMode mode)
    {
        return Database.builder().directory(directory).durability(mode).segmentLength(SEGMENT_LENGTH)
            .flushIntervalMs(mode == DurabilityMode.BUFFERED ? 3_600_000 : 100)
            .snapshots(new SnapshotConfig(mode == DurabilityMode.BUFFERED ? 48 << 10 : 0, 0, false, 2)).open();
    }

    static String kKey(final int cycle, final int n)
    {
        return "k/" + cycle + "/" + n;
    }

    static String mKey(final int cycle, final int n)
    {
        return "m/" + cycle + "/" + n;
    }

    static String jsonKey(final int cycle, final int n)
    {
        return "j/" + cycle + "/" + n;
    }

    static String cellName(final int cycle)
    {
        return "last/" + cycle;
    }

    static String eventPayload(final int cycle, final int n)
    {
        return cycle + "/" + n;
    }

    static Value value(final int cycle, final int n, final long seed)
    {
        return Value.of("v/" + cycle + "/" + n + "/" + Long.toHexString(seed * 31 + n) + "/" + "p".repeat(n % 23));
    }
}
