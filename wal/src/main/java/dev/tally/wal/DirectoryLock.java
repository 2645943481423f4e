/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.StorageFailures;
import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a database directory: an OS file lock on {@link #LOCK_FILE_NAME}, which the OS frees when
 * the process dies, plus a JVM-wide registry of held directories, because OS locks are per process. Acquire and
 * close from any thread; an instance is not meant to be shared.
 * <p>
 * Design note: the registry is checked before the lock file is opened. POSIX record locks are dropped when the
 * process closes <em>any</em> descriptor of the file, so a second open in the same JVM must never touch it.
 */
public final class DirectoryLock implements AutoCloseable
{
    /** The name of the lock file inside the directory. */
    public static final String LOCK_FILE_NAME = "tally.lock";

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean isClosed;

    private DirectoryLock(final Path directory, final FileChannel channel, final FileLock lock)
    {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on a directory, creating the directory if needed; any thread.
     *
     * @param directory the database directory.
     * @return the held lock; close it to release.
     * @throws StorageException with {@link ErrorCode#DIRECTORY_LOCKED} when another process or another open in this
     *                          JVM holds it, or {@link ErrorCode#STORAGE_IO} when the lock file cannot be used.
     */
    public static DirectoryLock acquire(final Path directory)
    {
        final Path canonical;
        try
        {
            Files.createDirectories(directory);
            canonical = directory.toRealPath();
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot open database directory: directory=" + directory, ex);
        }
        if (!HELD.add(canonical))
        {
            throw new StorageException(ErrorCode.DIRECTORY_LOCKED,
                "database directory is already open in this JVM: directory=" + canonical);
        }
        try
        {
            return lock(canonical);
        }
        catch (final RuntimeException ex)
        {
            HELD.remove(canonical);
            throw ex;
        }
    }

    /**
     * The canonical directory this lock holds; any thread.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Releases the lock; idempotent, any thread.
     *
     * @throws StorageException with {@link ErrorCode#STORAGE_IO} when releasing fails (the lock is released anyway
     *                          when the process exits).
     */
    @Override
    public synchronized void close()
    {
        if (isClosed)
        {
            return;
        }
        isClosed = true;
        try
        {
            try
            {
                lock.release();
            }
            finally
            {
                channel.close();
            }
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot release directory lock: directory=" + directory, ex);
        }
        finally
        {
            HELD.remove(directory);
        }
    }

    private static DirectoryLock lock(final Path canonical)
    {
        final Path lockFile = canonical.resolve(LOCK_FILE_NAME);
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw StorageFailures.storageFailure("cannot open lock file: file=" + lockFile, ex);
        }
        try
        {
            final FileLock lock = channel.tryLock();
            if (lock == null)
            {
                throw new StorageException(ErrorCode.DIRECTORY_LOCKED,
                    "database directory is locked by another process: directory=" + canonical);
            }
            writeOwner(channel);
            return new DirectoryLock(canonical, channel, lock);
        }
        catch (final IOException | OverlappingFileLockException | StorageException ex)
        {
            closeQuietly(channel, ex);
            if (ex instanceof StorageException)
            {
                throw (StorageException)ex;
            }
            if (ex instanceof OverlappingFileLockException)
            {
                throw new StorageException(ErrorCode.DIRECTORY_LOCKED,
                    "database directory is already open in this JVM: directory=" + canonical, ex);
            }
            throw StorageFailures.storageFailure("cannot lock directory: directory=" + canonical, ex);
        }
    }

    private static void writeOwner(final FileChannel channel) throws IOException
    {
        // For people only: the pid of the holder, to explain a DIRECTORY_LOCKED error.
        final byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        final ByteBuffer source = ByteBuffer.wrap(pid);
        long at = 0;
        while (source.hasRemaining())
        {
            at += channel.write(source, at);
        }
    }

    private static void closeQuietly(final FileChannel channel, final Exception primary)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            primary.addSuppressed(ex);
        }
    }
}
