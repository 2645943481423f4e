/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.snapshot.SnapshotVerification;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tally verify DIR}: every snapshot and history file checked whole, every frame of the log checked by the
 * validating scanner. Exit 0 when clean, 1 naming the first bad file, offset, position and CRCs otherwise. Reads
 * only: no lock, no byte changed. Beside a live writer (another process holds the lock) a partial frame after the
 * durable position is a write in flight, not damage: the writer cut any torn tail when it opened. Picocli calls it on
 * the main thread.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Tally.Version.class,
    description = "Check every frame of the log and every snapshot. Reads only. Exit 0 when clean; 1 naming the "
        + "first bad file, offset, position and expected/actual CRC.")
final class VerifyCommand implements Callable<Integer>
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
        final List<SnapshotFile> files = new ArrayList<>(SnapshotDirectory.list(directory.path()));
        files.addAll(HistoryFile.list(directory.path()));
        final List<SnapshotVerification> bad = new ArrayList<>();
        for (final SnapshotFile file : files)
        {
            final SnapshotVerification verification = SnapshotReader.verify(file.path(), directory.databaseId());
            if (!verification.isValid())
            {
                bad.add(verification);
            }
        }
        final List<DatabaseDirectory.Segment> segments = directory.segments();
        final long first = directory.firstPosition();
        long end = first;
        for (final DatabaseDirectory.Segment segment : segments)
        {
            end = Math.max(end, segment.basePosition() + segment.length());
        }
        final LogScan scan;
        try (Progress progress = new Progress(spec.commandLine().getErr(), "verifying log", end - first))
        {
            scan = LogScan.run(directory, 0, frame -> progress.update(frame.position() - first));
        }
        final PrintWriter out = spec.commandLine().getOut();
        final java.util.OptionalLong holder = directory.heldBy();
        final boolean isInFlight = holder.isPresent() && scan.isTornTail();
        final boolean isLogClean = scan.isClean() || isInFlight;
        final boolean isClean = isLogClean && bad.isEmpty();
        if (common.isJson)
        {
            final JsonObjectBuilder root = json(directory, files.size(), bad, scan, segments, isLogClean);
            if (holder.isPresent())
            {
                root.add("heldBy", holder.getAsLong()).add("tailInFlight", isInFlight);
            }
            out.println(root.build());
        }
        else
        {
            if (holder.isPresent())
            {
                out.println("in use     by process " + holder.getAsLong() + ": the log was read as far as it was "
                    + "written" + (isInFlight ? "; its tail is a write in flight, not damage" : ""));
            }
            printText(out, files.size(), bad, scan, segments, isLogClean);
        }
        return isClean ? Tally.OK : Tally.CHECK_FAILED;
    }

    private static void printText(final PrintWriter out, final int fileCount, final List<SnapshotVerification> bad,
        final LogScan scan, final List<DatabaseDirectory.Segment> segments, final boolean isLogClean)
    {
        final boolean isClean = isLogClean && bad.isEmpty();
        out.println("snapshots  " + fileCount + " file(s) checked, " + bad.size() + " bad");
        for (final SnapshotVerification verification : bad)
        {
            out.println("  bad      " + verification.file().getFileName() + ": " + verification.errorCode() + ": "
                + verification.reason());
        }
        out.println("log        " + segments.size() + " segment(s), "
            + (scan.result() == null ? "" : scan.result().frameCount() + " frames, ") + scan.describeEnd(segments));
        if (isClean)
        {
            out.println("verify: clean");
        }
        else
        {
            out.println("verify: FAILED: " + firstProblem(bad, scan, segments, isLogClean));
        }
    }

    private static String firstProblem(final List<SnapshotVerification> bad, final LogScan scan,
        final List<DatabaseDirectory.Segment> segments, final boolean isLogClean)
    {
        if (!isLogClean)
        {
            return scan.describeEnd(segments);
        }
        final SnapshotVerification first = bad.get(0);
        return first.file().getFileName() + ": " + first.reason();
    }

    private static JsonObjectBuilder json(final DatabaseDirectory directory, final int fileCount,
        final List<SnapshotVerification> bad, final LogScan scan, final List<DatabaseDirectory.Segment> segments,
        final boolean isLogClean)
    {
        final boolean isClean = isLogClean && bad.isEmpty();
        final JsonArrayBuilder badArray = Json.PROVIDER.createArrayBuilder();
        for (final SnapshotVerification verification : bad)
        {
            badArray.add(Json.object().add("file", verification.file().getFileName().toString())
                .add("code", verification.errorCode().name()).add("reason", verification.reason()));
        }
        final JsonObjectBuilder log = Json.object().add("segments", segments.size())
            .add("end", scan.describeEnd(segments));
        if (scan.result() != null)
        {
            log.add("frames", scan.result().frameCount()).add("endPosition", scan.result().endPosition())
                .add("durablePosition", scan.result().durablePosition())
                .add("classification", scan.result().classification().name());
        }
        if (scan.corruption() != null)
        {
            log.add("corruption", Json.object().add("file", scan.corruption().segmentFileName())
                .add("offset", scan.corruption().offset()).add("position", scan.corruption().position())
                .add("reason", scan.corruption().reason().name())
                .add("expectedCrc", String.format("0x%08x", scan.corruption().expectedCrc()))
                .add("actualCrc", String.format("0x%08x", scan.corruption().actualCrc())));
        }
        final JsonObjectBuilder root = Json.object().add("directory", directory.path().toString())
            .add("clean", isClean).add("snapshotsChecked", fileCount).add("badSnapshots", badArray).add("log", log);
        if (!isClean)
        {
            root.add("firstProblem", firstProblem(bad, scan, segments, isLogClean));
        }
        return root;
    }
}
