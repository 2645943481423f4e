/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

/**
 * Thrown by {@link SimulatedDisk} at a crash point, and by every later call on a crashed disk: the machine lost power.
 * An {@link Error} so that no engine code path that handles I/O failures mistakes it for one and carries on.
 */
public final class SimulatedCrash extends Error
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the crash.
     *
     * @param where the crash point or reason.
     */
    public SimulatedCrash(final String where)
    {
        super("simulated crash: " + where, null, false, false);
    }
}
