/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * The idempotency key of an event exactly as v2 section 2 defines it:
 * {@code SHA256(runId|stepIdNormalized|logicalAttemptId|eventType|planId|planVersion)}, the lower-case hex SHA-256 of
 * the UTF-8 bytes of the six fields joined by {@code '|'}, the attempt in decimal without leading zeros. The fields
 * are joined as they are, without escaping, as the document defines; a {@code '|'} inside a field can therefore make
 * two different field lists share a key, so producers should keep {@code '|'} out of ids. Pure; any thread.
 */
public final class IdempotencyKeys
{
    private static final HexFormat HEX = HexFormat.of();

    private IdempotencyKeys()
    {
    }

    /**
     * The key of an event; any thread.
     *
     * @param runId            the run.
     * @param stepIdNormalized the step id after {@link #normalizeStepId(String)} ({@code ""} for a run-level event).
     * @param logicalAttemptId the logical attempt.
     * @param eventType        the event type.
     * @param planId           the plan.
     * @param planVersion      the plan version.
     * @return 64 lower-case hex digits.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD} when a text argument is {@code null}.
     */
    public static String of(final String runId, final String stepIdNormalized, final long logicalAttemptId,
        final String eventType, final String planId, final String planVersion)
    {
        final String text = present("runId", runId) + '|' + present("stepIdNormalized", stepIdNormalized) + '|'
            + logicalAttemptId + '|' + present("eventType", eventType) + '|' + present("planId", planId) + '|'
            + present("planVersion", planVersion);
        return sha256Hex(text);
    }

    /**
     * The key of a write, from its own fields (normalizing its step id); any thread.
     *
     * @param event the write.
     * @return 64 lower-case hex digits.
     */
    public static String of(final RunEventWrite event)
    {
        return of(event.runId(), normalizeStepId(event.stepId()), event.logicalAttemptId(), event.eventType(),
            event.planId(), event.planVersion());
    }

    /**
     * The normalized form of a step id, the one the key and the snapshot's steps use: {@code null} becomes
     * {@code ""}; otherwise leading and trailing white space ({@link String#strip()}, that is
     * {@link Character#isWhitespace}) is removed and the rest is put in Unicode Normalization Form C, so that visually
     * equal ids written with composed or decomposed characters give one key. Pure; any thread.
     *
     * @param stepId the step id, or {@code null}.
     * @return the normalized id, never {@code null}.
     */
    public static String normalizeStepId(final String stepId)
    {
        if (stepId == null)
        {
            return "";
        }
        return Normalizer.normalize(stepId.strip(), Normalizer.Form.NFC);
    }

    /**
     * The lower-case hex SHA-256 of a text's UTF-8 bytes; pure, any thread.
     *
     * @param text the text.
     * @return 64 lower-case hex digits.
     */
    static String sha256Hex(final String text)
    {
        try
        {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    private static String present(final String field, final String value)
    {
        if (value == null)
        {
            throw new InvalidArgumentException(ErrorCode.MISSING_FIELD, "required field is missing: field=" + field);
        }
        return value;
    }
}
