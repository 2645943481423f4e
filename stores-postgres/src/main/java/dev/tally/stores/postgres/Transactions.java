/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Runs one store call as one PostgreSQL transaction (READ COMMITTED, autocommit off) on a connection of the store's
 * {@link DataSource}, and tries it again on a fresh connection when the failure surely rolled everything back: a
 * serialization failure, a deadlock, a unique violation a concurrent insert caused, or a connection lost before the
 * commit was sent. A connection lost during the commit leaves the outcome unknown and is never retried. Any thread.
 *
 * <p>Design note: a body may run several times, so it must have no side effects other than its statements, and it
 * must read again whatever it decides on.
 */
final class Transactions
{
    /** How many times a call is tried by default before it fails with {@link ErrorCode#STORE_RETRIES_EXHAUSTED}. */
    static final int ATTEMPTS_DEFAULT = 8;

    private static final long BACKOFF_FIRST_NS = 200_000L;
    private static final long BACKOFF_MAX_NS = 50_000_000L;

    private final DataSource dataSource;
    private final int attemptsMax;

    /** The work of one transaction. */
    @FunctionalInterface
    interface Body<T>
    {
        /**
         * Runs the statements of the call on the transaction's connection; the template commits.
         *
         * @param connection the connection, autocommit off.
         * @return the call's result.
         * @throws SQLException when a statement fails.
         */
        T run(Connection connection) throws SQLException;
    }

    /**
     * A template on a data source.
     *
     * @param dataSource  where connections come from.
     * @param attemptsMax how many times a call is tried, at least 1.
     */
    Transactions(final DataSource dataSource, final int attemptsMax)
    {
        if (attemptsMax < 1)
        {
            throw new IllegalArgumentException("attemptsMax must be at least 1: " + attemptsMax);
        }
        this.dataSource = dataSource;
        this.attemptsMax = attemptsMax;
    }

    /**
     * The data source calls run on.
     *
     * @return the data source.
     */
    DataSource dataSource()
    {
        return dataSource;
    }

    /**
     * Runs a body in one transaction, committing it, retrying it while that is safe.
     *
     * @param call the store call's name, for error messages.
     * @param body the work.
     * @param <T>  the result type.
     * @return the body's result, once committed.
     */
    <T> T run(final String call, final Body<T> body)
    {
        for (int attempt = 1; ; attempt++)
        {
            final Connection connection = connect(call, attempt);
            boolean committing = false;
            try
            {
                connection.setAutoCommit(false);
                final T result = body.run(connection);
                committing = true;
                connection.commit();
                return result;
            }
            catch (final SQLException ex)
            {
                rollbackQuietly(connection, ex);
                final boolean retryable = SqlFailures.isRetryable(ex, committing);
                if (!retryable || attempt >= attemptsMax)
                {
                    throw SqlFailures.translate(call, ex, committing, attempt, retryable);
                }
            }
            catch (final RuntimeException | Error ex)
            {
                rollbackQuietly(connection, ex);
                throw ex;
            }
            finally
            {
                closeQuietly(connection);
            }
            backoff(attempt);
        }
    }

    private Connection connect(final String call, final int attempt)
    {
        try
        {
            return dataSource.getConnection();
        }
        catch (final SQLException ex)
        {
            throw new StorageException(ErrorCode.STORE_UNAVAILABLE, "no PostgreSQL connection for a store call: call="
                + call + ", attempt=" + attempt + ", sqlState=" + SqlFailures.state(ex) + ": " + ex.getMessage(), ex);
        }
    }

    private static void backoff(final int attempt)
    {
        final long ceilingNs = Math.min(BACKOFF_MAX_NS, BACKOFF_FIRST_NS << Math.min(attempt, 20));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceilingNs / 2, ceilingNs + 1));
    }

    private static void rollbackQuietly(final Connection connection, final Throwable failure)
    {
        try
        {
            if (!connection.isClosed() && !connection.getAutoCommit())
            {
                connection.rollback();
            }
        }
        catch (final SQLException | RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    private static void closeQuietly(final Connection connection)
    {
        try
        {
            if (!connection.isClosed())
            {
                connection.setAutoCommit(true);
            }
        }
        catch (final SQLException ignored)
        {
            // A broken connection is closed below; the pool discards it.
        }
        try
        {
            connection.close();
        }
        catch (final SQLException ignored)
        {
            // Nothing is pending on it: the transaction was committed or rolled back above.
        }
    }
}
