/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.payments.ChannelLockManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Channel locks across processes on PostgreSQL session advisory locks: {@code pg_advisory_lock} of a 64-bit hash of
 * the key, on one connection held for exactly the function's run, {@code pg_advisory_unlock} in {@code finally}; the
 * server releases the lock by itself when the holding process dies and its session ends. Within one process, callers
 * of one key queue on a local lock first, so a waiting thread holds no connection. Any thread; re-entrant on a key
 * for the thread that holds it.
 *
 * <p>Design note: the lock connection is not one of the stores' transactions; a function that calls the stores uses
 * other connections, so the lock data source needs one connection per key held at once.
 */
public final class PostgresChannelLockManager implements ChannelLockManager
{
    private static final int KEY_LENGTH_MAX = 1024;

    private final DataSource dataSource;
    private final ConcurrentHashMap<String, LocalLock> locals = new ConcurrentHashMap<>();

    /**
     * A lock manager on a data source.
     *
     * @param dataSource where lock connections come from.
     */
    PostgresChannelLockManager(final DataSource dataSource)
    {
        this.dataSource = dataSource;
    }

    /**
     * {@inheritDoc} The lock is held in every process that shares the database.
     *
     * @throws StorageException with {@link ErrorCode#STORE_UNAVAILABLE} when the lock cannot be taken, or was lost
     *                          with its connection while the function ran.
     */
    @Override
    public <T> T runExclusive(final String key, final Supplier<T> fn)
    {
        Fields.bounded("key", key, KEY_LENGTH_MAX);
        Fields.requiredObject("fn", fn);
        final LocalLock local = acquireLocal(key);
        try
        {
            if (local.lock.getHoldCount() > 1)
            {
                return fn.get();
            }
            return runLocked(key, fn);
        }
        finally
        {
            releaseLocal(key, local);
        }
    }

    private <T> T runLocked(final String key, final Supplier<T> fn)
    {
        final long lockKey = LockKeys.of(LockKeys.CHANNEL, key);
        final Connection connection = lock(key, lockKey);
        T result = null;
        Throwable failure = null;
        try
        {
            result = fn.get();
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
        }
        final StorageException lost = unlock(key, lockKey, connection);
        if (failure != null)
        {
            if (lost != null)
            {
                failure.addSuppressed(lost);
            }
            throw sneaky(failure);
        }
        if (lost != null)
        {
            throw lost;
        }
        return result;
    }

    private Connection lock(final String key, final long lockKey)
    {
        Connection connection = null;
        try
        {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)"))
            {
                statement.setLong(1, lockKey);
                statement.execute();
            }
            return connection;
        }
        catch (final SQLException ex)
        {
            final StorageException failure = new StorageException(ErrorCode.STORE_UNAVAILABLE,
                "could not take the PostgreSQL channel lock: key=" + key + ", sqlState=" + SqlFailures.state(ex)
                    + ": " + ex.getMessage(), ex);
            if (connection != null)
            {
                discard(connection, failure);
            }
            throw failure;
        }
    }

    private StorageException unlock(final String key, final long lockKey, final Connection connection)
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)"))
        {
            statement.setLong(1, lockKey);
            try (ResultSet row = statement.executeQuery())
            {
                row.next();
                if (row.getBoolean(1))
                {
                    connection.close();
                    return null;
                }
            }
            final StorageException lost = new StorageException(ErrorCode.STORE_UNAVAILABLE,
                "the PostgreSQL channel lock was lost while its function ran (its session was reset): key=" + key);
            discard(connection, lost);
            return lost;
        }
        catch (final SQLException ex)
        {
            final StorageException lost = new StorageException(ErrorCode.STORE_UNAVAILABLE, "the connection of a "
                + "PostgreSQL channel lock failed while its function ran; the server has released the lock or will "
                + "when the connection is dropped: key=" + key + ", sqlState=" + SqlFailures.state(ex), ex);
            discard(connection, lost);
            return lost;
        }
    }

    /** Drops a lock connection for good, so a pool can never hand out a session that may still hold the lock. */
    private static void discard(final Connection connection, final Throwable failure)
    {
        try
        {
            connection.abort(Runnable::run);
        }
        catch (final SQLException | RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
        try
        {
            connection.close();
        }
        catch (final SQLException | RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    private LocalLock acquireLocal(final String key)
    {
        final LocalLock local = locals.compute(key, (k, existing) ->
        {
            final LocalLock lock = existing == null ? new LocalLock() : existing;
            lock.users++;
            return lock;
        });
        local.lock.lock();
        return local;
    }

    private void releaseLocal(final String key, final LocalLock local)
    {
        local.lock.unlock();
        locals.computeIfPresent(key, (k, existing) -> --existing.users == 0 ? null : existing);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(final Throwable failure) throws E
    {
        throw (E) failure;
    }

    /** A process-local lock of one key and how many threads hold or wait for it (guarded by the map's compute). */
    private static final class LocalLock
    {
        private final ReentrantLock lock = new ReentrantLock(true);
        private int users;
    }
}
