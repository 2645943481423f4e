/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Value;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.internal.RecordReader;
import dev.tally.stores.internal.RecordWriter;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;

import java.io.StringReader;
import java.util.Map;

/**
 * The keys and records of {@link EmbeddedRunStateStore} in its namespace run. Stored on disk; changing a layout needs
 * a new record format version. {@code H} is the lower-case hex SHA-256 of the run id (the full run id is kept in the
 * records), so every key is short and bounded (at most 133 bytes):
 * <pre>
 *   r/H/s                 head: the run's snapshot without its steps, plus its step count and deletion state
 *   r/H/e/%016x runSeq    one event record
 *   r/H/k/idempotencyKey  the runSeq stored under the key (I64)
 *   r/H/t/%08x ordinal    one step's state, steps numbered in the order they first appeared
 *   r/H/u/sha256(stepId)  the ordinal of a normalized step id (I64)
 * </pre>
 * Pure; any thread.
 */
final class RunRecords
{
    /** One reader factory for every parse: {@code Json.createReader} looks the JSON provider up on each call. */
    private static final JsonReaderFactory JSON_READERS = Json.createReaderFactory(Map.of());

    /** The record format version this build writes and the newest it reads. */
    static final int VERSION = 1;

    private RunRecords()
    {
    }

    /** The head of a run: its snapshot minus the steps, with what the store needs besides. */
    record Head(RunSnapshot snapshot, long firstPersistedMicros, long lastPersistedMicros, long stepCount,
        boolean deleting)
    {
        static Head empty(final String runId)
        {
            return new Head(RunSnapshot.empty(runId), 0, 0, 0, false);
        }
    }

    static String runHash(final String runId)
    {
        return IdempotencyKeys.sha256Hex(runId);
    }

    static String headKey(final String runHash)
    {
        return "r/" + runHash + "/s";
    }

    static String eventKey(final String runHash, final long runSeq)
    {
        return "r/" + runHash + "/e/" + String.format("%016x", runSeq);
    }

    static String idempotencyKey(final String runHash, final String key)
    {
        return "r/" + runHash + "/k/" + key;
    }

    static String stepKey(final String runHash, final long ordinal)
    {
        return "r/" + runHash + "/t/" + String.format("%08x", ordinal);
    }

    static String stepIndexKey(final String runHash, final String normalizedStepId)
    {
        return "r/" + runHash + "/u/" + IdempotencyKeys.sha256Hex(normalizedStepId);
    }

    static Value encodeEvent(final RunEventRecord record, final long persistedMicros)
    {
        return new RecordWriter(VERSION).writeLong(record.runSeq()).writeLong(persistedMicros)
            .writeString(record.eventId()).writeString(record.eventType()).writeString(record.emittedAt())
            .writeString(record.runId()).writeString(record.tenantId()).writeString(record.projectId())
            .writeString(record.environmentId()).writeString(record.planId()).writeString(record.planVersion())
            .writeLong(record.engineAttemptId()).writeLong(record.logicalAttemptId())
            .writeString(record.idempotencyKey()).writeString(record.stepId())
            .writeString(record.payload() == null ? null : record.payload().toString()).toValue();
    }

    static RunEventRecord decodeEvent(final Value stored)
    {
        final RecordReader in = new RecordReader(stored, VERSION);
        final long runSeq = in.readLong();
        final String persistedAt = Fields.formatMicros(in.readLong());
        final String eventId = in.readString();
        final String eventType = in.readString();
        final String emittedAt = in.readString();
        final String runId = in.readString();
        final String tenantId = in.readString();
        final String projectId = in.readString();
        final String environmentId = in.readString();
        final String planId = in.readString();
        final String planVersion = in.readString();
        final long engineAttemptId = in.readLong();
        final long logicalAttemptId = in.readLong();
        final String idempotencyKey = in.readString();
        final String stepId = in.readString();
        final JsonObject payload = parse(in.readString());
        return new RunEventRecord(eventId, eventType, emittedAt, runId, tenantId, projectId, environmentId, planId,
            planVersion, engineAttemptId, logicalAttemptId, idempotencyKey, stepId, payload, runSeq, persistedAt);
    }

    static Value encodeHead(final Head head)
    {
        final RunSnapshot s = head.snapshot();
        return new RecordWriter(VERSION).writeBoolean(head.deleting()).writeString(s.runId())
            .writeByte(s.status().code()).writeLong(s.lastEventSeq()).writeLong(s.eventCount())
            .writeString(s.tenantId()).writeString(s.projectId()).writeString(s.environmentId())
            .writeString(s.planId()).writeString(s.planVersion()).writeLong(head.firstPersistedMicros())
            .writeLong(head.lastPersistedMicros()).writeLong(head.stepCount()).toValue();
    }

    static Head decodeHead(final Value stored)
    {
        final RecordReader in = new RecordReader(stored, VERSION);
        final boolean deleting = in.readBoolean();
        final String runId = in.readString();
        final RunStatus status = RunStatus.ofCode(in.readByte());
        final long lastEventSeq = in.readLong();
        final long eventCount = in.readLong();
        final String tenantId = in.readString();
        final String projectId = in.readString();
        final String environmentId = in.readString();
        final String planId = in.readString();
        final String planVersion = in.readString();
        final long firstMicros = in.readLong();
        final long lastMicros = in.readLong();
        final long stepCount = in.readLong();
        final boolean any = eventCount > 0;
        final RunSnapshot snapshot = new RunSnapshot(runId, status, lastEventSeq, eventCount, tenantId, projectId,
            environmentId, planId, planVersion, any ? Fields.formatMicros(firstMicros) : null,
            any ? Fields.formatMicros(lastMicros) : null, Map.of());
        return new Head(snapshot, firstMicros, lastMicros, stepCount, deleting);
    }

    static Value encodeStep(final StepSnapshot step)
    {
        return new RecordWriter(VERSION).writeString(step.stepId()).writeByte(step.status().code())
            .writeLong(step.logicalAttemptId()).writeString(step.lastEventType()).writeLong(step.lastEventSeq())
            .toValue();
    }

    static StepSnapshot decodeStep(final Value stored)
    {
        final RecordReader in = new RecordReader(stored, VERSION);
        return new StepSnapshot(in.readString(), StepStatus.ofCode(in.readByte()), in.readLong(), in.readString(),
            in.readLong());
    }

    static long decodeLong(final Value stored)
    {
        if (stored instanceof Value.I64 number)
        {
            return number.value();
        }
        throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "a run state index entry is not an integer");
    }

    private static JsonObject parse(final String text)
    {
        if (text == null)
        {
            return null;
        }
        try (JsonReader reader = JSON_READERS.createReader(new StringReader(text)))
        {
            return reader.readObject();
        }
        catch (final JsonException ex)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "a stored event payload is not a JSON object", ex);
        }
    }
}
