/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process that holds a database the way a running service does, for {@link TallyLiveWriterTest}: opens the
 * directory in Strict mode, prints {@code ready PID}, then obeys its standard input one line at a time: {@code
 * stream} starts one writer thread putting {@code live/N} into run B until {@code pause}, which stops it and prints
 * {@code paused N} once all N puts have returned (so are durable); {@code exit} closes the database and prints {@code
 * closed N}. Started by the test as a child JVM; its threads are its own.
 */
public final class HeldDatabaseChild
{
    private HeldDatabaseChild()
    {
    }

    /**
     * Holds the database until told to exit.
     *
     * @param args the database directory.
     * @throws Exception when the writer thread is interrupted or standard input fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final AtomicInteger written = new AtomicInteger();
        try (Database db = Database.builder().directory(Path.of(args[0])).durability(DurabilityMode.STRICT)
            .segmentLength(64 << 10).snapshots(SnapshotConfig.MANUAL).open())
        {
            out.println("ready " + ProcessHandle.current().pid());
            final AtomicBoolean isStopped = new AtomicBoolean(true);
            Thread writer = null;
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine())
            {
                if (line.equals("stream") && writer == null)
                {
                    isStopped.set(false);
                    writer = new Thread(() ->
                    {
                        while (!isStopped.get())
                        {
                            final int next = written.get();
                            db.kv().put(TallyFixtures.RUN_B, key(next), value(next));
                            written.incrementAndGet();
                        }
                    }, "held-writer");
                    writer.start();
                    out.println("streaming " + written.get());
                }
                else if (line.equals("pause") && writer != null)
                {
                    isStopped.set(true);
                    writer.join();
                    writer = null;
                    out.println("paused " + written.get());
                }
            }
            isStopped.set(true);
            if (writer != null)
            {
                writer.join();
            }
        }
        out.println("closed " + written.get());
    }

    static String key(final int index)
    {
        return "live/" + index;
    }

    static Value value(final int index)
    {
        return Value.of("v".repeat(300) + index);
    }
}
