/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.ErrorCode;
import dev.tally.core.TallyException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fixed vectors of the v2 idempotency key, computed once outside Java with
 * {@code printf '%s' 'run-1|step-a|1|StepCompleted|plan-7|3' | sha256sum} (and likewise for each vector), so the
 * formula cannot drift without a failing test.
 */
class IdempotencyKeysTest
{
    @Test
    @DisplayName("v2 2 idempotencyKey = SHA256(runId|stepIdNormalized|logicalAttemptId|eventType|planId|planVersion)")
    void shouldMatchVectorsWhenFieldsAreJoined()
    {
        assertEquals("7649e54d8c247806ec540d8bdecadf34accbfe4c9064f8a8076cf013cacff303",
            IdempotencyKeys.of("run-1", "step-a", 1, "StepCompleted", "plan-7", "3"));
        assertEquals("89f7683d80fa36d1cd52ed86df3c24d71f583f0872d1dc4a5fd89ffc6d074055",
            IdempotencyKeys.of("run-1", "", 1, "RunStarted", "plan-7", "3"));
        assertEquals("a6d05b9477c2de8767fca58e21fd7120b7e45c1ef7acd44198b52425b4f0f8ef",
            IdempotencyKeys.of("run-\u00fc", "\u00e7\u00e9", 12, "StepRetried", "plan/\u03b2", "2026.02.16"));
    }

    @Test
    @DisplayName("v2 2 stepIdNormalized: null is empty, white space stripped, Unicode NFC")
    void shouldNormalizeStepIdWhenDecomposedOrPadded()
    {
        assertEquals("", IdempotencyKeys.normalizeStepId(null));
        assertEquals("", IdempotencyKeys.normalizeStepId("  "));
        assertEquals("\u0107", IdempotencyKeys.normalizeStepId("  c\u0301\t"));
        assertEquals("892a079786ce01261ad31ccbcf3ba8751997bbabb477c52c198cd44b7abc6995",
            IdempotencyKeys.of("run-1", IdempotencyKeys.normalizeStepId(" c\u0301 "), 2, "StepStarted", "p", "v"));
        final RunEventWrite write = RunEventWrite.builder().runId("run-1").stepId("step-a").logicalAttemptId(1)
            .eventType("StepCompleted").planId("plan-7").planVersion("3").derivedIdempotencyKey().build();
        assertEquals("7649e54d8c247806ec540d8bdecadf34accbfe4c9064f8a8076cf013cacff303", write.idempotencyKey());
        assertEquals(write.idempotencyKey(), IdempotencyKeys.of(write));
        final RunEventWrite runLevel = RunEventWrite.builder().runId("run-1").logicalAttemptId(1)
            .eventType("RunStarted").planId("plan-7").planVersion("3").derivedIdempotencyKey().build();
        assertEquals("89f7683d80fa36d1cd52ed86df3c24d71f583f0872d1dc4a5fd89ffc6d074055", runLevel.idempotencyKey());
    }

    @Test
    @DisplayName("v2 2 a missing key field is MISSING_FIELD naming it")
    void shouldNameFieldWhenKeyFieldIsNull()
    {
        final TallyException ex = assertThrows(TallyException.class,
            () -> IdempotencyKeys.of("run-1", "s", 1, null, "p", "v"));
        assertEquals(ErrorCode.MISSING_FIELD, ex.code());
        assertEquals(true, ex.getMessage().contains("eventType"), ex.getMessage());
    }
}
