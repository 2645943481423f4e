/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.core.CorruptDataException;
import dev.tally.core.StorageException;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.wal.ControlledFrameHandler;
import dev.tally.wal.ScanMode;
import dev.tally.wal.ScanResult;
import dev.tally.wal.WalScanner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Rebuilds a state at a position: the newest base file that loads, then every log frame from the base's position up
 * to the bound, in order. One algorithm for recovery at open (snapshots as bases, no bound), snapshot shadow rebuilds
 * (snapshots at or before the new snapshot's position, bounded by it) and history reads (history files, bounded by
 * the last commit the read serves). Stateless; the rebuilding thread.
 *
 * <pre>
 *   bases, newest first:   [ P3 (damaged) ]  [ P2 ]  [ P1 ]     none usable: start at 0
 *                                  x          load
 *   log:                   ... P2 |f|f|f|f|f|f| bound |f|f ...
 *                                  apply ------>  STOP
 * </pre>
 *
 * <p>Design note: the scan stops at the first frame at or after the bound through its handler's answer ({@link
 * ControlledFrameHandler.Action#STOP}), so nothing after the bound is read, and no exception steers the scan.
 */
public final class StateRebuilder
{
    /** No bound: the rebuild runs to the end of the log. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    private StateRebuilder()
    {
    }

    /**
     * The base a rebuild started from.
     *
     * @param file     the base file loaded, or {@code null} when none was usable and the rebuild started at 0.
     * @param rejected the newer bases that did not load, newest first, and why.
     */
    public record Base(SnapshotFile file, List<RejectedSnapshot> rejected)
    {
        /**
         * Freezes the rejected list; any thread.
         *
         * @param file     the base file, or {@code null}.
         * @param rejected the rejected bases.
         */
        public Base
        {
            rejected = List.copyOf(rejected);
        }

        /**
         * The log position the rebuild continues from; any thread.
         *
         * @return the base's position, or 0 without a base.
         */
        public long position()
        {
            return file == null ? 0 : file.walPosition();
        }
    }

    /**
     * A finished rebuild.
     *
     * @param base the base it started from.
     * @param scan how the log scan after it ended: {@link ScanResult.Classification#STOPPED} at the bound, or how
     *             the log ends before it.
     */
    public record Rebuilt(Base base, ScanResult scan)
    {
    }

    /**
     * Loads the newest base that loads, trying the next older one whenever a file is damaged, foreign or unreadable;
     * the rebuilding thread. The target is reset before each attempt and after each failure. A failure that is not
     * the file's (a bug, an error of the JVM) resets the target and propagates.
     *
     * @param candidates the base files, newest first.
     * @param target     the state to load into.
     * @return the base loaded, or one without a file when none loaded (the target is then empty).
     */
    public static Base loadBase(final List<SnapshotFile> candidates, final RebuildTarget target)
    {
        final List<RejectedSnapshot> rejected = new ArrayList<>();
        for (final SnapshotFile file : candidates)
        {
            try
            {
                target.reset();
                target.loadBase(file);
                return new Base(file, rejected);
            }
            catch (final CorruptDataException | StorageException ex)
            {
                target.reset();
                rejected.add(new RejectedSnapshot(file.path().getFileName().toString(), file.walPosition(),
                    ex.getMessage()));
            }
            catch (final RuntimeException | Error ex)
            {
                target.reset(); // no half-loaded state behind a failure that is not the file's
                throw ex;
            }
        }
        return new Base(null, rejected);
    }

    /**
     * Applies every frame from a position below a bound to the target; the scanner's thread.
     *
     * @param scanner the scanner of the log.
     * @param from    the position to start at: the base's.
     * @param bound   the exclusive bound, or {@link #UNBOUNDED}.
     * @param mode    whether a torn tail before the bound is cut.
     * @param target  the state the frames go to.
     * @return how the scan ended.
     * @throws dev.tally.wal.CorruptLogException when the log is corrupt before the bound.
     */
    public static ScanResult applyLog(final WalScanner scanner, final long from, final long bound,
        final ScanMode mode, final RebuildTarget target)
    {
        return scanner.controlledScan(from, mode, frame ->
        {
            if (frame.position() >= bound)
            {
                return ControlledFrameHandler.Action.STOP;
            }
            target.applyFrame(frame);
            return ControlledFrameHandler.Action.CONTINUE;
        });
    }

    /**
     * Rebuilds the state below a bound without changing a byte of the directory: the newest base that loads, then
     * the log after it up to the bound; the rebuilding thread. Safe beside a live writer for a bound it has already
     * appended past. A base at or beyond the bound is loaded and no frame is applied.
     *
     * @param directory  the database directory.
     * @param databaseId the id every file must carry.
     * @param candidates the base files, newest first.
     * @param bound      the exclusive bound, or {@link #UNBOUNDED}.
     * @param target     the empty state to rebuild.
     * @return the base and how the scan ended.
     * @throws dev.tally.wal.CorruptLogException when the log is corrupt between the base and the bound, or is missing
     *                                           the part the base needs.
     */
    public static Rebuilt rebuild(final Path directory, final UUID databaseId, final List<SnapshotFile> candidates,
        final long bound, final RebuildTarget target)
    {
        final Base base = loadBase(candidates, target);
        target.beginLog();
        try
        {
            if (base.position() >= bound)
            {
                return new Rebuilt(base, new ScanResult(ScanResult.Classification.STOPPED, base.position(),
                    base.position(), 0, 0, 0));
            }
            try (WalScanner scanner = new WalScanner(directory, databaseId, target::isKnownFrameType))
            {
                return new Rebuilt(base, applyLog(scanner, base.position(), bound, ScanMode.READ_ONLY, target));
            }
        }
        finally
        {
            target.endLog();
        }
    }
}
