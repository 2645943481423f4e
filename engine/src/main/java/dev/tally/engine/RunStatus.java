/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

/**
 * The lifecycle state of a run, with the reason when it was aborted. Immutable.
 *
 * @param state  the state.
 * @param reason the abort reason, or the empty string.
 */
public record RunStatus(State state, String reason)
{
    /** The states of a run. */
    public enum State
    {
        /** Begun and taking writes. */
        ACTIVE,
        /** Ended normally; read-only. */
        COMPLETED,
        /** Aborted with a reason; read-only. */
        ABORTED,
        /** Never begun in this database. */
        NOT_FOUND
    }

    /** The status of a run that does not exist. */
    public static final RunStatus NOT_FOUND = new RunStatus(State.NOT_FOUND, "");

    /**
     * Whether the run takes writes.
     *
     * @return {@code true} when active.
     */
    public boolean isActive()
    {
        return state == State.ACTIVE;
    }
}
