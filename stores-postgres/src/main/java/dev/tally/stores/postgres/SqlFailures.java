/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.ConflictException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.StorageException;
import dev.tally.core.TallyException;

import java.sql.SQLException;

/**
 * What a failed PostgreSQL call means for the store: whether the transaction may be tried again, and which stable
 * {@link ErrorCode} the caller sees when it may not. Classified by SQLState, the one part of a JDBC error that every
 * driver version keeps. Pure; any thread.
 */
final class SqlFailures
{
    /** Serialization failure: the transaction was rolled back and may run again. */
    static final String SERIALIZATION_FAILURE = "40001";
    /** Deadlock detected: the server rolled back this side. */
    static final String DEADLOCK_DETECTED = "40P01";
    /** A unique index refused a row that a concurrent transaction inserted first. */
    static final String UNIQUE_VIOLATION = "23505";
    /** The server is shutting down on an administrator's command. */
    static final String ADMIN_SHUTDOWN = "57P01";
    /** The server is shutting down after a crash of another backend. */
    static final String CRASH_SHUTDOWN = "57P02";
    /** The server is starting or not accepting connections yet. */
    static final String CANNOT_CONNECT_NOW = "57P03";
    /** The connection was lost. */
    static final String CONNECTION_FAILURE = "08006";

    private SqlFailures()
    {
    }

    /**
     * Whether a failed attempt may be tried again on a fresh connection without any risk of doing its work twice.
     *
     * @param ex         the failure.
     * @param committing whether it struck while the commit was on its way: a lost connection then leaves the outcome
     *                   unknown, so only a failure that surely rolled back is retried.
     * @return {@code true} when a retry is safe.
     */
    static boolean isRetryable(final SQLException ex, final boolean committing)
    {
        final String state = state(ex);
        if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state))
        {
            return true;
        }
        if (committing)
        {
            return false;
        }
        return UNIQUE_VIOLATION.equals(state) || isConnectionLost(state);
    }

    /**
     * Whether a SQLState says the connection or the server went away.
     *
     * @param state the SQLState, or {@code null}.
     * @return {@code true} for class 08 and the shutdown states of class 57.
     */
    static boolean isConnectionLost(final String state)
    {
        return state != null && (state.startsWith("08") || ADMIN_SHUTDOWN.equals(state)
            || CRASH_SHUTDOWN.equals(state) || CANNOT_CONNECT_NOW.equals(state));
    }

    /**
     * The exception the caller sees for a failure that is not retried, or no longer.
     *
     * @param call       the store call, for the message.
     * @param ex         the last failure.
     * @param committing whether it struck during the commit.
     * @param attempts   how many attempts were made.
     * @param retryable  whether the failure was retryable (so the attempts ran out).
     * @return the exception, to throw.
     */
    static TallyException translate(final String call, final SQLException ex, final boolean committing,
        final int attempts, final boolean retryable)
    {
        final String state = state(ex);
        final String detail =
            "call=" + call + ", sqlState=" + state + ", attempts=" + attempts + ": " + ex.getMessage();
        if (retryable)
        {
            return new ConflictException(ErrorCode.STORE_RETRIES_EXHAUSTED,
                "a PostgreSQL store call failed on every attempt and changed nothing: " + detail, ex);
        }
        if (committing)
        {
            return new StorageException(ErrorCode.STORE_UNAVAILABLE,
                "the PostgreSQL commit failed and its outcome is unknown to this caller (all or nothing): " + detail,
                ex);
        }
        if (state != null && (state.startsWith("42") || state.startsWith("3F") || state.startsWith("23")))
        {
            return new StorageException(ErrorCode.STORE_SCHEMA_MISMATCH,
                "the PostgreSQL schema does not match this build (apply PostgresSchema.migrate): " + detail, ex);
        }
        if (state != null && state.startsWith("22"))
        {
            return new InvalidArgumentException(ErrorCode.INVALID_FIELD,
                "PostgreSQL refused a value and the call changed nothing: " + detail, ex);
        }
        return new StorageException(ErrorCode.STORE_UNAVAILABLE,
            "PostgreSQL failed the call and it changed nothing: " + detail, ex);
    }

    /**
     * The SQLState of a failure or of the first cause that has one.
     *
     * @param ex the failure.
     * @return the state, or {@code null}.
     */
    static String state(final SQLException ex)
    {
        Throwable cause = ex;
        for (int depth = 0; cause != null && depth < 8; depth++)
        {
            if (cause instanceof SQLException sql && sql.getSQLState() != null)
            {
                return sql.getSQLState();
            }
            cause = cause.getCause();
        }
        return null;
    }
}
