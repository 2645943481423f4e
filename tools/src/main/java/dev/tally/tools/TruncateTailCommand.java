/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.wal.CorruptLogException;
import dev.tally.wal.DirectoryLock;
import dev.tally.wal.ScanMode;
import dev.tally.wal.ScanResult;
import dev.tally.wal.WalScanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tally truncate-tail DIR --confirm}: shows the torn tail (damage after the durable position) and, with
 * {@code --confirm}, cuts it through the scanner's repair mode while holding the directory lock. Damage before the
 * durable position is corruption, not a tail, and is refused. Picocli calls it on the main thread.
 */
@Command(name = "truncate-tail", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Show the torn tail of the log and, with --confirm, cut it. Refuses corruption before the "
        + "durable position and a directory another process holds.")
final class TruncateTailCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    private String directoryArgument;

    @Option(names = "--confirm", description = "Cut the tail shown; without it nothing changes.")
    private boolean isConfirmed;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final DatabaseDirectory directory = DatabaseDirectory.open(directoryArgument);
        // A held log's tail is a write in flight: refused before reading, with or without --confirm.
        directory.refuseIfHeld();
        if (!isConfirmed)
        {
            // Showing changes nothing, so it takes no lock (taking it rewrites the lock file with this pid).
            return show(directory);
        }
        try (DirectoryLock lock = directory.lock())
        {
            assert lock.directory() != null;
            final LogScan scan = scanForTail(directory);
            final List<DatabaseDirectory.Segment> segments = directory.segments();
            if (scan.isClean())
            {
                report(spec.commandLine().getOut(), "nothing to cut: " + scan.describeEnd(segments), scan.result(), 0,
                    false);
                return Tally.OK;
            }
            final String plan = plan(scan.result(), segments);
            final ScanResult cut;
            try (WalScanner scanner = new WalScanner(directory.path(), directory.databaseId(),
                WalScanner.builtInTypes()))
            {
                cut = scanner.scan(directory.firstPosition(), ScanMode.REPAIR, frame ->
                {
                });
            }
            catch (final CorruptLogException ex)
            {
                throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "the log changed while cutting: " + ex.getMessage(),
                    ex);
            }
            report(spec.commandLine().getOut(), plan + "; cut " + cut.bytesCut() + " bytes, the log now ends at "
                + "position " + cut.endPosition(), cut, cut.bytesCut(), true);
            return Tally.OK;
        }
    }

    private int show(final DatabaseDirectory directory)
    {
        final LogScan scan = scanForTail(directory);
        final List<DatabaseDirectory.Segment> segments = directory.segments();
        if (scan.isClean())
        {
            report(spec.commandLine().getOut(), "nothing to cut: " + scan.describeEnd(segments), scan.result(), 0,
                false);
            return Tally.OK;
        }
        report(spec.commandLine().getOut(), plan(scan.result(), segments) + "; nothing changed: add --confirm to cut "
            + "it", scan.result(), 0, false);
        return Tally.USAGE;
    }

    private static LogScan scanForTail(final DatabaseDirectory directory)
    {
        final LogScan scan = LogScan.run(directory, 0, frame ->
        {
        });
        if (scan.corruption() != null)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "not a torn tail, refusing to cut: "
                + scan.describeEnd(directory.segments()) + "; see tally recover --dry-run --policy");
        }
        return scan;
    }

    private static String plan(final ScanResult result, final List<DatabaseDirectory.Segment> segments)
    {
        final DatabaseDirectory.Segment segment = LogScan.segmentAt(segments, result.endPosition());
        return "torn tail: " + result.tailLength() + " bytes of damage at position " + result.endPosition()
            + " (file " + (segment == null ? "-" : segment.fileName() + ", offset "
            + (result.endPosition() - segment.basePosition())) + "), after the durable position "
            + result.durablePosition() + "; " + result.frameCount() + " good frames stay";
    }

    private void report(final PrintWriter out, final String line, final ScanResult result, final long bytesCut,
        final boolean isCut)
    {
        if (common.isJson)
        {
            out.println(Json.object().add("message", line).add("classification", result.classification().name())
                .add("endPosition", result.endPosition()).add("durablePosition", result.durablePosition())
                .add("tailLength", result.tailLength()).add("bytesCut", bytesCut).add("cut", isCut).build());
        }
        else
        {
            out.println(line);
        }
    }
}
