/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * The caller passed something the engine cannot accept (a bad key, an unknown run, a value over a limit). Nothing was
 * written; fix the call and retry.
 */
public class InvalidArgumentException extends TallyException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; any thread.
     *
     * @param code    the stable code.
     * @param message what failed.
     */
    public InvalidArgumentException(final ErrorCode code, final String message)
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
    public InvalidArgumentException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code, message, cause);
    }
}
