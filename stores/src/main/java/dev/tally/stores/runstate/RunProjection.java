/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import java.util.Map;
import java.util.TreeMap;

/**
 * The fold of a run's events into its {@link RunSnapshot}, the one definition that {@code getSnapshot} (applied
 * incrementally as events commit), {@code projectSnapshot} (from the first event) and {@link RunWatermarkReader} all
 * use, so they always agree. An instance accumulates one run's events in {@code runSeq} order and is used by one
 * thread; the static functions are pure and may be called from any thread.
 *
 * <p>The rules, event by event:
 * <ul>
 *   <li>Every event, whatever its type, sets the watermark {@code lastEventSeq} to its {@code runSeq}, counts in
 *   {@code eventCount}, sets {@code lastPersistedAt}, {@code planId} and {@code planVersion}; the first event also
 *   sets {@code firstPersistedAt}, {@code tenantId}, {@code projectId} and {@code environmentId}.</li>
 *   <li>Unknown event types do nothing else (v1 section 6).</li>
 *   <li>Run status: {@code RunStarted} moves PENDING to RUNNING, and so does any step event that applies to a step;
 *   {@code RunCompleted}, {@code RunFailed} and {@code RunCancelled} move a non-terminal run to COMPLETED, FAILED and
 *   CANCELLED. A terminal status never changes again.</li>
 *   <li>Steps: a step event ({@link EventTypes#isStepType}) with a step id that is not empty once normalized
 *   ({@link IdempotencyKeys#normalizeStepId}) sets that step's status, logical attempt, last type and last
 *   {@code runSeq} (StepStarted: RUNNING, StepCompleted: COMPLETED, StepFailed: FAILED, StepRetried: RETRYING), unless
 *   its {@code logicalAttemptId} is lower than the step's current one: a late event of an older attempt changes
 *   nothing. A step event without a step id is treated as unknown.</li>
 * </ul>
 */
public final class RunProjection
{
    private RunSnapshot head;
    private final TreeMap<String, StepSnapshot> steps = new TreeMap<>();

    private RunProjection(final RunSnapshot start)
    {
        this.head = start.withSteps(Map.of());
        this.steps.putAll(start.steps());
    }

    /**
     * A projection of a run with no events applied yet; any thread.
     *
     * @param runId the run.
     * @return the projection.
     */
    public static RunProjection start(final String runId)
    {
        return new RunProjection(RunSnapshot.empty(runId));
    }

    /**
     * A projection that continues from a snapshot; any thread.
     *
     * @param snapshot the snapshot (for example from {@code getSnapshot}).
     * @return the projection.
     */
    public static RunProjection from(final RunSnapshot snapshot)
    {
        return new RunProjection(snapshot);
    }

    /**
     * Folds a run's events, in {@code runSeq} order, from nothing; any thread.
     *
     * @param runId  the run.
     * @param events its events.
     * @return the snapshot.
     */
    public static RunSnapshot fold(final String runId, final Iterable<RunEventRecord> events)
    {
        final RunProjection projection = start(runId);
        for (final RunEventRecord event : events)
        {
            projection.apply(event);
        }
        return projection.snapshot();
    }

    /**
     * Applies the next event; the thread that owns this projection.
     *
     * @param event an event of this run, with a {@code runSeq} above the watermark.
     * @return this.
     */
    public RunProjection apply(final RunEventRecord event)
    {
        final String stepKey = stepKey(event);
        final StepSnapshot current = stepKey == null ? null : steps.get(stepKey);
        final StepSnapshot next = applyToStep(current, event);
        if (next != current)
        {
            steps.put(stepKey, next);
        }
        head = applyToRun(head, event, next != current);
        return this;
    }

    /**
     * What the events applied so far give; the owning thread.
     *
     * @return the snapshot.
     */
    public RunSnapshot snapshot()
    {
        return head.withSteps(steps);
    }

    /**
     * The watermark of the events applied so far; the owning thread.
     *
     * @return the last applied {@code runSeq}, 0 for none.
     */
    public long lastEventSeq()
    {
        return head.lastEventSeq();
    }

    /**
     * The step an event addresses, if it is a step event the projection applies; pure, any thread.
     *
     * @param event the event.
     * @return the normalized step id, or {@code null} when the event touches no step.
     */
    public static String stepKey(final RunEventRecord event)
    {
        if (!EventTypes.isStepType(event.eventType()) || event.stepId() == null)
        {
            return null;
        }
        final String normalized = IdempotencyKeys.normalizeStepId(event.stepId());
        return normalized.isEmpty() ? null : normalized;
    }

    /**
     * A step's state after an event; pure, any thread.
     *
     * @param current the step's state before, or {@code null} for a step not seen yet.
     * @param event   the event; one that does not address this step (see {@link #stepKey}) returns {@code current}.
     * @return the new state, or the very same {@code current} object when the event changes nothing.
     */
    public static StepSnapshot applyToStep(final StepSnapshot current, final RunEventRecord event)
    {
        final String stepKey = stepKey(event);
        if (stepKey == null || current != null && event.logicalAttemptId() < current.logicalAttemptId())
        {
            return current;
        }
        final StepStatus status = switch (event.eventType())
        {
            case EventTypes.STEP_STARTED -> StepStatus.RUNNING;
            case EventTypes.STEP_COMPLETED -> StepStatus.COMPLETED;
            case EventTypes.STEP_FAILED -> StepStatus.FAILED;
            default -> StepStatus.RETRYING;
        };
        return new StepSnapshot(stepKey, status, event.logicalAttemptId(), event.eventType(), event.runSeq());
    }

    /**
     * A snapshot's run-level fields after an event (its steps are kept as they are); pure, any thread.
     *
     * @param snapshot       the snapshot before.
     * @param event          the next event.
     * @param appliedToStep  whether {@link #applyToStep} changed a step for this event.
     * @return the snapshot after, with the same steps.
     */
    public static RunSnapshot applyToRun(final RunSnapshot snapshot, final RunEventRecord event,
        final boolean appliedToStep)
    {
        final boolean first = snapshot.eventCount() == 0;
        return new RunSnapshot(snapshot.runId(), nextStatus(snapshot.status(), event.eventType(), appliedToStep),
            event.runSeq(), snapshot.eventCount() + 1,
            first ? event.tenantId() : snapshot.tenantId(),
            first ? event.projectId() : snapshot.projectId(),
            first ? event.environmentId() : snapshot.environmentId(),
            event.planId(), event.planVersion(),
            first ? event.persistedAt() : snapshot.firstPersistedAt(),
            event.persistedAt(), snapshot.steps());
    }

    private static RunStatus nextStatus(final RunStatus status, final String eventType, final boolean appliedToStep)
    {
        if (status.isTerminal())
        {
            return status;
        }
        return switch (eventType)
        {
            case EventTypes.RUN_STARTED -> RunStatus.RUNNING;
            case EventTypes.RUN_COMPLETED -> RunStatus.COMPLETED;
            case EventTypes.RUN_FAILED -> RunStatus.FAILED;
            case EventTypes.RUN_CANCELLED -> RunStatus.CANCELLED;
            default -> appliedToStep ? RunStatus.RUNNING : status;
        };
    }
}
