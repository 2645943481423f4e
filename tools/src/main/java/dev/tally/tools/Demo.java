/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import java.io.PrintStream;

/**
 * The {@code tally demo} command. Called on the main thread by {@link Tally}.
 */
final class Demo
{
    private Demo()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        err.println("tally demo: not available yet; it arrives with the command-line tools. "
            + "Run the tests with: mvn verify");
        return 1;
    }
}
