/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.internal;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks of store input, each failing with a stable code and a message that names the field, before anything is
 * written; and the one text form of store times (RFC 3339 UTC with microseconds). Pure; any thread.
 */
public final class Fields
{
    private static final Pattern UUID_TEXT =
        Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern LOWER_HEX_64 = Pattern.compile("[0-9a-f]{64}");
    private static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
        .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
        .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
        .appendLiteral('Z')
        .toFormatter()
        .withZone(ZoneOffset.UTC);

    private Fields()
    {
    }

    /**
     * A required text field: present and non-empty.
     *
     * @param field the field name, for the message.
     * @param value the value.
     * @return the value.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD}.
     */
    public static String required(final String field, final String value)
    {
        if (value == null || value.isEmpty())
        {
            throw new InvalidArgumentException(ErrorCode.MISSING_FIELD, "required field is missing: field=" + field);
        }
        return value;
    }

    /**
     * A required object field.
     *
     * @param field the field name.
     * @param value the value.
     * @param <T>   its type.
     * @return the value.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD}.
     */
    public static <T> T requiredObject(final String field, final T value)
    {
        if (value == null)
        {
            throw new InvalidArgumentException(ErrorCode.MISSING_FIELD, "required field is missing: field=" + field);
        }
        return value;
    }

    /**
     * A required text field of bounded length.
     *
     * @param field     the field name.
     * @param value     the value.
     * @param lengthMax the most characters allowed.
     * @return the value.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD}.
     */
    public static String bounded(final String field, final String value, final int lengthMax)
    {
        required(field, value);
        if (value.length() > lengthMax)
        {
            throw invalid(field, "longer than " + lengthMax + " characters: length=" + value.length());
        }
        if (value.indexOf('\0') >= 0)
        {
            throw invalid(field, "contains NUL");
        }
        return value;
    }

    /**
     * A required UUID in its canonical 8-4-4-4-12 hex form.
     *
     * @param field the field name.
     * @param value the value.
     * @return the value.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD}.
     */
    public static String uuid(final String field, final String value)
    {
        required(field, value);
        if (!UUID_TEXT.matcher(value).matches())
        {
            throw invalid(field, "not a UUID: value=" + value);
        }
        UUID.fromString(value);
        return value;
    }

    /**
     * A required SHA-256 digest as 64 lower-case hex digits.
     *
     * @param field the field name.
     * @param value the value.
     * @return the value.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD}.
     */
    public static String sha256Hex(final String field, final String value)
    {
        required(field, value);
        if (!LOWER_HEX_64.matcher(value).matches())
        {
            throw invalid(field, "not a SHA-256 digest in 64 lower-case hex digits: value=" + value);
        }
        return value;
    }

    /**
     * A number that starts at 1.
     *
     * @param field the field name.
     * @param value the value.
     * @return the value.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_FIELD} when below 1.
     */
    public static long positive(final String field, final long value)
    {
        if (value < 1)
        {
            throw invalid(field, "must be at least 1: value=" + value);
        }
        return value;
    }

    /**
     * A required RFC 3339 timestamp in UTC ({@code Z} or {@code +00:00}).
     *
     * @param field the field name.
     * @param value the text.
     * @return the instant.
     * @throws InvalidArgumentException with {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD}.
     */
    public static Instant utcTimestamp(final String field, final String value)
    {
        required(field, value);
        final OffsetDateTime parsed;
        try
        {
            parsed = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        catch (final DateTimeParseException ex)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_FIELD,
                "not an RFC 3339 timestamp: field=" + field + ", value=" + value, ex);
        }
        if (parsed.getOffset().getTotalSeconds() != 0 || value.length() < 20 || value.charAt(10) != 'T')
        {
            throw invalid(field, "not an RFC 3339 timestamp in UTC: value=" + value);
        }
        return parsed.toInstant();
    }

    /**
     * An instant cut to whole microseconds, the precision every store keeps (and PostgreSQL's {@code timestamptz}).
     *
     * @param instant the instant.
     * @return the instant truncated to microseconds.
     */
    public static Instant micros(final Instant instant)
    {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Microseconds since the epoch as an instant.
     *
     * @param epochMicros the microseconds.
     * @return the instant.
     */
    public static Instant ofMicros(final long epochMicros)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
            Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    }

    /**
     * An instant as microseconds since the epoch (truncating finer digits).
     *
     * @param instant the instant.
     * @return the microseconds.
     */
    public static long toMicros(final Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /**
     * The store's text form of a time: RFC 3339 in UTC with exactly six fraction digits, for example
     * {@code 2026-02-16T09:30:00.000000Z}.
     *
     * @param epochMicros microseconds since the epoch.
     * @return the text.
     */
    public static String formatMicros(final long epochMicros)
    {
        return MICROS.format(ofMicros(epochMicros));
    }

    /**
     * An {@link ErrorCode#INVALID_FIELD} error naming the field.
     *
     * @param field  the field name.
     * @param reason what is wrong.
     * @return the exception, to throw.
     */
    public static InvalidArgumentException invalid(final String field, final String reason)
    {
        return new InvalidArgumentException(ErrorCode.INVALID_FIELD, "invalid field: field=" + field + ", " + reason);
    }
}
