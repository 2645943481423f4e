/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code tally} command line: demo, inspect, verify, repair, replay and bench. Run from the {@code tally} script at
 * the repository root, on the main thread.
 */
public final class Tally
{
    private Tally()
    {
    }

    /**
     * Runs one command and exits with 0 on success, 1 on failure and 2 on a usage error.
     *
     * @param args the command and its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command, writing to the given streams; used by {@link #main(String[])} and by tests.
     *
     * @param args the command and its arguments.
     * @param out  where results go.
     * @param err  where errors and usage go.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || "help".equals(args[0]) || "--help".equals(args[0]))
        {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        final String command = args[0];
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (command)
        {
            case "demo":
                return Demo.run(rest, out, err);
            default:
                err.println("tally: unknown command: " + command);
                usage(err);
                return 2;
        }
    }

    private static void usage(final PrintStream out)
    {
        out.println("usage: tally <command> [args]");
        out.println();
        out.println("commands:");
        out.println("  demo     run the main job on an embedded database in a temporary folder");
        out.println("  help     print this text");
    }
}
