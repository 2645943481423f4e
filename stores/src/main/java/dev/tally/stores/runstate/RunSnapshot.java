/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A derived view of a run (v1 section 5): never the source of truth, always what {@link RunProjection} folds from the
 * run's events in {@code runSeq} order. Immutable; any thread.
 *
 * @param runId            the run.
 * @param status           the run's status.
 * @param lastEventSeq     the watermark: the {@code runSeq} of the last event applied, 0 for none.
 * @param eventCount       how many events were applied, unknown types included.
 * @param tenantId         the tenant of the first event, or {@code null} for none.
 * @param projectId        the project of the first event, or {@code null}.
 * @param environmentId    the environment of the first event, or {@code null}.
 * @param planId           the plan of the last event, or {@code null}.
 * @param planVersion      the plan version of the last event, or {@code null}.
 * @param firstPersistedAt the first event's {@code persistedAt}, or {@code null}.
 * @param lastPersistedAt  the last event's {@code persistedAt}, or {@code null}.
 * @param steps            each step's state by normalized step id, in step id order; copied.
 */
public record RunSnapshot(
    String runId,
    RunStatus status,
    long lastEventSeq,
    long eventCount,
    String tenantId,
    String projectId,
    String environmentId,
    String planId,
    String planVersion,
    String firstPersistedAt,
    String lastPersistedAt,
    Map<String, StepSnapshot> steps)
{
    /**
     * Copies the steps into an unmodifiable sorted map.
     *
     * @param runId            the run.
     * @param status           the status.
     * @param lastEventSeq     the watermark.
     * @param eventCount       the count.
     * @param tenantId         the tenant.
     * @param projectId        the project.
     * @param environmentId    the environment.
     * @param planId           the plan.
     * @param planVersion      the plan version.
     * @param firstPersistedAt the first time.
     * @param lastPersistedAt  the last time.
     * @param steps            the steps.
     */
    public RunSnapshot
    {
        if (steps == null || steps.isEmpty())
        {
            steps = Collections.emptySortedMap();
        }
        else
        {
            steps = Collections.unmodifiableSortedMap(new TreeMap<>(steps));
        }
    }

    /**
     * The snapshot of a run with no events: PENDING, watermark 0; any thread.
     *
     * @param runId the run.
     * @return the snapshot.
     */
    public static RunSnapshot empty(final String runId)
    {
        return new RunSnapshot(runId, RunStatus.PENDING, 0, 0, null, null, null, null, null, null, null, Map.of());
    }

    /**
     * This snapshot with other steps; any thread.
     *
     * @param newSteps the steps.
     * @return the snapshot.
     */
    public RunSnapshot withSteps(final Map<String, StepSnapshot> newSteps)
    {
        return new RunSnapshot(runId, status, lastEventSeq, eventCount, tenantId, projectId, environmentId, planId,
            planVersion, firstPersistedAt, lastPersistedAt, newSteps);
    }
}
