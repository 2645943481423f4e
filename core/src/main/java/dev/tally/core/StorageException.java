/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * An I/O operation failed or the log is in its failed state. The database must be reopened, which recovers from what is
 * on disk.
 */
public class StorageException extends TallyException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; any thread.
     *
     * @param code    the stable code.
     * @param message what failed.
     */
    public StorageException(final ErrorCode code, final String message)
    {
        super(code, message);
    }

    /**
     * Creates the exception with the cause kept; any thread.
     *
     * @param code    the stable code.
     * @param message what failed.
     * @param cause   the underlying failure, or {@code null}.
     */
    public StorageException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code, message, cause);
    }
}
