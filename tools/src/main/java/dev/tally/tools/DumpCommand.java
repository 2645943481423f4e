/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.HistoryEntry;
import dev.tally.core.HistoryFrame;
import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.WalEntryType;
import dev.tally.wal.WalFrame;
import jakarta.json.JsonArrayBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tally dump DIR}: the log's valid frames, one a line, decoded into their entries by the replay module's frame
 * decoder. Reads only: no lock, no byte changed. Picocli calls it on the main thread.
 */
@Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Print the log's frames, one a line, decoded into their entries. Reads only. With --json, one "
        + "JSON object a line.")
final class DumpCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    private String directoryArgument;

    @Option(names = "--from", paramLabel = "POS", description = "Start at this log position (default: the first).")
    private long fromPosition;

    @Option(names = "--run", paramLabel = "ID", description = "Only the frames of this run.")
    private String runArgument;

    @Option(names = "--type", paramLabel = "T",
        description = "Only frames of this type or holding an entry of it, e.g. KV_PUT or EVENT_APPEND.")
    private String typeArgument;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final DatabaseDirectory directory = DatabaseDirectory.open(directoryArgument);
        if (fromPosition < 0)
        {
            throw new CommandFailure(Tally.USAGE, "--from must not be negative: " + fromPosition);
        }
        final RunId run = runArgument == null ? null : parseRun(runArgument);
        final Integer typeCode = typeArgument == null ? null : parseType(typeArgument);
        final PrintWriter out = spec.commandLine().getOut();
        final long[] printed = new long[1];
        final LogScan scan = LogScan.run(directory, fromPosition, frame ->
        {
            if (frame.position() < fromPosition || (run != null && !run.equals(frame.runId())))
            {
                return;
            }
            final HistoryFrame decoded = HistoryFrame.decode(frame.position(), frame.txId(), frame.typeCode(),
                frame.payloadBytes());
            if (typeCode != null && !hasType(frame, decoded, typeCode))
            {
                return;
            }
            out.println(common.isJson ? json(frame, decoded) : text(frame, decoded));
            printed[0]++;
        });
        if (run != null && printed[0] == 0 && scan.corruption() == null && !hasRun(directory, run))
        {
            throw new CommandFailure(Tally.USAGE, "run not found: " + run + " is in neither the log nor the snapshot "
                + "history (tally describe lists the runs)");
        }
        if (!common.isJson)
        {
            out.println("# " + printed[0] + " frame(s); log " + scan.describeEnd(directory.segments())
                + directory.heldBy().stream().mapToObj(pid -> "; in use by process " + pid + ", read as far as it "
                + "was written").findFirst().orElse(""));
        }
        if (scan.corruption() != null)
        {
            spec.commandLine().getErr().println("dump: the log is damaged: " + scan.describeEnd(directory.segments()));
            return Tally.DAMAGED_OR_LOCKED;
        }
        return Tally.OK;
    }

    private static boolean hasRun(final DatabaseDirectory directory, final RunId run)
    {
        final RunCatalog catalog = new RunCatalog();
        catalog.loadSnapshotHistory(directory);
        LogScan.run(directory, 0, catalog::onFrame);
        return catalog.runs().containsKey(run);
    }

    static RunId parseRun(final String text)
    {
        try
        {
            return RunId.parse(text);
        }
        catch (final TallyException | IllegalArgumentException ex)
        {
            throw new CommandFailure(Tally.USAGE, "not a run id: " + text + " (a UUID, as describe lists them)");
        }
    }

    private static int parseType(final String text)
    {
        for (final WalEntryType type : WalEntryType.values())
        {
            if (type.name().equalsIgnoreCase(text))
            {
                return type.code();
            }
        }
        throw new CommandFailure(Tally.USAGE, "unknown entry type: " + text + " (one of "
            + java.util.Arrays.toString(WalEntryType.values()) + ")");
    }

    private static boolean hasType(final WalFrame frame, final HistoryFrame decoded, final int typeCode)
    {
        if (frame.typeCode() == typeCode)
        {
            return true;
        }
        for (final HistoryEntry entry : decoded.entries())
        {
            if (entry.typeCode() == typeCode)
            {
                return true;
            }
        }
        return false;
    }

    static String typeName(final int code)
    {
        final WalEntryType type = WalEntryType.lookup(code);
        return type == null ? String.format(Locale.ROOT, "0x%02x", code) : type.name();
    }

    private static String text(final WalFrame frame, final HistoryFrame decoded)
    {
        final StringBuilder line = new StringBuilder(128);
        line.append("position=").append(frame.position()).append(" length=").append(frame.frameLength())
            .append(" type=").append(typeName(frame.typeCode())).append(" run=").append(frame.runId())
            .append(" tx=").append(frame.txId()).append(" entries=");
        for (int i = 0; i < decoded.entries().size(); i++)
        {
            final HistoryEntry entry = decoded.entries().get(i);
            line.append(i == 0 ? "" : ",").append(typeName(entry.typeCode())).append('(')
                .append(entry.body().length).append("B)");
        }
        return line.toString();
    }

    private static String json(final WalFrame frame, final HistoryFrame decoded)
    {
        final JsonArrayBuilder entries = Json.PROVIDER.createArrayBuilder();
        for (final HistoryEntry entry : decoded.entries())
        {
            entries.add(Json.object().add("type", typeName(entry.typeCode())).add("length", entry.body().length));
        }
        return Json.object().add("position", frame.position()).add("length", frame.frameLength())
            .add("type", typeName(frame.typeCode())).add("run", frame.runId().toString())
            .add("tx", frame.txId().toString()).add("entries", entries).build().toString();
    }
}
