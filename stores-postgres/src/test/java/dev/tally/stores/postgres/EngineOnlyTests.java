/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Set;

/**
 * Skips, with the reason in the report, the few kit tests that assert the embedded engine's fail-stop: a reader of a
 * record whose force is held waits and then fails with {@code LOG_FAILED}. On PostgreSQL a held commit's rows are
 * invisible to every other session and a failed commit simply rolls back, so readers answer at once without the
 * record, and a writer waiting on the row lock goes on as if the record never existed: both durable answers, not the
 * engine's. The run state kit asks {@code failedDurableStepFailsReaders()} instead; these kits have no such hook yet.
 * Used by JUnit.
 */
public final class EngineOnlyTests implements ExecutionCondition
{
    private static final Set<String> ENGINE_ONLY = Set.of(
        "shouldNotAnswerInProgressWhenBeginIsNotDurable",
        "shouldNotReplayWhenFinishIsNotDurable",
        "shouldNotAnswerChannelConflictWhenSettlementForceIsHeld",
        "shouldNotAnswerCachedRetryWhenOriginalForceIsHeld");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context)
    {
        final String method = context.getTestMethod().map(m -> m.getName()).orElse("");
        return ENGINE_ONLY.contains(method)
            ? ConditionEvaluationResult.disabled("asserts the embedded engine's LOG_FAILED fail-stop; on PostgreSQL a "
                + "failed commit rolls back and readers answer without the record (kit hook pending)")
            : ConditionEvaluationResult.enabled("a contract rule");
    }
}
