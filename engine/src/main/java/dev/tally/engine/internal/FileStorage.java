/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.core.TallyException;
import dev.tally.wal.DirectoryLock;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.ScanMode;
import dev.tally.wal.ScanResult;
import dev.tally.wal.WalOptions;
import dev.tally.wal.WalScanner;
import dev.tally.wal.WalWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a database's files: takes the directory lock, reads (or creates) the identity, rebuilds the state by applying
 * every committed frame of the WAL through the primitives (cutting a torn tail), and starts the writer pipeline at the
 * end of the log. Holds the directory lock until closed. Opening thread only.
 */
public final class FileStorage implements AutoCloseable
{
    private final DirectoryLock lock;
    private final DatabaseIdentity identity;
    private final ScanResult scan;

    private FileStorage(final DirectoryLock lock, final DatabaseIdentity identity, final ScanResult scan)
    {
        this.lock = lock;
        this.identity = identity;
        this.scan = scan;
    }

    /**
     * Opens the files of an engine configured for a file mode, recovers its state and starts its pipeline.
     *
     * @param engine the engine, with its primitives registered and empty.
     * @return the open storage.
     */
    public static FileStorage open(final Engine engine)
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
        try
        {
            final DatabaseIdentity identity = DatabaseIdentity.readOrCreate(directory, config.ids().nextUuid(),
                config.segmentLength());
            final ScanResult scan;
            try (WalScanner scanner = new WalScanner(directory, identity.databaseId(),
                code -> engine.registry().isKnownFrameType(code)))
            {
                scan = scanner.scan(0, ScanMode.REPAIR, frame -> engine.applyFrame(frame.typeCode(), frame.txId(),
                    frame.runId(), frame.position(), frame.payloadBytes()));
            }
            final WalWriter writer = WalWriter.open(new WalOptions().directory(directory)
                .databaseId(identity.databaseId()).segmentLength(identity.segmentLength()), scan.endPosition());
            LogWriter log = new WalLogWriter(writer);
            if (config.logWriterWrapper() != null)
            {
                log = config.logWriterWrapper().apply(log);
            }
            final LogPipeline pipeline = new LogPipeline(log, config.mode() == EngineConfig.STRICT,
                config.flushIntervalMs(), config.ringSize(), identity.segmentLength());
            engine.start(pipeline, FrameDescriptor.payloadLengthMax(identity.segmentLength()));
            return new FileStorage(lock, identity, scan);
        }
        catch (final RuntimeException ex)
        {
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
     * What the WAL scan at open found.
     *
     * @return the scan result.
     */
    public ScanResult scan()
    {
        return scan;
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

    /** Releases the directory lock; after the engine closed. */
    @Override
    public void close()
    {
        lock.close();
    }
}
