/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

/**
 * An expected way for a command to fail: one line for the operator and the exit code that goes with it. Thrown on
 * the command's thread and turned into that line by {@link Tally}.
 */
final class CommandFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CommandFailure(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    CommandFailure(final int exitCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode()
    {
        return exitCode;
    }
}
