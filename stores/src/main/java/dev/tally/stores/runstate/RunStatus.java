/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

/**
 * The status of a run in its {@link RunSnapshot}, as {@link RunProjection} folds it from the known
 * {@link EventTypes}. Stored by code; the codes never change.
 */
public enum RunStatus
{
    /** No known event started the run yet (also the status of a run with no events). */
    PENDING(0),
    /** {@code RunStarted}, or a known step event, was seen. */
    RUNNING(1),
    /** {@code RunCompleted}; terminal. */
    COMPLETED(2),
    /** {@code RunFailed}; terminal. */
    FAILED(3),
    /** {@code RunCancelled}; terminal. */
    CANCELLED(4);

    private final int code;

    RunStatus(final int code)
    {
        this.code = code;
    }

    /**
     * The stable code stored for this status; any thread.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * Whether no later run-level event changes this status; any thread.
     *
     * @return {@code true} for COMPLETED, FAILED and CANCELLED.
     */
    public boolean isTerminal()
    {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /**
     * The status of a stored code; any thread.
     *
     * @param code the code.
     * @return the status.
     * @throws IllegalArgumentException for an unknown code.
     */
    public static RunStatus ofCode(final int code)
    {
        for (final RunStatus status : values())
        {
            if (status.code == code)
            {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown run status code: code=" + code);
    }
}
