/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.TallyException;
import dev.tally.wal.SegmentDescriptor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code tally} command line: the demo, the operator's commands (describe, verify, dump, recover,
 * truncate-tail, replay, diff, export, import) and the side-by-side benchmark (bench). Run from the {@code tally}
 * script at the repository root, on the main thread; {@link #run} is for tests and runs one command on the calling
 * thread.
 * <p>
 * Exit codes: {@value #OK} ok, {@value #CHECK_FAILED} a check failed, {@value #USAGE} a usage error (unknown command
 * or flag, a flag where a path belongs, a missing directory, a folder that is not a database, a run that does not
 * exist), {@value #DAMAGED_OR_LOCKED} the database is damaged or another process holds it.
 */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Tally's command line: a demo that proves the promise, and the operator's tools.",
    subcommands = {
        DemoCommand.class, DescribeCommand.class, VerifyCommand.class, DumpCommand.class, RecoverCommand.class,
        TruncateTailCommand.class, ReplayCommand.class, DiffCommand.class, ExportCommand.class, ImportCommand.class,
        BenchCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  ok",
        "  1  a check failed (verify found damage, a demo check failed, a benchmark failed)",
        "  2  usage: unknown command or flag, a flag where a path belongs, a missing directory,",
        "     a folder that is not a Tally database, a run that does not exist, no benchmarks jar",
        "  3  the database is damaged, or another process holds it"})
public final class Tally implements Runnable
{
    /** Exit code: the command did what it was asked. */
    public static final int OK = 0;
    /** Exit code: a check failed (verify found damage, a demo check failed, a benchmark failed). */
    public static final int CHECK_FAILED = 1;
    /** Exit code: the command line was wrong, or names something that does not exist. */
    public static final int USAGE = 2;
    /** Exit code: the database is damaged or another process holds it. */
    public static final int DAMAGED_OR_LOCKED = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs one command and exits with its code.
     *
     * @param args the command and its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command, writing to the given streams; used by {@link #main(String[])} and by tests, on the calling
     * thread.
     *
     * @param args the command and its arguments.
     * @param out  where results go.
     * @param err  where errors, progress and usage go.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        final PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        final boolean isVerbose = Arrays.asList(args).contains("--verbose");
        final CommandLine commandLine = new CommandLine(new Tally())
            .setOut(outWriter)
            .setErr(errWriter)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler((ex, arguments) ->
            {
                final String name = ex.getCommandLine().getCommandName();
                errWriter.println(name + ": " + usageMessage(ex, arguments).strip().replace('\n', ' ') + " (try: "
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
                if (isVerbose)
                {
                    ex.printStackTrace(errWriter);
                }
                return USAGE;
            })
            .setExecutionExceptionHandler((ex, command, parsed) ->
            {
                errWriter.println(command.getCommandSpec().qualifiedName() + ": " + message(ex));
                if (isVerbose)
                {
                    ex.printStackTrace(errWriter);
                }
                return exitCode(ex);
            });
        final int code = commandLine.execute(args);
        outWriter.flush();
        errWriter.flush();
        return code;
    }

    /** {@inheritDoc} */
    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static int exitCode(final Exception ex)
    {
        if (ex instanceof CommandFailure failure)
        {
            return failure.exitCode();
        }
        if (ex instanceof TallyException tally)
        {
            return switch (tally.code())
            {
                case RUN_NOT_FOUND, RUN_ALREADY_EXISTS, INVALID_ARGUMENT, INVALID_ID, INVALID_KEY -> USAGE;
                case DIRECTORY_LOCKED, CORRUPT_DATA, CORRUPT_LOG, CORRUPT_SNAPSHOT, UNKNOWN_FORMAT_VERSION,
                    UNKNOWN_ENTRY_TYPE, FOREIGN_DATABASE, READ_ONLY -> DAMAGED_OR_LOCKED;
                default -> DAMAGED_OR_LOCKED;
            };
        }
        return DAMAGED_OR_LOCKED;
    }

    /** An unknown flag is the likelier mistake than the missing argument picocli reports first. */
    private static String usageMessage(final CommandLine.ParameterException ex, final String[] arguments)
    {
        final CommandLine.Model.CommandSpec command = ex.getCommandLine().getCommandSpec();
        for (final String argument : arguments)
        {
            if (argument.equals("--"))
            {
                break;
            }
            final String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            if (name.startsWith("-") && name.length() > 1 && command.findOption(name) == null
                && command.subcommands().isEmpty() && !(ex instanceof CommandLine.UnmatchedArgumentException))
            {
                return "unknown option: " + name;
            }
        }
        return ex.getMessage();
    }

    private static String message(final Exception ex)
    {
        final String message = ex.getMessage();
        if (message == null || message.isBlank())
        {
            return ex.getClass().getSimpleName() + " (run with --verbose for the stack trace)";
        }
        return message;
    }

    /** The version line of {@code tally --version}; picocli calls it on the command's thread. */
    static final class Version implements CommandLine.IVersionProvider
    {
        /** {@inheritDoc} */
        @Override
        public String[] getVersion()
        {
            return new String[] {"tally " + TallyException.VERSION + " (log format " + SegmentDescriptor.FORMAT_VERSION
                + ", Java " + Runtime.version() + ")"};
        }
    }
}
