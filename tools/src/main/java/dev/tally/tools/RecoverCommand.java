/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.CorruptDataException;
import dev.tally.engine.Database;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.recovery.RecoveryResult;
import dev.tally.recovery.RejectedSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code tally recover DIR --dry-run}: the report recovery would give on opening, worked out by the engine into a
 * private in-memory state without the lock and without changing a byte. Without {@code --dry-run} it recovers for
 * real: takes the lock (refusing a directory another process holds), opens and closes the database. Picocli calls it
 * on the main thread.
 */
@Command(name = "recover", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Print the recovery report: with --dry-run without changing a byte, without it by opening the "
        + "database (cutting a torn tail as an open would).")
final class RecoverCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    private String directoryArgument;

    @Option(names = "--dry-run", description = "Report only; change nothing and take no lock.")
    private boolean isDryRun;

    @Option(names = "--policy", paramLabel = "POLICY",
        description = "The recovery policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private RecoveryPolicy policy = RecoveryPolicy.STRICT_CONSISTENCY;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final DatabaseDirectory directory = DatabaseDirectory.open(directoryArgument);
        final RecoveryResult result;
        try
        {
            result = isDryRun ? Database.recoverDryRun(directory.path(), policy) : recover(directory);
        }
        catch (final CorruptDataException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "recovery " + (isDryRun ? "would refuse" : "refused")
                + " to open under " + policy + ": " + ex.getMessage(), ex);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final java.util.OptionalLong holder = isDryRun ? directory.heldBy() : java.util.OptionalLong.empty();
        if (common.isJson)
        {
            final jakarta.json.JsonObjectBuilder root = Json.PROVIDER.createObjectBuilder(Json.PROVIDER.createReader(
                new java.io.StringReader(result.toJson())).readObject()).add("dryRun", isDryRun);
            holder.ifPresent(pid -> root.add("heldBy", pid));
            out.println(root.build());
        }
        else
        {
            holder.ifPresent(pid -> out.println("in use       by process " + pid + ": the report is of the log as far "
                + "as it was written"));
            print(out, result, isDryRun);
        }
        return Tally.OK;
    }

    private RecoveryResult recover(final DatabaseDirectory directory)
    {
        // Fails fast with exit 3 when a live process holds the directory, before the engine's own attempt.
        directory.lock().close();
        try (Database db = Database.builder().directory(directory.path()).recoveryPolicy(policy).open())
        {
            return db.lastRecoveryResult().orElseThrow();
        }
    }

    static void print(final PrintWriter out, final RecoveryResult result, final boolean isDryRun)
    {
        out.println("recovery     " + (isDryRun ? "dry run: nothing was changed" : "done"));
        out.println("case         " + result.recoveryCase() + " -> " + result.recoveryCase().action()
            + (result.readOnly() ? " (opens read-only)" : ""));
        out.println("policy       " + result.policy());
        out.println("snapshot     " + Json.nullable(result.snapshotFileName()) + " (position "
            + result.snapshotPosition() + ")");
        for (final RejectedSnapshot rejected : result.rejectedSnapshots())
        {
            out.println("  rejected   " + rejected.fileName() + ": " + rejected.reason());
        }
        out.println("log          from position " + result.walStartPosition() + " to " + result.endPosition() + ", "
            + result.framesApplied() + " frames, " + result.transactionsApplied() + " transactions applied");
        if (result.cutPosition() >= 0)
        {
            out.println("cut          " + (isDryRun ? "would cut from position " : "cut from position ")
                + result.cutPosition() + (isDryRun ? "" : ", " + result.bytesCut() + " bytes"));
        }
        if (!result.damage().isEmpty())
        {
            out.println("damage       " + result.damage() + " (first bad position " + result.firstBadPosition() + ")");
        }
        out.printf(java.util.Locale.ROOT, "took         %.1f ms%n", result.durationNs() / 1e6);
    }
}
