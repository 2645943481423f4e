/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.stores.runstate.RunEventWrite;
import jakarta.json.Json;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Valid run event writes for the run state suites, with a derived idempotency key; pure, any thread.
 */
public final class RunEventsFixture
{
    /** The emittedAt every fixture write carries. */
    public static final String EMITTED_AT = "2026-02-16T09:30:00.123Z";

    private RunEventsFixture()
    {
    }

    /**
     * A valid write of a run, step and attempt, with a random event id.
     *
     * @param runId     the run.
     * @param stepId    the step, or {@code null}.
     * @param eventType the type.
     * @param attempt   the logical attempt.
     * @return the write.
     */
    public static RunEventWrite write(final String runId, final String stepId, final String eventType,
        final long attempt)
    {
        return builder(runId, stepId, eventType, attempt).eventId(UUID.randomUUID().toString()).build();
    }

    /**
     * As {@link #write}, with an event id drawn from a seeded random.
     *
     * @param random    the random.
     * @param runId     the run.
     * @param stepId    the step, or {@code null}.
     * @param eventType the type.
     * @param attempt   the logical attempt.
     * @return the write.
     */
    public static RunEventWrite write(final SplittableRandom random, final String runId, final String stepId,
        final String eventType, final long attempt)
    {
        return builder(runId, stepId, eventType, attempt)
            .eventId(new UUID(random.nextLong(), random.nextLong()).toString()).build();
    }

    /**
     * A builder filled with valid fields and the derived key.
     *
     * @param runId     the run.
     * @param stepId    the step, or {@code null}.
     * @param eventType the type.
     * @param attempt   the logical attempt.
     * @return the builder, event id set.
     */
    public static RunEventWrite.Builder builder(final String runId, final String stepId, final String eventType,
        final long attempt)
    {
        return RunEventWrite.builder().eventId(UUID.randomUUID().toString()).eventType(eventType)
            .emittedAt(EMITTED_AT).runId(runId).tenantId("tenant-1").projectId("project-1")
            .environmentId("env-prod").planId("plan-7").planVersion("3").engineAttemptId(1)
            .logicalAttemptId(attempt).stepId(stepId)
            .payload(Json.createObjectBuilder().add("step", stepId == null ? "" : stepId).add("n", attempt).build())
            .derivedIdempotencyKey();
    }
}
