/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * A configuration value is invalid; raised when the configuration is concluded, before anything is opened.
 */
public class ConfigurationException extends InvalidArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; any thread.
     *
     * @param code    the stable code.
     * @param message what failed.
     */
    public ConfigurationException(final ErrorCode code, final String message)
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
    public ConfigurationException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code, message, cause);
    }
}
