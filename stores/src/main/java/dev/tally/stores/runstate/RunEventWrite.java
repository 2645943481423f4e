/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import jakarta.json.JsonObject;

/**
 * An event as its producer hands it to the Append Authority (v2 section 2 and 3.1): no {@code runSeq}, no
 * {@code persistedAt}. The record holds whatever it is given; {@link RunEventChecks#check(RunEventWrite)} (which every
 * store runs before it writes) says what is valid. Immutable; any thread.
 *
 * @param eventId          a UUID (v4 by the document; any version is accepted), required.
 * @param eventType        for example {@code StepCompleted} (see {@link EventTypes}), required.
 * @param emittedAt        the producer's clock, RFC 3339 in UTC, required and stored exactly as given (v2 section 3.4).
 * @param runId            the run, required.
 * @param tenantId         required.
 * @param projectId        required.
 * @param environmentId    required.
 * @param planId           required.
 * @param planVersion      required.
 * @param engineAttemptId  the platform's retry counter, from 1 (1 when the runtime has none, v2 section 3.3).
 * @param logicalAttemptId the business retry counter, from 1 (v2 section 3.3).
 * @param idempotencyKey   64 lower-case hex digits, normally {@link IdempotencyKeys#of}, required.
 * @param stepId           the step, or {@code null} for a run-level event.
 * @param payload          the event's data, or {@code null}.
 */
public record RunEventWrite(
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
    JsonObject payload)
{
    /**
     * A builder, for readable call sites; any thread, used by one.
     *
     * @return a new builder with every field unset (attempts 0, so they must be set).
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A builder starting from this write's fields; any thread.
     *
     * @return a builder holding a copy of every field.
     */
    public Builder toBuilder()
    {
        return new Builder().eventId(eventId).eventType(eventType).emittedAt(emittedAt).runId(runId)
            .tenantId(tenantId).projectId(projectId).environmentId(environmentId).planId(planId)
            .planVersion(planVersion).engineAttemptId(engineAttemptId).logicalAttemptId(logicalAttemptId)
            .idempotencyKey(idempotencyKey).stepId(stepId).payload(payload);
    }

    /** Sets the fields of a {@link RunEventWrite} one by one; used by one thread. */
    public static final class Builder
    {
        private String eventId;
        private String eventType;
        private String emittedAt;
        private String runId;
        private String tenantId;
        private String projectId;
        private String environmentId;
        private String planId;
        private String planVersion;
        private long engineAttemptId;
        private long logicalAttemptId;
        private String idempotencyKey;
        private String stepId;
        private JsonObject payload;

        private Builder()
        {
        }

        /**
         * Sets the event id.
         *
         * @param value a UUID.
         * @return this.
         */
        public Builder eventId(final String value)
        {
            eventId = value;
            return this;
        }

        /**
         * Sets the event type.
         *
         * @param value the type.
         * @return this.
         */
        public Builder eventType(final String value)
        {
            eventType = value;
            return this;
        }

        /**
         * Sets the producer's time.
         *
         * @param value RFC 3339 UTC.
         * @return this.
         */
        public Builder emittedAt(final String value)
        {
            emittedAt = value;
            return this;
        }

        /**
         * Sets the run.
         *
         * @param value the run id.
         * @return this.
         */
        public Builder runId(final String value)
        {
            runId = value;
            return this;
        }

        /**
         * Sets the tenant.
         *
         * @param value the tenant id.
         * @return this.
         */
        public Builder tenantId(final String value)
        {
            tenantId = value;
            return this;
        }

        /**
         * Sets the project.
         *
         * @param value the project id.
         * @return this.
         */
        public Builder projectId(final String value)
        {
            projectId = value;
            return this;
        }

        /**
         * Sets the environment.
         *
         * @param value the environment id.
         * @return this.
         */
        public Builder environmentId(final String value)
        {
            environmentId = value;
            return this;
        }

        /**
         * Sets the plan.
         *
         * @param value the plan id.
         * @return this.
         */
        public Builder planId(final String value)
        {
            planId = value;
            return this;
        }

        /**
         * Sets the plan version.
         *
         * @param value the version.
         * @return this.
         */
        public Builder planVersion(final String value)
        {
            planVersion = value;
            return this;
        }

        /**
         * Sets the platform retry counter.
         *
         * @param value from 1.
         * @return this.
         */
        public Builder engineAttemptId(final long value)
        {
            engineAttemptId = value;
            return this;
        }

        /**
         * Sets the business retry counter.
         *
         * @param value from 1.
         * @return this.
         */
        public Builder logicalAttemptId(final long value)
        {
            logicalAttemptId = value;
            return this;
        }

        /**
         * Sets the idempotency key.
         *
         * @param value 64 lower-case hex digits.
         * @return this.
         */
        public Builder idempotencyKey(final String value)
        {
            idempotencyKey = value;
            return this;
        }

        /**
         * Sets the idempotency key to {@link IdempotencyKeys#of} over the fields set so far (run, step, logical
         * attempt, event type, plan id and version), so call it last.
         *
         * @return this.
         */
        public Builder derivedIdempotencyKey()
        {
            idempotencyKey = IdempotencyKeys.of(runId, IdempotencyKeys.normalizeStepId(stepId), logicalAttemptId,
                eventType, planId, planVersion);
            return this;
        }

        /**
         * Sets the step.
         *
         * @param value the step id, or {@code null}.
         * @return this.
         */
        public Builder stepId(final String value)
        {
            stepId = value;
            return this;
        }

        /**
         * Sets the payload.
         *
         * @param value the payload, or {@code null}.
         * @return this.
         */
        public Builder payload(final JsonObject value)
        {
            payload = value;
            return this;
        }

        /**
         * The write; not validated here (the store validates it).
         *
         * @return the write.
         */
        public RunEventWrite build()
        {
            return new RunEventWrite(eventId, eventType, emittedAt, runId, tenantId, projectId, environmentId, planId,
                planVersion, engineAttemptId, logicalAttemptId, idempotencyKey, stepId, payload);
        }
    }
}
