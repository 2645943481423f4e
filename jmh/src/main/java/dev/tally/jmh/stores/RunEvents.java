/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.stores;

import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunStateStore;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The run events every run state benchmark writes, whichever store it measures: one shape of event with a small
 * payload, and the preloaded run that fetches read. Pure; any thread.
 */
final class RunEvents
{
    /** Events in the preloaded run that fetch benchmarks read. */
    static final int FETCH_COUNT = 1_000;

    private static final JsonObject PAYLOAD =
        Json.createObjectBuilder().add("output", "x".repeat(64)).add("durationMs", 12).build();

    private RunEvents()
    {
    }

    /** A completed step of a run, with its idempotency key derived as the contract defines it. */
    static RunEventWrite event(final String runId, final String eventId, final String stepId)
    {
        return RunEventWrite.builder().eventId(eventId).eventType("StepCompleted")
            .emittedAt("2026-02-16T09:30:00.000000Z").runId(runId).tenantId("tenant-1").projectId("project-1")
            .environmentId("prod").planId("plan-7").planVersion("3").engineAttemptId(1).logicalAttemptId(1)
            .stepId(stepId).payload(PAYLOAD).derivedIdempotencyKey().build();
    }

    /** Appends {@link #FETCH_COUNT} events to a run, in batches as large as the store takes. */
    static void preload(final RunStateStore store, final String runId)
    {
        final List<RunEventWrite> batch = new ArrayList<>();
        for (int i = 0; i < FETCH_COUNT; i++)
        {
            batch.add(event(runId, new UUID(7, i).toString(), "step-" + i));
            if (batch.size() == RunStateStore.APPEND_BATCH_COUNT_MAX)
            {
                store.appendEvents(runId, List.copyOf(batch));
                batch.clear();
            }
        }
    }
}
