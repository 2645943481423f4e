/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.WalEntryType;
import dev.tally.replay.HistoryEntry;
import dev.tally.replay.HistoryFrame;
import dev.tally.replay.HistorySection;
import dev.tally.snapshot.Snapshot;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.wal.WalFrame;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs a database holds, gathered from the newest snapshot's history (runs whose frames the log no longer keeps)
 * and the log's frames after it. The command's thread.
 */
final class RunCatalog
{
    /** What is known of one run. */
    static final class RunSummary
    {
        long frameCount;
        long firstPosition = -1;
        long lastPosition = -1;
        boolean isEnded;

        String state()
        {
            return isEnded ? "ended" : "active";
        }
    }

    private final Map<RunId, RunSummary> runs = new TreeMap<>();
    private long historyPosition = -1;

    /**
     * Reads the newest valid history (a {@code .hist} file, or a {@code .snap} that still carries its history).
     *
     * @param directory the database.
     */
    void loadSnapshotHistory(final DatabaseDirectory directory)
    {
        final List<SnapshotFile> candidates =
            new java.util.ArrayList<>(SnapshotDirectory.listHistory(directory.path()));
        candidates.addAll(SnapshotDirectory.list(directory.path()));
        candidates.sort((a, b) -> Long.compare(b.walPosition(), a.walPosition()));
        for (final SnapshotFile file : candidates)
        {
            try
            {
                final Snapshot snapshot = SnapshotReader.read(file.path(), directory.databaseId());
                if (snapshot.hasSection(HistorySection.TYPE_ID))
                {
                    for (final Map.Entry<RunId, List<HistoryFrame>> run :
                        HistorySection.readAll(snapshot.section(HistorySection.TYPE_ID)).entrySet())
                    {
                        for (final HistoryFrame frame : run.getValue())
                        {
                            add(run.getKey(), frame);
                        }
                    }
                    historyPosition = file.walPosition();
                    return;
                }
            }
            catch (final TallyException ex)
            {
                // A damaged snapshot is verify's to report; the catalogue uses the next one.
            }
        }
    }

    /**
     * Adds one frame of the log, unless the snapshot's history already covers it.
     *
     * @param frame the frame, valid during the call.
     */
    void onFrame(final WalFrame frame)
    {
        if (frame.position() < historyPosition)
        {
            return;
        }
        add(frame.runId(), HistoryFrame.decode(frame.position(), frame.txId(), frame.typeCode(),
            frame.payloadBytes()));
    }

    Map<RunId, RunSummary> runs()
    {
        return runs;
    }

    private void add(final RunId runId, final HistoryFrame frame)
    {
        final RunSummary run = runs.computeIfAbsent(runId, id -> new RunSummary());
        run.frameCount++;
        if (run.firstPosition < 0)
        {
            run.firstPosition = frame.position();
        }
        run.lastPosition = frame.position();
        for (final HistoryEntry entry : frame.entries())
        {
            if (entry.typeCode() == WalEntryType.RUN_END.code())
            {
                run.isEnded = true;
            }
        }
    }
}
