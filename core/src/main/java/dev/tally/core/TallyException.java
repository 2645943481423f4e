/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * The unchecked root of every error Tally reports. It carries a stable {@link ErrorCode}, and its message ends with
 * {@code [<version>/<CODE>:<number>]} so that a log line alone identifies the failure.
 */
public class TallyException extends RuntimeException
{
    /** The version printed in every message, so that a code can be read against the right release. */
    public static final String VERSION = "0.1";

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates an exception; any thread.
     *
     * @param code    the stable code.
     * @param message what failed, in {@code name=value} form where values help.
     */
    public TallyException(final ErrorCode code, final String message)
    {
        this(code, message, null);
    }

    /**
     * Creates an exception with the cause kept; any thread.
     *
     * @param code    the stable code.
     * @param message what failed, in {@code name=value} form where values help.
     * @param cause   the underlying failure, or {@code null}.
     */
    public TallyException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(format(code, message), cause);
        this.code = code;
    }

    /**
     * The stable code of this failure.
     *
     * @return the code, never {@code null}.
     */
    public ErrorCode code()
    {
        return code;
    }

    private static String format(final ErrorCode code, final String message)
    {
        return message + " [" + VERSION + "/" + code.name() + ":" + code.number() + "]";
    }
}
