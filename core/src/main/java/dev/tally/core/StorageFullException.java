/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * The disk had no room. Nothing partial was written; free space and reopen.
 */
public class StorageFullException extends StorageException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; any thread.
     *
     * @param code    the stable code.
     * @param message what failed.
     */
    public StorageFullException(final ErrorCode code, final String message)
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
    public StorageFullException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code, message, cause);
    }
}
