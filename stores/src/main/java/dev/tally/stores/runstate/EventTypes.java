/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

/**
 * The event types {@link RunProjection} understands. Any other type is stored like these, and the projection ignores
 * it apart from advancing the watermark and the event count (v1 section 6: consumers ignore unknown types), so new
 * types are a backward-compatible change. Types are compared exactly (case-sensitive).
 */
public final class EventTypes
{
    /** The run began: PENDING becomes RUNNING. */
    public static final String RUN_STARTED = "RunStarted";
    /** The run ended well: a non-terminal run becomes COMPLETED. */
    public static final String RUN_COMPLETED = "RunCompleted";
    /** The run ended badly: a non-terminal run becomes FAILED. */
    public static final String RUN_FAILED = "RunFailed";
    /** The run was stopped: a non-terminal run becomes CANCELLED. */
    public static final String RUN_CANCELLED = "RunCancelled";
    /** An attempt of a step began (needs a {@code stepId}). */
    public static final String STEP_STARTED = "StepStarted";
    /** A step finished (needs a {@code stepId}). */
    public static final String STEP_COMPLETED = "StepCompleted";
    /** A step failed for good (needs a {@code stepId}). */
    public static final String STEP_FAILED = "StepFailed";
    /** An attempt of a step failed and another is scheduled (needs a {@code stepId}). */
    public static final String STEP_RETRIED = "StepRetried";

    private EventTypes()
    {
    }

    /**
     * Whether a type is one of the step types; any thread.
     *
     * @param eventType the type.
     * @return {@code true} for the four {@code Step*} types.
     */
    public static boolean isStepType(final String eventType)
    {
        return STEP_STARTED.equals(eventType) || STEP_COMPLETED.equals(eventType) || STEP_FAILED.equals(eventType)
            || STEP_RETRIED.equals(eventType);
    }

    /**
     * Whether the projection understands a type; any thread.
     *
     * @param eventType the type.
     * @return {@code true} for the eight types of this class.
     */
    public static boolean isKnown(final String eventType)
    {
        return isStepType(eventType) || RUN_STARTED.equals(eventType) || RUN_COMPLETED.equals(eventType)
            || RUN_FAILED.equals(eventType) || RUN_CANCELLED.equals(eventType);
    }
}
