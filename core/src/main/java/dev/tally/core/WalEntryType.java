/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * The frozen WAL entry type codes. Stored on disk; a code is never changed or reused. Each primitive owns a block of
 * sixteen codes ({@code 0xN0-0xNF}); {@code 0x70-0x7F} is reserved for the vector primitive and {@code 0x80-0xFF} for
 * the future, so {@link #fromCode(int)} rejects them as unknown unless an extension registers a block there.
 */
public enum WalEntryType
{
    /** Commits a transaction; its frame holds every entry of the transaction. */
    TRANSACTION_COMMIT(0x00),
    /** Records that a transaction was aborted. */
    TRANSACTION_ABORT(0x01),
    /** Marks the log position a snapshot covers. */
    SNAPSHOT_MARKER(0x02),

    /** A key-value put. */
    KV_PUT(0x10),
    /** A key-value delete. */
    KV_DELETE(0x11),

    /** Creates a JSON document. */
    JSON_CREATE(0x20),
    /** Sets a value at a path in a JSON document. */
    JSON_SET(0x21),
    /** Deletes a JSON document or a path in it. */
    JSON_DELETE(0x22),
    /** Applies an RFC 6902 JSON Patch to a document. */
    JSON_PATCH(0x23),

    /** Appends an event to a run's event log. */
    EVENT_APPEND(0x30),

    /** Creates a state cell if absent. */
    STATE_INIT(0x40),
    /** Sets a state cell, bumping its version. */
    STATE_SET(0x41),
    /** Transitions a state cell from an expected version. */
    STATE_TRANSITION(0x42),

    /** Records a span. */
    TRACE_RECORD(0x50),

    /** Creates a run. */
    RUN_CREATE(0x60),
    /** Updates a run's metadata. */
    RUN_UPDATE(0x61),
    /** Ends a run (completed or aborted). */
    RUN_END(0x62),
    /** Begins a run. */
    RUN_BEGIN(0x63);

    /** First code of the range reserved for the vector primitive. */
    public static final int VECTOR_RANGE_FIRST = 0x70;
    /** First code of the range reserved for future primitives. */
    public static final int FUTURE_RANGE_FIRST = 0x80;
    /** Number of codes in one primitive's block. */
    public static final int BLOCK_LENGTH = 16;

    private static final WalEntryType[] BY_CODE = new WalEntryType[256];

    static
    {
        for (final WalEntryType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    WalEntryType(final int code)
    {
        this.code = code;
    }

    /**
     * The on-disk code of this type; any thread.
     *
     * @return the code, 0 to 0x6F.
     */
    public int code()
    {
        return code;
    }

    /**
     * The on-disk code as a byte; any thread.
     *
     * @return the code as stored in a frame header.
     */
    public byte codeByte()
    {
        return (byte)code;
    }

    /**
     * The first code of the sixteen-code block this type belongs to; any thread.
     *
     * @return {@code code & 0xF0}.
     */
    public int blockFirst()
    {
        return code & 0xF0;
    }

    /**
     * Looks up a built-in type by code without throwing; any thread.
     *
     * @param code a code read from disk, 0 to 255 (a signed byte is accepted and masked).
     * @return the type, or {@code null} when the code is unassigned or reserved.
     */
    public static WalEntryType lookup(final int code)
    {
        return BY_CODE[code & 0xFF];
    }

    /**
     * Looks up a built-in type by code; any thread.
     *
     * @param code a code read from disk, 0 to 255 (a signed byte is accepted and masked).
     * @return the type.
     * @throws CorruptDataException with {@link ErrorCode#UNKNOWN_ENTRY_TYPE} when the code is unassigned or reserved.
     */
    public static WalEntryType fromCode(final int code)
    {
        final WalEntryType type = BY_CODE[code & 0xFF];
        if (type == null)
        {
            throw new CorruptDataException(
                ErrorCode.UNKNOWN_ENTRY_TYPE, "unknown WAL entry type: code=0x" + Integer.toHexString(code & 0xFF));
        }
        return type;
    }

    /**
     * Whether a code falls in a range reserved for primitives not built in (vector or future); any thread.
     *
     * @param code a code, 0 to 255.
     * @return {@code true} for {@code 0x70-0xFF}.
     */
    public static boolean isReserved(final int code)
    {
        return (code & 0xFF) >= VECTOR_RANGE_FIRST;
    }
}
