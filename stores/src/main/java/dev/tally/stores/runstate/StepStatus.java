/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

/** The status of one step in a {@link RunSnapshot}, from its latest known step event. Stored by code. */
public enum StepStatus
{
    /** {@code StepStarted}. */
    RUNNING(0),
    /** {@code StepCompleted}. */
    COMPLETED(1),
    /** {@code StepFailed}. */
    FAILED(2),
    /** {@code StepRetried}: the attempt failed and another is scheduled. */
    RETRYING(3);

    private final int code;

    StepStatus(final int code)
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
     * The status of a stored code; any thread.
     *
     * @param code the code.
     * @return the status.
     * @throws IllegalArgumentException for an unknown code.
     */
    public static StepStatus ofCode(final int code)
    {
        for (final StepStatus status : values())
        {
            if (status.code == code)
            {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown step status code: code=" + code);
    }
}
