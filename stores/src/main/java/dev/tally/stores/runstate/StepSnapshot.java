/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

/**
 * The state of one step in a {@link RunSnapshot}: what its latest applied step event said. Immutable; any thread.
 *
 * @param stepId           the step, normalized by {@link IdempotencyKeys#normalizeStepId(String)}.
 * @param status           its status.
 * @param logicalAttemptId the logical attempt of that event.
 * @param lastEventType    that event's type.
 * @param lastEventSeq     that event's {@code runSeq}.
 */
public record StepSnapshot(String stepId, StepStatus status, long logicalAttemptId, String lastEventType,
    long lastEventSeq)
{
}
