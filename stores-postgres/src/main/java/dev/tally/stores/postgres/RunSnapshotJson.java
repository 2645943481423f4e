/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.stores.runstate.RunSnapshot;
import dev.tally.stores.runstate.RunStatus;
import dev.tally.stores.runstate.StepSnapshot;
import dev.tally.stores.runstate.StepStatus;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link RunSnapshot} in the {@code snapshot} column of {@code tally_runs}: every field by name,
 * statuses by their stable codes, steps as an object keyed by the step key, {@code "v": 1} for the format. Stored
 * data: changing it needs a new format version. Pure; any thread.
 */
final class RunSnapshotJson
{
    /** One reader factory for every parse: {@code Json.createReader} looks the JSON provider up on each call. */
    private static final JsonReaderFactory JSON_READERS = Json.createReaderFactory(Map.of());

    private static final int FORMAT_VERSION = 1;

    private RunSnapshotJson()
    {
    }

    /**
     * A snapshot as JSON text.
     *
     * @param snapshot the snapshot.
     * @return the text.
     */
    static String encode(final RunSnapshot snapshot)
    {
        final JsonObjectBuilder steps = Json.createObjectBuilder();
        for (final Map.Entry<String, StepSnapshot> entry : snapshot.steps().entrySet())
        {
            final StepSnapshot step = entry.getValue();
            final JsonObjectBuilder json = Json.createObjectBuilder().add("status", step.status().code())
                .add("logicalAttemptId", step.logicalAttemptId()).add("lastEventSeq", step.lastEventSeq());
            text(json, "stepId", step.stepId());
            text(json, "lastEventType", step.lastEventType());
            steps.add(entry.getKey(), json);
        }
        final JsonObjectBuilder json = Json.createObjectBuilder().add("v", FORMAT_VERSION)
            .add("runId", snapshot.runId()).add("status", snapshot.status().code())
            .add("lastEventSeq", snapshot.lastEventSeq()).add("eventCount", snapshot.eventCount());
        text(json, "tenantId", snapshot.tenantId());
        text(json, "projectId", snapshot.projectId());
        text(json, "environmentId", snapshot.environmentId());
        text(json, "planId", snapshot.planId());
        text(json, "planVersion", snapshot.planVersion());
        text(json, "firstPersistedAt", snapshot.firstPersistedAt());
        text(json, "lastPersistedAt", snapshot.lastPersistedAt());
        return json.add("steps", steps).build().toString();
    }

    /**
     * A snapshot from its JSON text.
     *
     * @param text the text {@link #encode} wrote.
     * @return the snapshot.
     */
    static RunSnapshot decode(final String text)
    {
        final JsonObject json;
        try (JsonReader reader = JSON_READERS.createReader(new StringReader(text)))
        {
            json = reader.readObject();
        }
        if (json.getInt("v") != FORMAT_VERSION)
        {
            throw new IllegalStateException("unknown run snapshot format: v=" + json.getInt("v"));
        }
        final Map<String, StepSnapshot> steps = new TreeMap<>();
        for (final Map.Entry<String, JsonValue> entry : json.getJsonObject("steps").entrySet())
        {
            final JsonObject step = entry.getValue().asJsonObject();
            steps.put(entry.getKey(), new StepSnapshot(text(step, "stepId"), StepStatus.ofCode(step.getInt("status")),
                step.getJsonNumber("logicalAttemptId").longValueExact(), text(step, "lastEventType"),
                step.getJsonNumber("lastEventSeq").longValueExact()));
        }
        return new RunSnapshot(json.getString("runId"), RunStatus.ofCode(json.getInt("status")),
            json.getJsonNumber("lastEventSeq").longValueExact(), json.getJsonNumber("eventCount").longValueExact(),
            text(json, "tenantId"), text(json, "projectId"), text(json, "environmentId"), text(json, "planId"),
            text(json, "planVersion"), text(json, "firstPersistedAt"), text(json, "lastPersistedAt"), steps);
    }

    private static void text(final JsonObjectBuilder json, final String name, final String value)
    {
        if (value != null)
        {
            json.add(name, value);
        }
    }

    private static String text(final JsonObject json, final String name)
    {
        return json.containsKey(name) && !json.isNull(name) ? json.getString(name) : null;
    }
}
