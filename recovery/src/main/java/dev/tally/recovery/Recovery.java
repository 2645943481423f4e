/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.snapshot.SectionBytes;
import dev.tally.snapshot.SectionLoader;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotHeader;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.wal.CorruptLogException;
import dev.tally.wal.CorruptionReason;
import dev.tally.wal.ScanMode;
import dev.tally.wal.ScanResult;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.WalFrame;
import dev.tally.wal.WalScanner;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Rebuilds a database's state from its directory: the newest valid snapshot (falling back to older ones, then to the
 * log alone), then every committed frame of the log after the snapshot's position, in order. How the log ends and
 * what the caller's {@link RecoveryPolicy} allows decide, through the {@link RecoveryCase} table, whether the database
 * opens read-write, opens read-only, has a damaged tail cut, or fails to open. Recovery is a pure function of the
 * files: the same files give the same state (invariant R1). The snapshot and the log are read through the {@link
 * StateRebuilder} every rebuild of the engine uses. Called by one thread, before the database opens.
 */
public final class Recovery
{
    private Recovery()
    {
    }

    /**
     * Recovers the state of the database in a directory into a target; the opening thread only, while it holds the
     * directory lock and no log writer is open.
     *
     * @param directory  the database directory (snapshots and log segments).
     * @param databaseId the id every snapshot and segment must carry.
     * @param policy     what to do about damage before the durable position.
     * @param target     the state to rebuild, empty.
     * @return what recovery did; the writer continues at {@link RecoveryResult#endPosition()}.
     * @throws CorruptLogException  when the case's action is to fail on log damage.
     * @throws CorruptDataException when the case's action is to fail for a missing log prefix or a snapshot ahead of
     *                              the log.
     */
    public static RecoveryResult recover(final Path directory, final UUID databaseId, final RecoveryPolicy policy,
        final RecoveryTarget target)
    {
        return recover(directory, databaseId, policy, target, ScanMode.REPAIR);
    }

    /**
     * Recovers as {@link #recover(Path, UUID, RecoveryPolicy, RecoveryTarget)} does, or, in {@link
     * ScanMode#READ_ONLY}, works out the same report without changing a byte: nothing is cut, and a case whose action
     * cuts reports {@code cutPosition} with {@code bytesCut} 0. A dry run needs no directory lock and may run beside
     * a live writer (it then reports the log as far as it was written); the calling thread only.
     *
     * @param directory  the database directory (snapshots and log segments).
     * @param databaseId the id every snapshot and segment must carry.
     * @param policy     what to do about damage before the durable position.
     * @param target     the state to rebuild, empty.
     * @param mode       {@link ScanMode#REPAIR} to recover, {@link ScanMode#READ_ONLY} for a dry run.
     * @return what recovery did, or would do.
     * @throws CorruptLogException  when the case's action is to fail on log damage.
     * @throws CorruptDataException when the case's action is to fail for a missing log prefix or a snapshot ahead of
     *                              the log.
     */
    public static RecoveryResult recover(final Path directory, final UUID databaseId, final RecoveryPolicy policy,
        final RecoveryTarget target, final ScanMode mode)
    {
        final long startNs = System.nanoTime();
        final Progress progress = new Progress();
        final Rebuild rebuild = new Rebuild(databaseId, target, progress);
        final StateRebuilder.Base base = StateRebuilder.loadBase(SnapshotDirectory.list(directory), rebuild);
        final SnapshotFile snapshot = base.file();
        final long startPosition = base.position();
        final RecoveryCase.Snap snap = snapshot == null ? RecoveryCase.Snap.NONE : RecoveryCase.Snap.LOADED;
        progress.endPosition = startPosition;
        try (WalScanner scanner = new WalScanner(directory, databaseId, target::isKnownFrameType))
        {
            final LogState logState = logState(directory, snapshot, startPosition, scanner, rebuild, progress, mode);
            final RecoveryCase recoveryCase = RecoveryCase.decide(snap, logState, policy);
            boolean readOnly = false;
            switch (recoveryCase.action())
            {
                case OPEN:
                    break;
                case CUT_AND_OPEN:
                    progress.bytesCut = mode == ScanMode.REPAIR ? scanner.cutFrom(progress.firstBadPosition) : 0;
                    progress.cutPosition = progress.firstBadPosition;
                    progress.endPosition = progress.firstBadPosition;
                    break;
                case OPEN_READ_ONLY:
                    readOnly = true;
                    break;
                default:
                    throw failure(recoveryCase, progress);
            }
            final String snapshotName = snapshot == null ? null : snapshot.path().getFileName().toString();
            return new RecoveryResult(recoveryCase, policy, readOnly, snapshotName, startPosition,
                base.rejected(), startPosition, progress.endPosition, progress.frames, progress.transactions, 0,
                progress.bytesCut, progress.cutPosition, progress.firstBadPosition, progress.damage,
                System.nanoTime() - startNs);
        }
    }

    private static LogState logState(final Path directory, final SnapshotFile snapshot, final long startPosition,
        final WalScanner scanner, final RebuildTarget target, final Progress progress, final ScanMode mode)
    {
        final LogState outOfBounds = outOfBounds(directory, snapshot, startPosition, scanner, progress);
        if (outOfBounds != null)
        {
            return outOfBounds;
        }
        try
        {
            final ScanResult scan = StateRebuilder.applyLog(scanner, startPosition, StateRebuilder.UNBOUNDED, mode,
                target);
            progress.endPosition = scan.endPosition();
            progress.bytesCut = scan.bytesCut();
            if (scan.classification() == ScanResult.Classification.TORN_TAIL)
            {
                progress.cutPosition = scan.endPosition();
                progress.firstBadPosition = scan.endPosition();
                progress.damage = "torn tail of " + scan.tailLength() + " bytes after the durable position "
                    + scan.durablePosition();
                return LogState.TORN_TAIL;
            }
            return LogState.CLEAN_END;
        }
        catch (final CorruptLogException ex)
        {
            progress.corruption = ex;
            progress.firstBadPosition = ex.position();
            progress.damage = ex.getMessage();
            // Damage before the start can only be the segment holding it: missing, or its header unusable. The log
            // then does not reach back to the snapshot, and nothing before the start may be cut.
            if (ex.position() < startPosition ||
                (ex.reason() == CorruptionReason.MISSING_SEGMENT && ex.position() == startPosition))
            {
                return LogState.MISSING_PREFIX;
            }
            progress.endPosition = Math.max(startPosition, ex.position());
            return scanner.hasValidFrameAfter(ex.position()) ? LogState.CORRUPT_THEN_VALID : LogState.CORRUPT_TO_END;
        }
    }

    /**
     * The log state when the log does not reach the start position at all: it starts after it, its files end before
     * it, or (after a snapshot) its frames stop short of it. The frames are followed, not the files' lengths: a
     * segment file is allocated in full before it is written, so a snapshot position inside the last file may still
     * lie past the last frame, and a writer opened there would leave a gap of zeros no later recovery could cross.
     *
     * @return the state, or {@code null} when the scan is to decide.
     */
    private static LogState outOfBounds(final Path directory, final SnapshotFile snapshot, final long startPosition,
        final WalScanner scanner, final Progress progress)
    {
        final long[] bounds = segmentBounds(directory);
        if (bounds == null)
        {
            return startPosition == 0 ? LogState.CLEAN_END : LogState.SNAPSHOT_AHEAD_OF_LOG;
        }
        if (startPosition < bounds[0])
        {
            progress.damage = "the log starts at position " + bounds[0] + " but recovery needs position "
                + startPosition;
            return LogState.MISSING_PREFIX;
        }
        if (snapshot == null)
        {
            return null;
        }
        final long framesEnd = startPosition > bounds[1] ? bounds[1] : scanner.lastFrameEndAtOrBefore(startPosition);
        if (framesEnd < startPosition)
        {
            progress.damage = "the snapshot covers position " + startPosition + " but the log's frames stop at "
                + framesEnd;
            return LogState.SNAPSHOT_AHEAD_OF_LOG;
        }
        return null;
    }

    /** The first segment's base and the end of the last segment, or null when there is no segment. */
    private static long[] segmentBounds(final Path directory)
    {
        long first = Long.MAX_VALUE;
        long end = -1;
        if (!Files.isDirectory(directory))
        {
            return null;
        }
        final String glob = "*" + SegmentDescriptor.SEGMENT_SUFFIX;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob))
        {
            for (final Path entry : entries)
            {
                final long base = SegmentDescriptor.parseFileName(entry.getFileName().toString());
                if (base >= 0)
                {
                    first = Math.min(first, base);
                    end = Math.max(end, base + Files.size(entry));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new StorageException(ErrorCode.STORAGE_IO, "cannot list the log directory: " + directory, ex);
        }
        return end < 0 ? null : new long[] {first, end};
    }

    private static RuntimeException failure(final RecoveryCase recoveryCase, final Progress progress)
    {
        if (progress.corruption != null)
        {
            return progress.corruption;
        }
        return new CorruptDataException(ErrorCode.CORRUPT_LOG, "recovery refused to open (" + recoveryCase.name()
            + "): " + progress.damage);
    }

    /** What the scan found so far; the recovering thread only. */
    private static final class Progress
    {
        long frames;
        long transactions;
        long endPosition;
        long bytesCut;
        long cutPosition = -1;
        long firstBadPosition = -1;
        String damage = "";
        CorruptLogException corruption;
    }

    /**
     * The recovery target seen by the rebuilder: a snapshot is loaded section by section into the registered
     * primitives (a section for a primitive that is not registered rejects the file), and each frame is applied and
     * counted.
     */
    private static final class Rebuild implements RebuildTarget
    {
        private final UUID databaseId;
        private final RecoveryTarget target;
        private final Progress progress;

        Rebuild(final UUID databaseId, final RecoveryTarget target, final Progress progress)
        {
            this.databaseId = databaseId;
            this.target = target;
            this.progress = progress;
        }

        @Override
        public void reset()
        {
            target.reset();
        }

        @Override
        public void loadBase(final SnapshotFile file)
        {
            SnapshotReader.load(file.path(), databaseId, new SectionLoader()
            {
                @Override
                public void begin(final SnapshotHeader header, final int[] typeIds)
                {
                    // The reader has checked the header's position against the file name already.
                    for (final int typeId : typeIds)
                    {
                        if (!target.hasPrimitive(typeId))
                        {
                            throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT,
                                "section for a primitive that is not registered: typeId=" + typeId);
                        }
                    }
                }

                @Override
                public void load(final SectionBytes section)
                {
                    target.loadSection(section.typeId(), section);
                }
            }, target.sectionAccess());
        }

        @Override
        public boolean isKnownFrameType(final int typeCode)
        {
            return target.isKnownFrameType(typeCode);
        }

        @Override
        public void applyFrame(final WalFrame frame)
        {
            progress.frames++;
            progress.transactions += target.applyFrame(frame);
        }
    }
}
