/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.RunId;
import dev.tally.replay.HistoryFrame;
import dev.tally.replay.HistorySection;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.wal.CorruptLogException;
import dev.tally.wal.ScanMode;
import dev.tally.wal.WalScanner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads one run's history: every frame the run committed below a position, in commit order. Never writes a file and
 * never changes the live state; any thread, several at once.
 *
 * <p>Design note: in file modes the history is not in memory. It is the HISTORY section of the newest valid history
 * file ({@link HistoryFiles}), filtered to the bound (the run's frames before the file's position), followed
 * by the run's frames in the log from that position, read with a read-only scan that stops at the bound. The bound is
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
        for (final SnapshotFile file : HistoryFiles.sources(directory))
        {
            final byte[] section;
            try
            {
                section = HistoryFiles.read(file.path(), databaseId);
            }
            catch (final CorruptDataException ex)
            {
                continue;
            }
            final List<HistoryFrame> frames = section == null ? new ArrayList<>()
                : below(HistorySection.readRun(section, runId), bound);
            scanLog(runId, file.walPosition(), bound, frames);
            return frames;
        }
        final List<HistoryFrame> frames = new ArrayList<>();
        scanLog(runId, 0, bound, frames);
        return frames;
    }

    private void scanLog(final RunId runId, final long from, final long bound, final List<HistoryFrame> out)
    {
        if (from >= bound)
        {
            return;
        }
        final long high = runId.uuid().getMostSignificantBits();
        final long low = runId.uuid().getLeastSignificantBits();
        try (WalScanner scanner = new WalScanner(directory, databaseId, engine.registry()::isKnownFrameType))
        {
            scanner.scan(from, ScanMode.READ_ONLY, frame ->
            {
                if (frame.position() >= bound)
                {
                    throw ReachedBound.INSTANCE;
                }
                if (frame.runIdMostSignificantBits() == high && frame.runIdLeastSignificantBits() == low)
                {
                    out.add(HistoryFrame.decode(frame.position(), frame.txId(), frame.typeCode(),
                        frame.payloadBytes()));
                }
            });
        }
        catch (final ReachedBound reached)
        {
            return;
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

    /** Stops the log scan at the bound; carries no stack trace. */
    private static final class ReachedBound extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        static final ReachedBound INSTANCE = new ReachedBound();

        private ReachedBound()
        {
            super("reached the history bound", null, false, false);
        }
    }
}
