/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.ErrorCode;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.StorageException;
import dev.tally.core.TallyException;
import dev.tally.primitives.Builtins;
import dev.tally.primitives.LoadablePrimitive;
import dev.tally.recovery.RejectedSnapshot;
import dev.tally.recovery.StateRebuilder;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SnapshotContents;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotSection;
import dev.tally.snapshot.SnapshotWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Takes INMEM_SNAP snapshots without stalling writers, on demand and on the configured triggers.
 *
 * <p>Design note: a snapshot must be one point in time while writers keep changing the live state, so it is not
 * serialized from the live state. Under the commit lock it only picks the position P (the end of the last committed
 * frame) and copies the sections of extension primitives; then, with no lock held, it waits until P is durable,
 * rebuilds the built-in primitives' state at P in fresh instances ({@link ShadowRebuild}: the newest earlier snapshot
 * plus the log frames up to P, through the {@link StateRebuilder} recovery uses), serializes them, and writes the
 * file (temporary file, force, rename, directory force). Old snapshots beyond the retention count are deleted, and
 * log segments wholly before the oldest kept snapshot are handed to the writer thread for deletion, so every kept
 * snapshot stays usable. The cost is a second copy of the state while the snapshot is built.
 *
 * <p>Design note: run history. Each snapshot {@code P.snap} has a history file {@code P.hist} ({@link HistoryFile}):
 * per run, every frame committed before P. The shadow rebuild makes it as it makes the state: it loads the base
 * snapshot's {@code .hist} and appends every frame it reads from the log (all entries, built-in or extension). So a
 * run's history survives the deletion of the log segments it was written in, and replay needs only the newest history
 * file plus the log after it. The history file is written before the snapshot and deleted with it by retention; it is
 * kept out of the {@code .snap} so that recovery, which never loads it into the live engine, does not read it.
 *
 * <p>Threading: {@link #take()} from any thread, one snapshot at a time; the trigger thread
 * {@code tally-snapshotter} polls the triggers.
 */
public final class Snapshotter implements AutoCloseable
{
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * After a triggered snapshot that took d, the triggers rest for this many times d: the shadow rebuild takes a core
     * while it runs, and under a write load that fills the byte trigger faster than a rebuild ends it would otherwise
     * run without pause and take that core from the writers. Snapshots then fall at most a quarter of the time.
     */
    private static final long TRIGGER_REST_FACTOR = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    private final Engine engine;
    private final Path directory;
    private final UUID databaseId;
    private final Object takeLock = new Object();
    private final Thread trigger;
    private volatile Settings settings;
    private volatile boolean stopping;
    private volatile long lastPosition;
    private volatile long lastTakenNs = System.nanoTime();
    private volatile TallyException lastTriggerFailure;
    private long triggerFailureCount;
    private long triggersRestUntilNs = System.nanoTime();
    private final AtomicLong takenTotal = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * The trigger settings: see {@code SnapshotConfig}.
     *
     * @param everyWalBytes bytes of log between snapshots, or 0.
     * @param everySeconds  seconds between snapshots, or 0.
     * @param onClose       whether close takes one.
     * @param keep          how many to keep.
     */
    public record Settings(long everyWalBytes, long everySeconds, boolean onClose, int keep)
    {
    }

    /**
     * The outcome of one snapshot.
     *
     * @param file             the snapshot file.
     * @param walPosition      the position it covers.
     * @param timestampMicros  when it was taken.
     * @param lengthBytes      its length.
     * @param durationNs       how long it took.
     * @param snapshotsDeleted snapshots deleted by retention.
     * @param releasedBefore   the position before which segments were released.
     */
    public record Taken(Path file, long walPosition, long timestampMicros, long lengthBytes, long durationNs,
        int snapshotsDeleted, long releasedBefore)
    {
    }

    /**
     * Starts the trigger thread.
     *
     * @param engine          the started engine (file mode, read-write).
     * @param directory       the database directory.
     * @param databaseId      the database id.
     * @param settings        the initial triggers.
     * @param initialPosition the position of the newest snapshot recovery used, or 0.
     */
    public Snapshotter(final Engine engine, final Path directory, final UUID databaseId, final Settings settings,
        final long initialPosition)
    {
        this.engine = engine;
        this.directory = directory;
        this.databaseId = databaseId;
        this.settings = settings;
        this.lastPosition = initialPosition;
        trigger = new Thread(this::pollTriggers, "tally-snapshotter");
        trigger.setDaemon(true);
        trigger.start();
    }

    /**
     * Replaces the triggers; any thread.
     *
     * @param settings the new triggers.
     */
    public void configure(final Settings settings)
    {
        this.settings = settings;
    }

    /**
     * The current triggers; any thread.
     *
     * @return the settings.
     */
    public Settings settings()
    {
        return settings;
    }

    /**
     * The failure of the last automatic snapshot, if it failed; any thread.
     *
     * @return the failure, or {@code null}.
     */
    public TallyException lastTriggerFailure()
    {
        return lastTriggerFailure;
    }

    /**
     * Takes a snapshot now; any thread not holding the commit lock. Buffered writes committed before the call are
     * durable when it returns.
     *
     * @return what was written.
     */
    public Taken take()
    {
        try
        {
            final Taken taken = takeNow();
            takenTotal.incrementAndGet();
            return taken;
        }
        catch (final RuntimeException ex)
        {
            failed.incrementAndGet();
            throw ex;
        }
    }

    /**
     * Snapshots written since open, on demand and by the triggers; any thread.
     *
     * @return the count.
     */
    public long takenCount()
    {
        return takenTotal.get();
    }

    /**
     * Snapshots that failed since open, on demand and by the triggers; any thread.
     *
     * @return the count.
     */
    public long failedCount()
    {
        return failed.get();
    }

    private Taken takeNow()
    {
        synchronized (takeLock)
        {
            final long startNs = System.nanoTime();
            final Map<Integer, byte[]> extensionSections = new TreeMap<>();
            final long position = engine.underCommitLock(() ->
            {
                for (final PrimitiveStorageExt ext : engine.registry().ordered())
                {
                    if (!Builtins.isBuiltin(ext))
                    {
                        extensionSections.put(ext.primitiveTypeId(), ext.snapshotSerialize());
                    }
                }
                return engine.log().reservedEnd();
            });
            engine.log().flush(position);
            final ShadowRebuild shadow = rebuildAt(position);
            final long timestamp = engine.config().clock().currentTimeMicros();
            final SnapshotWriter writer = new SnapshotWriter(engine.config().snapshotStorage());
            // The history file first: a crash between the two leaves a harmless orphan, never a snapshot without it.
            HistoryFile.write(writer, directory, databaseId, timestamp, position, shadow.history());
            final SnapshotFile file = writer.write(directory,
                new SnapshotContents(databaseId, timestamp, position, stateSections(extensionSections, shadow)));
            final List<Path> deleted = SnapshotDirectory.retain(directory, settings.keep(), databaseId);
            final long oldest = oldestKeptPosition(position);
            engine.log().releaseBefore(oldest);
            lastPosition = position;
            lastTakenNs = System.nanoTime();
            final Taken taken = new Taken(file.path(), position, timestamp, size(file.path()),
                System.nanoTime() - startNs, deleted.size(), oldest);
            if (LOG.isDebugEnabled())
            {
                LOG.debug("snapshot taken: directory={}, file={}, walPosition={}, lengthBytes={}, durationMs={}, "
                    + "snapshotsDeleted={}, releasedBefore={}", directory, file.path().getFileName(), position,
                    taken.lengthBytes(), TimeUnit.NANOSECONDS.toMillis(taken.durationNs()), deleted.size(), oldest);
            }
            return taken;
        }
    }

    private static List<SnapshotSection> stateSections(final Map<Integer, byte[]> extensionSections,
        final ShadowRebuild shadow)
    {
        final Map<Integer, byte[]> all = new TreeMap<>(extensionSections);
        for (final LoadablePrimitive ext : shadow.primitives())
        {
            all.put(ext.primitiveTypeId(), ext.snapshotSerialize());
        }
        final List<SnapshotSection> sections = new ArrayList<>(all.size());
        all.forEach((typeId, data) -> sections.add(new SnapshotSection(typeId, data)));
        return sections;
    }

    private ShadowRebuild rebuildAt(final long position)
    {
        final List<SnapshotFile> bases = new ArrayList<>();
        for (final SnapshotFile file : SnapshotDirectory.list(directory))
        {
            if (file.walPosition() <= position)
            {
                bases.add(file);
            }
        }
        final ShadowRebuild shadow = new ShadowRebuild(directory, databaseId, engine.registry()::isKnownFrameType);
        final StateRebuilder.Rebuilt rebuilt = StateRebuilder.rebuild(directory, databaseId, bases, position, shadow);
        for (final RejectedSnapshot rejected : rebuilt.base().rejected())
        {
            LOG.warn("snapshot rejected as the base of a new snapshot, trying an older one: directory={}, "
                + "file={}, reason={}", directory, rejected.fileName(), rejected.reason());
        }
        return shadow;
    }

    /**
     * Runs a read of the snapshot and log files while no snapshot is taken, so no snapshot or log segment it may
     * need is deleted under it; any thread not holding the commit lock. Waits for a snapshot in progress.
     *
     * @param reader the read.
     * @param <T>    the result type.
     * @return the read's result.
     */
    public <T> T whileNoSnapshot(final Supplier<T> reader)
    {
        synchronized (takeLock)
        {
            return reader.get();
        }
    }

    private long oldestKeptPosition(final long newest)
    {
        long oldest = newest;
        for (final SnapshotFile file : SnapshotDirectory.list(directory))
        {
            oldest = Math.min(oldest, file.walPosition());
        }
        return oldest;
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final java.io.IOException ex)
        {
            throw new StorageException(ErrorCode.STORAGE_IO, "cannot stat snapshot: " + file, ex);
        }
    }

    private void pollTriggers()
    {
        while (!stopping)
        {
            LockSupport.parkNanos(this, POLL_NS);
            if (stopping || engine.isClosed())
            {
                return;
            }
            if (System.nanoTime() - triggersRestUntilNs < 0)
            {
                continue;
            }
            final Settings s = settings;
            final boolean byBytes = s.everyWalBytes() > 0 && engine.log().publishedEnd() - lastPosition
                >= s.everyWalBytes();
            final boolean byTime = s.everySeconds() > 0 && System.nanoTime() - lastTakenNs
                >= TimeUnit.SECONDS.toNanos(s.everySeconds()) && engine.log().publishedEnd() > lastPosition;
            if (byBytes || byTime)
            {
                if (LOG.isDebugEnabled())
                {
                    LOG.debug("snapshot triggered: directory={}, trigger={}, walBytesSinceLast={}", directory,
                        byBytes ? "walBytes" : "time", engine.log().publishedEnd() - lastPosition);
                }
                final long start = System.nanoTime();
                takeOnTrigger();
                final long end = System.nanoTime();
                triggersRestUntilNs = end + TRIGGER_REST_FACTOR * (end - start);
            }
        }
    }

    /**
     * Takes a triggered snapshot, keeping its failure; trigger thread only. A failure is logged at WARN when it
     * starts or changes, and its repeats (the trigger retries) at DEBUG, so a lasting failure does not flood the log.
     */
    private void takeOnTrigger()
    {
        try
        {
            take();
            if (triggerFailureCount > 0)
            {
                LOG.info("automatic snapshot succeeded again: directory={}, failedAttempts={}", directory,
                    triggerFailureCount);
            }
            triggerFailureCount = 0;
            lastTriggerFailure = null;
        }
        catch (final TallyException ex)
        {
            final TallyException previous = lastTriggerFailure;
            triggerFailureCount++;
            if (previous == null || !String.valueOf(previous.getMessage()).equals(ex.getMessage()))
            {
                LOG.warn("automatic snapshot failed, the trigger retries: directory={}, code={}, failedAttempts={}",
                    directory, ex.code(), triggerFailureCount, ex);
            }
            else
            {
                LOG.debug("automatic snapshot failed again: directory={}, code={}, failedAttempts={}", directory,
                    ex.code(), triggerFailureCount);
            }
            lastTriggerFailure = ex;
            lastTakenNs = System.nanoTime();
        }
    }

    /**
     * Stops the trigger thread and waits for a snapshot in progress; the closing thread.
     */
    @Override
    public void close()
    {
        stopping = true;
        LockSupport.unpark(trigger);
        try
        {
            trigger.join(TimeUnit.SECONDS.toMillis(60));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
