/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * Stored bytes failed validation (truncated, overlong, unknown tag, bad checksum). The engine stops trusting the
 * source; repair or restore it.
 */
public class CorruptDataException extends TallyException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; any thread.
     *
     * @param code    the stable code.
     * @param message what failed.
     */
    public CorruptDataException(final ErrorCode code, final String message)
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
    public CorruptDataException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code, message, cause);
    }
}
