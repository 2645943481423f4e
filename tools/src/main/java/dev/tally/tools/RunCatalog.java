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
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SnapshotFile;
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
     * Reads the newest valid history file.
     *
     * @param directory the database.
     */
    void loadSnapshotHistory(final DatabaseDirectory directory)
    {
        for (final SnapshotFile file : HistoryFile.list(directory.path()))
        {
            try
            {
                final byte[] section = HistoryFile.read(file.path(), directory.databaseId());
                for (final Map.Entry<RunId, List<HistoryFrame>> run : HistoryFile.readAll(section).entrySet())
                {
                    for (final HistoryFrame frame : run.getValue())
                    {
                        add(run.getKey(), frame);
                    }
                }
                historyPosition = file.walPosition();
                return;
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
