/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.integration;

import dev.tally.engine.Database;

import java.nio.file.Path;
import java.util.Locale;
import java.util.TimeZone;

/**
 * A child JVM for recovery-determinism tests: opens the database in the directory given as the only argument,
 * recovering it, and prints {@code env <language tag> <time zone> <file.encoding>} and {@code hash <state hash>}.
 */
public final class StateHashMain
{
    private StateHashMain()
    {
    }

    /**
     * Runs the child.
     *
     * @param args the database directory.
     */
    public static void main(final String[] args)
    {
        try (Database db = Database.open(Path.of(args[0])))
        {
            System.out.println("env " + Locale.getDefault().toLanguageTag() + " " + TimeZone.getDefault().getID()
                + " " + System.getProperty("file.encoding"));
            System.out.println("hash " + db.stateHash());
            System.out.flush();
        }
    }
}
