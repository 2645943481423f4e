/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;

import java.nio.file.Path;

/**
 * The child JVM of group L. {@code hold <dir>}: opens the database, writes one acknowledged key, prints {@code HELD}
 * and waits to be killed. {@code try <dir> <attempts>}: tries to open the database that many times and prints {@code
 * LOCKED <n> OTHER <m>}, counting failures with {@link ErrorCode#DIRECTORY_LOCKED} and anything else.
 */
public final class LockChildMain
{
    private LockChildMain()
    {
    }

    /**
     * Runs the child.
     *
     * @param args the mode, the directory and, for {@code try}, the attempts.
     * @throws InterruptedException when interrupted while holding.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Path dir = Path.of(args[1]);
        if ("hold".equals(args[0]))
        {
            final Database db = CrashHarness.builder(dir, null, DurabilityMode.STRICT).open();
            try
            {
                db.beginRun(RunId.of(9, 9));
            }
            catch (final TallyException ex)
            {
                // an earlier round began it
            }
            db.kv().put(RunId.of(9, 9), "held", Value.of(args.length > 2 ? args[2] : "1"));
            System.out.println("HELD");
            System.out.flush();
            Thread.sleep(600_000);
            return;
        }
        final int attempts = Integer.parseInt(args[2]);
        int locked = 0;
        int other = 0;
        for (int i = 0; i < attempts; i++)
        {
            try (Database db = CrashHarness.builder(dir, null, DurabilityMode.STRICT).open())
            {
                other++;
                System.out.println("OPENED");
            }
            catch (final TallyException ex)
            {
                if (ex.code() == ErrorCode.DIRECTORY_LOCKED)
                {
                    locked++;
                }
                else
                {
                    other++;
                    System.out.println("ERROR " + ex);
                }
            }
        }
        System.out.println("LOCKED " + locked + " OTHER " + other);
        System.out.flush();
    }
}
