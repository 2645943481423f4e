/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.stores.internal.Fields;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The validation every {@link RunStateStore} runs before it writes or reads anything, so that every implementation
 * rejects the same input with the same code: {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD}
 * naming the field ({@code events[2].eventId} inside a batch), {@link ErrorCode#INVALID_ARGUMENT} for a bad call
 * argument and {@link ErrorCode#LIMIT_EXCEEDED} above a documented limit. Pure; any thread.
 *
 * <p>The bounds, in UTF-16 characters unless said otherwise: {@code runId}, {@code tenantId}, {@code projectId},
 * {@code environmentId}, {@code planId} and {@code stepId} at most {@link #ID_LENGTH_MAX}; {@code eventType} and
 * {@code planVersion} at most {@link #NAME_LENGTH_MAX}; {@code emittedAt} at most {@link #TIME_LENGTH_MAX}; the
 * payload's JSON text at most {@link #PAYLOAD_LENGTH_MAX} UTF-8 bytes. No text may hold a NUL or a lone surrogate
 * (it could not round-trip through UTF-8). {@code stepId} and {@code payload} are optional ({@code null}), but a
 * present {@code stepId} must not be empty. The {@code idempotencyKey} is checked for its form (64 lower-case hex
 * digits) only: a producer may derive it otherwise than {@link IdempotencyKeys#of}.
 */
public final class RunEventChecks
{
    /** The longest id: run, tenant, project, environment, plan and step. */
    public static final int ID_LENGTH_MAX = 256;
    /** The longest event type and plan version. */
    public static final int NAME_LENGTH_MAX = 128;
    /** The longest {@code emittedAt} text. */
    public static final int TIME_LENGTH_MAX = 64;
    /** The longest payload, in UTF-8 bytes of its JSON text. */
    public static final int PAYLOAD_LENGTH_MAX = 64 << 10;

    private RunEventChecks()
    {
    }

    /**
     * Checks one write; any thread.
     *
     * @param event the write.
     * @return the UTF-8 length of its payload's JSON text, 0 without a payload.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD}.
     */
    public static int check(final RunEventWrite event)
    {
        return check("", event);
    }

    /**
     * Checks a batch of one run: its size, every write, that each names the run, and the payload total; any thread.
     *
     * @param runId  the run of the batch.
     * @param events the writes.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD}, {@link ErrorCode#INVALID_FIELD},
     *                                  {@link ErrorCode#INVALID_ARGUMENT} or {@link ErrorCode#LIMIT_EXCEEDED}.
     */
    public static void checkBatch(final String runId, final List<RunEventWrite> events)
    {
        checkRunId(runId);
        if (events == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "events must not be null");
        }
        if (events.size() > RunStateStore.APPEND_BATCH_COUNT_MAX)
        {
            throw new InvalidArgumentException(ErrorCode.LIMIT_EXCEEDED, "too many events in one batch: count="
                + events.size() + ", countMax=" + RunStateStore.APPEND_BATCH_COUNT_MAX);
        }
        long payloadLength = 0;
        for (int i = 0; i < events.size(); i++)
        {
            final String prefix = "events[" + i + "].";
            payloadLength += check(prefix, events.get(i));
            if (!runId.equals(events.get(i).runId()))
            {
                throw Fields.invalid(prefix + "runId", "differs from the batch's run: runId=" + runId);
            }
        }
        if (payloadLength > RunStateStore.APPEND_BATCH_PAYLOAD_LENGTH_MAX)
        {
            throw new InvalidArgumentException(ErrorCode.LIMIT_EXCEEDED, "payloads of one batch too long: length="
                + payloadLength + ", lengthMax=" + RunStateStore.APPEND_BATCH_PAYLOAD_LENGTH_MAX);
        }
    }

    /**
     * Checks a run id argument; any thread.
     *
     * @param runId the run id.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD}.
     */
    public static void checkRunId(final String runId)
    {
        text("runId", runId, ID_LENGTH_MAX);
    }

    /**
     * Checks the arguments of a fetch; any thread.
     *
     * @param runId    the run.
     * @param afterSeq the watermark, not negative.
     * @param limit    1 to {@link RunStateStore#FETCH_LIMIT_MAX}.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} or {@link ErrorCode#LIMIT_EXCEEDED}.
     */
    public static void checkFetch(final String runId, final long afterSeq, final int limit)
    {
        checkRunId(runId);
        if (afterSeq < 0)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "afterSeq must not be negative: afterSeq="
                + afterSeq);
        }
        if (limit < 1)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "limit must be at least 1: limit="
                + limit);
        }
        if (limit > RunStateStore.FETCH_LIMIT_MAX)
        {
            throw new InvalidArgumentException(ErrorCode.LIMIT_EXCEEDED, "fetch limit too large: limit=" + limit
                + ", limitMax=" + RunStateStore.FETCH_LIMIT_MAX);
        }
    }

    /**
     * Checks the timeout of an await; any thread.
     *
     * @param timeout zero to {@link RunStateStore#AWAIT_TIMEOUT_MAX}.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} or {@link ErrorCode#LIMIT_EXCEEDED}.
     */
    public static void checkTimeout(final Duration timeout)
    {
        if (timeout == null || timeout.isNegative())
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "timeout must be zero or more: timeout="
                + timeout);
        }
        if (timeout.compareTo(RunStateStore.AWAIT_TIMEOUT_MAX) > 0)
        {
            throw new InvalidArgumentException(ErrorCode.LIMIT_EXCEEDED, "timeout too long: timeout=" + timeout
                + ", timeoutMax=" + RunStateStore.AWAIT_TIMEOUT_MAX);
        }
    }

    /**
     * The payload's JSON text, as every store keeps it; any thread.
     *
     * @param event the write.
     * @return the text, or {@code null} without a payload.
     */
    public static String payloadText(final RunEventWrite event)
    {
        return event.payload() == null ? null : event.payload().toString();
    }

    private static int check(final String prefix, final RunEventWrite event)
    {
        Fields.requiredObject(prefix.isEmpty() ? "event" : prefix.substring(0, prefix.length() - 1), event);
        Fields.uuid(prefix + "eventId", event.eventId());
        text(prefix + "eventType", event.eventType(), NAME_LENGTH_MAX);
        text(prefix + "emittedAt", event.emittedAt(), TIME_LENGTH_MAX);
        Fields.utcTimestamp(prefix + "emittedAt", event.emittedAt());
        text(prefix + "runId", event.runId(), ID_LENGTH_MAX);
        text(prefix + "tenantId", event.tenantId(), ID_LENGTH_MAX);
        text(prefix + "projectId", event.projectId(), ID_LENGTH_MAX);
        text(prefix + "environmentId", event.environmentId(), ID_LENGTH_MAX);
        text(prefix + "planId", event.planId(), ID_LENGTH_MAX);
        text(prefix + "planVersion", event.planVersion(), NAME_LENGTH_MAX);
        Fields.positive(prefix + "engineAttemptId", event.engineAttemptId());
        Fields.positive(prefix + "logicalAttemptId", event.logicalAttemptId());
        Fields.sha256Hex(prefix + "idempotencyKey", event.idempotencyKey());
        if (event.stepId() != null)
        {
            if (event.stepId().isEmpty())
            {
                throw Fields.invalid(prefix + "stepId", "empty; leave it null for a run-level event");
            }
            text(prefix + "stepId", event.stepId(), ID_LENGTH_MAX);
        }
        final String payload = payloadText(event);
        if (payload == null)
        {
            return 0;
        }
        wellFormed(prefix + "payload", payload);
        final int length = payload.getBytes(StandardCharsets.UTF_8).length;
        if (length > PAYLOAD_LENGTH_MAX)
        {
            throw Fields.invalid(prefix + "payload", "JSON text longer than " + PAYLOAD_LENGTH_MAX
                + " UTF-8 bytes: length=" + length);
        }
        return length;
    }

    private static void text(final String field, final String value, final int lengthMax)
    {
        Fields.bounded(field, value, lengthMax);
        wellFormed(field, value);
    }

    private static void wellFormed(final String field, final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                throw Fields.invalid(field, "holds a lone surrogate at index " + i);
            }
        }
    }
}
