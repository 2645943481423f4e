/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.core.TallyException;
import dev.tally.engine.DurabilityMode;
import dev.tally.pipeline.ForcePolicy;
import dev.tally.pipeline.LogPipeline;
import dev.tally.pipeline.LogWriter;
import dev.tally.pipeline.NoCommitLog;
import dev.tally.pipeline.WalLogWriter;
import dev.tally.recovery.Recovery;
import dev.tally.recovery.RecoveryResult;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.wal.DirectoryLock;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.WalOptions;
import dev.tally.wal.WalWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a database's files: takes the directory lock, reads (or, in a directory without database files, creates) the
 * identity, recovers the state (newest valid snapshot plus the committed log frames after it, as the recovery policy
 * decides), and starts the writer pipeline and the snapshotter at the end of the log, or leaves the engine read-only
 * when recovery says so. Leftover temporary and orphaned history files are deleted only once the open goes on
 * read-write, so an open that is refused or read-only changes no file but the lock file. Holds the
 * directory lock until closed. Opening thread only.
 */
public final class FileStorage implements AutoCloseable
{
    private final DirectoryLock lock;
    private final DatabaseIdentity identity;
    private final RecoveryResult recovery;
    private final Snapshotter snapshotter;

    private FileStorage(final DirectoryLock lock, final DatabaseIdentity identity, final RecoveryResult recovery,
        final Snapshotter snapshotter)
    {
        this.lock = lock;
        this.identity = identity;
        this.recovery = recovery;
        this.snapshotter = snapshotter;
    }

    /**
     * Opens the files of an engine configured for a file mode, recovers its state and starts its pipeline.
     *
     * @param engine    the engine, with its primitives registered and empty.
     * @param snapshots the initial snapshot triggers.
     * @return the open storage.
     */
    public static FileStorage open(final Engine engine, final Snapshotter.Settings snapshots)
    {
        final EngineConfig config = engine.config();
        final Path directory = config.directory();
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new StorageException(ErrorCode.STORAGE_IO, "cannot create database directory: " + directory, ex);
        }
        final DirectoryLock lock = DirectoryLock.acquire(directory);
        WalWriter opened = null;
        LogPipeline started = null;
        try
        {
            final DatabaseIdentity identity = DatabaseIdentity.readOrCreate(directory, config.ids().nextUuid(),
                config.segmentLength());
            final RecoveryResult recovery;
            final EngineRecoveryTarget target = new EngineRecoveryTarget(engine);
            engine.beginBulkLoad();
            try
            {
                recovery = Recovery.recover(directory, identity.databaseId(), config.recoveryPolicy(), target);
            }
            finally
            {
                engine.endBulkLoad();
            }
            if (recovery.readOnly())
            {
                engine.makeReadOnly("recovery opened at the last good position (" + recovery.recoveryCase() + ")");
                engine.start(new NoCommitLog(), FrameDescriptor.payloadLengthMax(identity.segmentLength()));
                return new FileStorage(lock, identity, recovery, null);
            }
            // Only an open that goes on read-write tidies: a refused or read-only open leaves every byte as it was.
            SnapshotDirectory.deleteTemporaryFiles(directory);
            SnapshotDirectory.deleteOrphanHistoryFiles(directory);
            final WalWriter writer = WalWriter.open(new WalOptions().directory(directory)
                .databaseId(identity.databaseId()).segmentLength(identity.segmentLength())
                .segmentStorage(config.segmentStorage()).segmentForcer(config.segmentForcer()), recovery.endPosition());
            opened = writer;
            LogWriter log = new WalLogWriter(writer);
            if (config.logWriterWrapper() != null)
            {
                log = config.logWriterWrapper().apply(log);
            }
            final LogPipeline pipeline = new LogPipeline(log, forcePolicy(config.mode()),
                config.flushIntervalMs(), config.ringSize(), identity.segmentLength(), directory,
                config.writerObserver());
            started = pipeline;
            engine.start(pipeline, FrameDescriptor.payloadLengthMax(identity.segmentLength()));
            final Snapshotter snapshotter = new Snapshotter(engine, directory, identity.databaseId(), snapshots,
                recovery.snapshotPosition());
            return new FileStorage(lock, identity, recovery, snapshotter);
        }
        catch (final RuntimeException ex)
        {
            try
            {
                if (started != null)
                {
                    started.close(); // stops its threads and closes the log
                }
                else if (opened != null)
                {
                    opened.close();
                }
            }
            catch (final RuntimeException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            try
            {
                lock.close();
            }
            catch (final TallyException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
    }

    /**
     * What the writer pipeline carries out of a durability mode that writes a log.
     *
     * @param mode Strict or Buffered.
     * @return when the writer forces.
     */
    static ForcePolicy forcePolicy(final DurabilityMode mode)
    {
        return switch (mode)
        {
            case STRICT -> ForcePolicy.EVERY_BATCH;
            case BUFFERED -> ForcePolicy.FLUSH_INTERVAL;
            default -> throw new IllegalArgumentException("an InMemory database writes no log: mode=" + mode);
        };
    }

    /**
     * What recovery did at open.
     *
     * @return the recovery result.
     */
    public RecoveryResult recovery()
    {
        return recovery;
    }

    /**
     * The identity read or created at open.
     *
     * @return the identity.
     */
    public DatabaseIdentity identity()
    {
        return identity;
    }

    /**
     * The snapshotter, or {@code null} when the database is read-only.
     *
     * @return the snapshotter.
     */
    public Snapshotter snapshotter()
    {
        return snapshotter;
    }

    /** Stops the snapshot trigger; before the engine closes. */
    public void stopSnapshots()
    {
        if (snapshotter != null)
        {
            snapshotter.close();
        }
    }

    /** Releases the directory lock; after the engine closed. */
    @Override
    public void close()
    {
        lock.close();
    }
}
