/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import jakarta.json.JsonObject;

/**
 * A persisted event as the read APIs return it (v2 section 2 and 3.1): every {@link RunEventWrite} field plus what the
 * Append Authority assigned. Immutable; any thread.
 *
 * @param eventId          the event id.
 * @param eventType        the event type.
 * @param emittedAt        the producer's time, exactly as written.
 * @param runId            the run.
 * @param tenantId         the tenant.
 * @param projectId        the project.
 * @param environmentId    the environment.
 * @param planId           the plan.
 * @param planVersion      the plan version.
 * @param engineAttemptId  the platform retry counter.
 * @param logicalAttemptId the business retry counter.
 * @param idempotencyKey   the idempotency key.
 * @param stepId           the step, or {@code null}.
 * @param payload          the payload, or {@code null}.
 * @param runSeq           the position in the run, strictly increasing per run (v1 section 2.2).
 * @param persistedAt      the Append Authority's commit time, RFC 3339 UTC with six fraction digits (v2 section 3.4).
 */
public record RunEventRecord(
    String eventId,
    String eventType,
    String emittedAt,
    String runId,
    String tenantId,
    String projectId,
    String environmentId,
    String planId,
    String planVersion,
    long engineAttemptId,
    long logicalAttemptId,
    String idempotencyKey,
    String stepId,
    JsonObject payload,
    long runSeq,
    String persistedAt)
{
    /**
     * The record of a write with what the store assigned; any thread.
     *
     * @param write       the write.
     * @param runSeq      the assigned position.
     * @param persistedAt the assigned time.
     * @return the record.
     */
    public static RunEventRecord of(final RunEventWrite write, final long runSeq, final String persistedAt)
    {
        return new RunEventRecord(write.eventId(), write.eventType(), write.emittedAt(), write.runId(),
            write.tenantId(), write.projectId(), write.environmentId(), write.planId(), write.planVersion(),
            write.engineAttemptId(), write.logicalAttemptId(), write.idempotencyKey(), write.stepId(),
            write.payload(), runSeq, persistedAt);
    }

    /**
     * The write this record was persisted from; any thread.
     *
     * @return the write.
     */
    public RunEventWrite write()
    {
        return new RunEventWrite(eventId, eventType, emittedAt, runId, tenantId, projectId, environmentId, planId,
            planVersion, engineAttemptId, logicalAttemptId, idempotencyKey, stepId, payload);
    }
}
