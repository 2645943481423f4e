/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * Stable error codes carried by every {@link TallyException}. Numbers are never changed or reused; a retired code
 * stays here, marked retired, so that a logged number always means the same failure.
 */
public enum ErrorCode
{
    /** A failure with no more specific code; seeing it in a log is itself a bug to report. */
    GENERIC(0),
    /** An internal invariant was broken; the engine cannot continue safely. */
    INTERNAL(1),

    /** An argument was invalid in a way no more specific code describes. */
    INVALID_ARGUMENT(100),
    /** A key is empty, too long, contains NUL or is not well-formed UTF-16 (a lone surrogate). */
    INVALID_KEY(101),
    /** A key is longer than the configured key length limit. */
    KEY_TOO_LARGE(102),
    /** A value is longer than the configured value length limit. */
    VALUE_TOO_LARGE(103),
    /** An encoded record (one WAL frame) is longer than the frame length limit. */
    RECORD_TOO_LARGE(104),
    /** A JSON path is not a valid JSON Pointer or does not address a settable location. */
    INVALID_JSON_PATH(105),
    /** A JSON Patch document is malformed or one of its operations cannot be applied. */
    INVALID_JSON_PATCH(106),
    /** A stored item has another type than the operation expects. */
    TYPE_MISMATCH(107),
    /** A run, transaction or other id string does not parse. */
    INVALID_ID(108),
    /** A snapshot or primitive configuration is invalid. */
    INVALID_CONFIGURATION(109),
    /** An extension's type id or WAL entry-type range is out of range or already taken. */
    INVALID_EXTENSION(110),
    /** A required field of a store record is absent or empty; the message names the field. */
    MISSING_FIELD(111),
    /** A field of a store record has the wrong form (not a UUID, not RFC 3339 UTC, out of range); the message names
     * the field. */
    INVALID_FIELD(112),
    /** A store call asked for more than its documented maximum (for example a fetch limit). */
    LIMIT_EXCEEDED(113),

    /** The run does not exist. */
    RUN_NOT_FOUND(200),
    /** The run exists but is completed or aborted, so it takes no more writes. */
    RUN_NOT_ACTIVE(201),
    /** A run with this id was already begun. */
    RUN_ALREADY_EXISTS(202),
    /** The state cell does not exist. */
    CELL_NOT_FOUND(203),
    /** The JSON document does not exist. */
    DOCUMENT_NOT_FOUND(204),
    /** A JSON document with this key already exists. */
    DOCUMENT_ALREADY_EXISTS(205),
    /** The span or trace does not exist. */
    SPAN_NOT_FOUND(206),

    /** An optimistic transaction found that something it read had changed before it could commit. */
    TRANSACTION_CONFLICT(300),
    /** A compare-and-set found another version than the caller expected. */
    VERSION_CONFLICT(301),

    /** Stored bytes could not be decoded: truncated, overlong, unknown tag or bad checksum. */
    CORRUPT_DATA(400),
    /** A WAL frame before the durable position failed validation. */
    CORRUPT_LOG(401),
    /** A snapshot file failed validation. */
    CORRUPT_SNAPSHOT(402),
    /** Stored data has a format version this build does not read. */
    UNKNOWN_FORMAT_VERSION(403),
    /** A WAL entry type code is not assigned (or is in a reserved range with no registered owner). */
    UNKNOWN_ENTRY_TYPE(404),
    /** A file belongs to another database (its database id differs). */
    FOREIGN_DATABASE(405),

    /** The disk has no room for the next segment or snapshot; nothing was written. */
    STORAGE_FULL(500),
    /** An I/O operation failed. */
    STORAGE_IO(501),
    /** The log failed earlier (failed force, mapped-access fault, full disk) and refuses writes until reopened. */
    LOG_FAILED(502),
    /** Another process, or another open in this JVM, holds the database directory. */
    DIRECTORY_LOCKED(503),

    /** The database or component was closed. */
    CLOSED(600),
    /** The database was opened read-only (for example by point-in-time recovery) and refuses writes. */
    READ_ONLY(601),

    /** A contract store that must not lose acknowledged writes was opened on a database that can, and the caller
     * did not accept that explicitly. */
    STORE_REQUIRES_STRICT(700),
    /** An idempotency key was reused with another request hash; nothing was changed. */
    IDEMPOTENCY_KEY_REUSED(701),
    /** A store retried a conflicting or failed step as often as it may and stopped; nothing partial was written. */
    STORE_RETRIES_EXHAUSTED(702),
    /** A store's backing service (for example a PostgreSQL server) could not be reached or dropped the connection
     * mid-call; whatever the call wrote was rolled back. */
    STORE_UNAVAILABLE(703),
    /** A store's stored schema or namespace has a version this build does not read, or is not a store's at all. */
    STORE_SCHEMA_MISMATCH(704);

    private static final ErrorCode[] BY_NUMBER;

    static
    {
        int max = 0;
        for (final ErrorCode code : values())
        {
            max = Math.max(max, code.number);
        }
        BY_NUMBER = new ErrorCode[max + 1];
        for (final ErrorCode code : values())
        {
            if (BY_NUMBER[code.number] != null)
            {
                throw new ExceptionInInitializerError("duplicate error code number: " + code.number);
            }
            BY_NUMBER[code.number] = code;
        }
    }

    private final int number;

    ErrorCode(final int number)
    {
        this.number = number;
    }

    /**
     * The stable number of this code, as printed in exception messages. Safe from any thread.
     *
     * @return the number, never reused for another code.
     */
    public int number()
    {
        return number;
    }

    /**
     * Looks up a code by its stable number. Safe from any thread.
     *
     * @param number the number printed in a message.
     * @return the code, or {@code null} if the number is not assigned.
     */
    public static ErrorCode fromNumber(final int number)
    {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
