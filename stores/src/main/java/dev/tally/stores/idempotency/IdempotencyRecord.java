/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.stores.internal.Fields;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of the document's {@code idempotency_keys}, as a store returns it. Times are cut to whole microseconds and
 * the payload is copied in and out, so the record is immutable; any thread.
 *
 * @param principal       who called.
 * @param method          the called operation (the document's {@code grpc_method}).
 * @param idempotencyKey  the caller's idempotency key.
 * @param requestHash     the fingerprint every repeat of the key must match.
 * @param status          the record's state.
 * @param responseCode    the stored response code (0 while {@code IN_PROGRESS}).
 * @param responsePayload the stored response bytes (empty while {@code IN_PROGRESS}); never {@code null}.
 * @param createdAt       when the key was first begun (or begun again after its record expired).
 * @param updatedAt       the current lease token while {@code IN_PROGRESS}; after a finish, the completion's time.
 * @param expiresAt       when a terminal record may be deleted.
 * @param fencingToken    the attempt number: 1, then one more for every takeover or reacquire.
 */
public record IdempotencyRecord(String principal, String method, String idempotencyKey, String requestHash,
    Status status, int responseCode, byte[] responsePayload, Instant createdAt, Instant updatedAt, Instant expiresAt,
    long fencingToken)
{
    /**
     * Normalises the record; any thread.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} for a missing field.
     */
    public IdempotencyRecord
    {
        Fields.required("principal", principal);
        Fields.required("method", method);
        Fields.required("idempotencyKey", idempotencyKey);
        Fields.required("requestHash", requestHash);
        Fields.requiredObject("status", status);
        responsePayload = responsePayload == null ? new byte[0] : responsePayload.clone();
        createdAt = Fields.micros(Fields.requiredObject("createdAt", createdAt));
        updatedAt = Fields.micros(Fields.requiredObject("updatedAt", updatedAt));
        expiresAt = Fields.micros(Fields.requiredObject("expiresAt", expiresAt));
    }

    /**
     * The record's uniqueness key.
     *
     * @return the key.
     */
    public RecordKey key()
    {
        return new RecordKey(principal, method, idempotencyKey);
    }

    /**
     * The stored response bytes.
     *
     * @return a copy of the bytes, never {@code null}.
     */
    @Override
    public byte[] responsePayload()
    {
        return responsePayload.clone();
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof IdempotencyRecord that && principal.equals(that.principal)
            && method.equals(that.method) && idempotencyKey.equals(that.idempotencyKey)
            && requestHash.equals(that.requestHash) && status == that.status && responseCode == that.responseCode
            && Arrays.equals(responsePayload, that.responsePayload) && createdAt.equals(that.createdAt)
            && updatedAt.equals(that.updatedAt) && expiresAt.equals(that.expiresAt)
            && fencingToken == that.fencingToken;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return Objects.hash(principal, method, idempotencyKey, requestHash, status, responseCode,
            Arrays.hashCode(responsePayload), createdAt, updatedAt, expiresAt, fencingToken);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "IdempotencyRecord[principal=" + principal + ", method=" + method + ", idempotencyKey="
            + idempotencyKey + ", requestHash=" + requestHash + ", status=" + status + ", responseCode="
            + responseCode + ", responsePayloadLength=" + responsePayload.length + ", createdAt="
            + createdAt + ", updatedAt=" + updatedAt + ", expiresAt=" + expiresAt + ", fencingToken="
            + fencingToken + "]";
    }
}
