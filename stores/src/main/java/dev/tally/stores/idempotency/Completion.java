/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.stores.internal.Fields;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * How an attempt ended, given to {@link IdempotencyStore#finish}: the document's {@code Completion}. The payload is
 * copied in and out, so the record stays immutable; any thread.
 *
 * @param status          a terminal status: {@link Status#SUCCEEDED}, {@link Status#FAILED_FINAL} or
 *                        {@link Status#FAILED_RETRYABLE}.
 * @param responseCode    the response code to replay (for example a gRPC status code; 0 for OK).
 * @param responsePayload the response bytes to replay; {@code null} is stored as empty; at most
 *                        {@link IdempotencyStore#RESPONSE_PAYLOAD_LENGTH_MAX} bytes.
 * @param updatedAt       the record's {@code updatedAt} after the finish, cut to microseconds; {@code null} (the
 *                        document's "empty") keeps the lease's token, as the document says.
 */
public record Completion(Status status, int responseCode, byte[] responsePayload, Instant updatedAt)
{
    /**
     * Checks the completion; any thread.
     *
     * @throws InvalidArgumentException with {@code MISSING_FIELD}, {@code INVALID_FIELD} (a non-terminal status) or
     *                                  {@code LIMIT_EXCEEDED} (a payload over the maximum).
     */
    public Completion
    {
        Fields.requiredObject("status", status);
        if (!status.isTerminal())
        {
            throw Fields.invalid("status", "a completion needs a terminal status: value=" + status);
        }
        responsePayload = responsePayload == null ? new byte[0] : responsePayload.clone();
        if (responsePayload.length > IdempotencyStore.RESPONSE_PAYLOAD_LENGTH_MAX)
        {
            throw new InvalidArgumentException(ErrorCode.LIMIT_EXCEEDED, "response payload too long: field="
                + "responsePayload, length=" + responsePayload.length + ", lengthMax="
                + IdempotencyStore.RESPONSE_PAYLOAD_LENGTH_MAX);
        }
        updatedAt = updatedAt == null ? null : Fields.micros(updatedAt);
    }

    /**
     * A completion that keeps the lease's token as {@code updatedAt}.
     *
     * @param status          a terminal status.
     * @param responseCode    the response code.
     * @param responsePayload the response bytes, or {@code null}.
     * @return the completion.
     */
    public static Completion of(final Status status, final int responseCode, final byte[] responsePayload)
    {
        return new Completion(status, responseCode, responsePayload, null);
    }

    /**
     * The response bytes.
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
        return other instanceof Completion that && status == that.status && responseCode == that.responseCode
            && Arrays.equals(responsePayload, that.responsePayload) && Objects.equals(updatedAt, that.updatedAt);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return Objects.hash(status, responseCode, Arrays.hashCode(responsePayload), updatedAt);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "Completion[status=" + status + ", responseCode=" + responseCode + ", responsePayloadLength="
            + responsePayload.length + ", updatedAt=" + updatedAt + "]";
    }
}
