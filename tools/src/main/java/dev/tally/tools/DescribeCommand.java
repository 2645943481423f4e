/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tally describe DIR}: segments, snapshots, durable position, database id, sizes and runs. Reads only: no
 * lock, no byte changed. Picocli calls it on the main thread.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Show a database's segments, snapshots, durable position, id, sizes and runs. Reads only.")
final class DescribeCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    private String directoryArgument;

    /** {@inheritDoc} */
    @Override
    public Integer call()
    {
        final DatabaseDirectory directory = DatabaseDirectory.open(directoryArgument);
        final List<DatabaseDirectory.Segment> segments = directory.segments();
        final List<SnapshotFile> snapshots = SnapshotDirectory.list(directory.path());
        final RunCatalog catalog = new RunCatalog();
        catalog.loadSnapshotHistory(directory);
        final long[] frameCount = new long[1];
        final LogScan scan = LogScan.run(directory, 0, frame ->
        {
            frameCount[0]++;
            catalog.onFrame(frame);
        });
        long logLength = 0;
        for (final DatabaseDirectory.Segment segment : segments)
        {
            logLength += segment.length();
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (common.isJson)
        {
            out.println(json(directory, segments, snapshots, catalog, scan, frameCount[0], logLength).build());
        }
        else
        {
            printText(out, directory, segments, snapshots, catalog, scan, frameCount[0], logLength);
        }
        if (scan.corruption() != null)
        {
            spec.commandLine().getErr().println("describe: the log is damaged: " + scan.describeEnd(segments)
                + " (tally verify checks every frame and snapshot)");
            return Tally.DAMAGED_OR_LOCKED;
        }
        return Tally.OK;
    }

    private static void printText(final PrintWriter out, final DatabaseDirectory directory,
        final List<DatabaseDirectory.Segment> segments, final List<SnapshotFile> snapshots, final RunCatalog catalog,
        final LogScan scan, final long frameCount, final long logLength)
    {
        out.println("database     " + directory.path());
        out.println("database id  " + directory.databaseId());
        directory.heldBy().ifPresent(pid -> out.println("in use       by process " + pid + " (a live writer: the log "
            + "was read as far as it was written)"));
        out.println("log          " + segments.size() + " segment(s), " + logLength + " bytes on disk, first position "
            + directory.firstPosition() + ", " + frameCount + " frames");
        out.println("log end      " + scan.describeEnd(segments));
        if (scan.result() != null)
        {
            out.println("durable      position " + scan.result().durablePosition());
        }
        for (final DatabaseDirectory.Segment segment : segments)
        {
            out.println("  segment    " + segment.fileName() + "  base " + segment.basePosition() + "  "
                + segment.length() + " bytes");
        }
        out.println("snapshots    " + snapshots.size());
        for (final SnapshotFile snapshot : snapshots)
        {
            out.println("  snapshot   " + snapshot.path().getFileName() + "  position " + snapshot.walPosition() + "  "
                + DatabaseDirectory.size(snapshot.path()) + " bytes");
        }
        final Map<RunId, RunCatalog.RunSummary> runs = catalog.runs();
        final long ended = runs.values().stream().filter(r -> r.isEnded).count();
        out.println("runs         " + runs.size() + " (" + ended + " ended, " + (runs.size() - ended) + " active)");
        for (final Map.Entry<RunId, RunCatalog.RunSummary> run : runs.entrySet())
        {
            out.println("  run        " + run.getKey() + "  " + run.getValue().state() + "  "
                + run.getValue().frameCount + " frames, positions " + run.getValue().firstPosition + ".."
                + run.getValue().lastPosition);
        }
        final List<String> others = directory.otherFiles();
        if (!others.isEmpty())
        {
            out.println("other files  " + String.join(", ", others) + " (not part of the database)");
        }
    }

    private static JsonObjectBuilder json(final DatabaseDirectory directory,
        final List<DatabaseDirectory.Segment> segments, final List<SnapshotFile> snapshots, final RunCatalog catalog,
        final LogScan scan, final long frameCount, final long logLength)
    {
        final JsonArrayBuilder segmentArray = Json.PROVIDER.createArrayBuilder();
        for (final DatabaseDirectory.Segment segment : segments)
        {
            segmentArray.add(Json.object().add("file", segment.fileName()).add("basePosition", segment.basePosition())
                .add("length", segment.length()));
        }
        final JsonArrayBuilder snapshotArray = Json.PROVIDER.createArrayBuilder();
        for (final SnapshotFile snapshot : snapshots)
        {
            snapshotArray.add(Json.object().add("file", snapshot.path().getFileName().toString())
                .add("walPosition", snapshot.walPosition()).add("length", DatabaseDirectory.size(snapshot.path())));
        }
        final JsonArrayBuilder runArray = Json.PROVIDER.createArrayBuilder();
        for (final Map.Entry<RunId, RunCatalog.RunSummary> run : catalog.runs().entrySet())
        {
            runArray.add(Json.object().add("run", run.getKey().toString()).add("state", run.getValue().state())
                .add("frames", run.getValue().frameCount).add("firstPosition", run.getValue().firstPosition)
                .add("lastPosition", run.getValue().lastPosition));
        }
        final JsonArrayBuilder others = Json.PROVIDER.createArrayBuilder();
        directory.otherFiles().forEach(others::add);
        final JsonObjectBuilder root = Json.object().add("directory", directory.path().toString())
            .add("databaseId", directory.databaseId().toString()).add("logLength", logLength)
            .add("firstPosition", directory.firstPosition()).add("frames", frameCount)
            .add("logEnd", scan.describeEnd(segments)).add("clean", scan.isClean());
        directory.heldBy().ifPresent(pid -> root.add("heldBy", pid));
        if (scan.result() != null)
        {
            root.add("endPosition", scan.result().endPosition()).add("durablePosition",
                scan.result().durablePosition());
        }
        return root.add("segments", segmentArray).add("snapshots", snapshotArray).add("runs", runArray)
            .add("otherFiles", others);
    }
}
