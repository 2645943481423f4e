/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * An optimistic transaction or compare-and-set lost a race. Nothing was written; re-read and retry. APIs return
 * conflicts as values where they can; this is thrown only where a return value cannot carry one.
 */
public class ConflictException extends TallyException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; any thread.
     *
     * @param code    the stable code.
     * @param message what failed.
     */
    public ConflictException(final ErrorCode code, final String message)
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
    public ConflictException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code, message, cause);
    }
}
