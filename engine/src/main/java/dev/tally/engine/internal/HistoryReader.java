/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.HistoryFrame;
import dev.tally.core.RunId;
import dev.tally.recovery.RebuildTarget;
import dev.tally.recovery.StateRebuilder;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.wal.CorruptLogException;
import dev.tally.wal.WalFrame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads one run's history: every frame the run committed below a position, in commit order. Never writes a file and
 * never changes the live state; any thread, several at once.
 *
 * <p>Design note: in file modes the history is not in memory. It is rebuilt by the {@link StateRebuilder}: the run's
 * frames in the newest valid history file ({@link HistoryFile}), filtered to the bound, followed by the run's frames
 * in the log from that file's position, read with a read-only scan that stops at the bound. The bound is
 * the end of the last committed frame when the read starts; the reader first waits until the writer thread has appended
 * everything below it, so a replay sees every commit that returned before it. The files are read while no snapshot is
 * taken ({@link Snapshotter#whileNoSnapshot}), so retention cannot delete the history file or a segment the read
 * needs: segments are released only before the oldest kept snapshot, which is never after the newest history file the
 * read starts from. A scan that meets a header the writer is updating at that moment is retried a bounded number of
 * times. On a database recovery opened read-only, the bound is the position recovery stopped at, and damage from
 * there on is never read. In InMemory mode the engine's in-memory history is the source.
 */
public final class HistoryReader
{
    private static final int ATTEMPT_COUNT_MAX = 3;

    private final Engine engine;
    private final Path directory;
    private final UUID databaseId;
    private final Snapshotter snapshotter;
    private final long readOnlyEnd;

    /**
     * A run's frames below a bound.
     *
     * @param frames the frames in commit order.
     * @param bound  the exclusive position bound they were read up to.
     */
    public record Bounded(List<HistoryFrame> frames, long bound)
    {
    }

    /**
     * Creates a reader; the opening thread.
     *
     * @param engine      the engine.
     * @param directory   the database directory, or {@code null} in InMemory mode.
     * @param databaseId  the database id, or {@code null} in InMemory mode.
     * @param snapshotter the snapshotter, or {@code null} when there is none (InMemory, read-only).
     * @param readOnlyEnd the end of the recovered log when the database is read-only (nothing is appended).
     */
    public HistoryReader(final Engine engine, final Path directory, final UUID databaseId,
        final Snapshotter snapshotter, final long readOnlyEnd)
    {
        this.engine = engine;
        this.directory = directory;
        this.databaseId = databaseId;
        this.snapshotter = snapshotter;
        this.readOnlyEnd = readOnlyEnd;
    }

    /**
     * The end of the last committed frame, and the position of the run's last frame since open, read together under
     * the commit lock; any thread not holding it.
     *
     * @param runId the run.
     * @return {@code [bound, lastPosition]}.
     */
    public long[] boundAndLastPosition(final RunId runId)
    {
        if (directory != null && !engine.log().writesFrames())
        {
            return new long[] {readOnlyEnd, -1};
        }
        return engine.underCommitLock(() -> new long[] {engine.committedEnd(), engine.lastPosition(runId)});
    }

    /**
     * A run's frames committed below a bound; any thread not holding the commit lock.
     *
     * @param runId the run.
     * @param bound the exclusive bound, from {@link #boundAndLastPosition}.
     * @return the frames.
     */
    public Bounded read(final RunId runId, final long bound)
    {
        final List<HistoryFrame> memory = engine.memoryHistory(runId);
        if (memory != null)
        {
            return new Bounded(below(memory, bound), bound);
        }
        engine.log().awaitWritten(bound);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                final List<HistoryFrame> frames = snapshotter == null ? readFiles(runId, bound)
                    : snapshotter.whileNoSnapshot(() -> readFiles(runId, bound));
                return new Bounded(frames, bound);
            }
            catch (final CorruptLogException ex)
            {
                if (attempt >= ATTEMPT_COUNT_MAX || !engine.log().writesFrames())
                {
                    throw ex;
                }
            }
        }
    }

    private List<HistoryFrame> readFiles(final RunId runId, final long bound)
    {
        // The newest readable history file serves even when it lies beyond the bound (a snapshot taken after the bound
        // was read may already have deleted older files and segments): its frames are filtered to the bound.
        final RunFrames target = new RunFrames(runId, bound);
        try
        {
            StateRebuilder.rebuild(directory, databaseId, HistoryFile.list(directory), bound, target);
        }
        catch (final CorruptLogException ex)
        {
            // Damage at or after the bound lies past what the read serves: on a database recovery opened read-only,
            // the bound is where recovery stopped, at the first damaged position.
            if (ex.position() < bound)
            {
                throw ex;
            }
        }
        return target.frames;
    }

    private static List<HistoryFrame> below(final List<HistoryFrame> frames, final long bound)
    {
        final List<HistoryFrame> out = new ArrayList<>(frames.size());
        for (final HistoryFrame frame : frames)
        {
            if (frame.position() < bound)
            {
                out.add(frame);
            }
        }
        return out;
    }

    /** One run's frames below a bound: those of the base history file, then the run's frames in the log. */
    private final class RunFrames implements RebuildTarget
    {
        private final RunId runId;
        private final long bound;
        private final long high;
        private final long low;
        private List<HistoryFrame> frames = new ArrayList<>();

        RunFrames(final RunId runId, final long bound)
        {
            this.runId = runId;
            this.bound = bound;
            this.high = runId.uuid().getMostSignificantBits();
            this.low = runId.uuid().getLeastSignificantBits();
        }

        @Override
        public void reset()
        {
            frames = new ArrayList<>();
        }

        @Override
        public void loadBase(final SnapshotFile file)
        {
            frames = below(HistoryFile.readRun(HistoryFile.read(file.path(), databaseId), runId), bound);
        }

        @Override
        public boolean isKnownFrameType(final int typeCode)
        {
            return engine.registry().isKnownFrameType(typeCode);
        }

        @Override
        public void applyFrame(final WalFrame frame)
        {
            if (frame.runIdMostSignificantBits() == high && frame.runIdLeastSignificantBits() == low)
            {
                frames.add(HistoryFrame.decode(frame.position(), frame.txId(), frame.typeCode(),
                    frame.payloadBytes()));
            }
        }
    }
}
