/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.idempotency;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Value;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.internal.RecordReader;
import dev.tally.stores.internal.RecordWriter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The layout of the embedded store's records in its namespace run. Stored on disk; changing it needs a new format
 * version. Pure; any thread.
 *
 * <pre>
 * r/&lt;hash&gt;                      one record: version 1, then principal, method, idempotencyKey, requestHash
 *                                (strings), status (byte: 1 IN_PROGRESS, 2 SUCCEEDED, 3 FAILED_FINAL,
 *                                4 FAILED_RETRYABLE), responseCode (int), responsePayload (bytes),
 *                                createdAt, updatedAt, expiresAt (long, epoch microseconds), fencingToken (long)
 * x/&lt;expires&gt;/&lt;hash&gt;            the expiry index: present exactly while the record is terminal;
 *                                the value is empty
 *
 * hash    = 64 lower-case hex digits of SHA-256 over, for principal, method and idempotencyKey in turn, the
 *           four-byte big-endian length of its UTF-8 bytes and the bytes
 * expires = 16 lower-case hex digits of expiresAt in epoch microseconds (never negative), so the index lists
 *           oldest first
 * </pre>
 */
final class IdempotencyRecords
{
    /** The record format version this build writes and reads. */
    static final int VERSION = 1;
    /** The prefix of record keys. */
    static final String RECORD_PREFIX = "r/";
    /** The prefix of expiry index keys. */
    static final String INDEX_PREFIX = "x/";
    /** The empty value of an index key. */
    static final Value INDEX_VALUE = Value.of(new byte[0]);
    /** Hex digits of an index key's time. */
    static final int TIME_DIGITS = 16;
    private static final int HASH_DIGITS = 64;
    private static final HexFormat HEX = HexFormat.of();

    private IdempotencyRecords()
    {
    }

    /**
     * The hash of a key, as 64 hex digits.
     *
     * @param key the key.
     * @return the hash.
     */
    static String hash(final RecordKey key)
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
        update(digest, key.principal());
        update(digest, key.method());
        update(digest, key.idempotencyKey());
        return HEX.formatHex(digest.digest());
    }

    /**
     * The KV key of a record.
     *
     * @param hash the key's hash.
     * @return the KV key.
     */
    static String recordKey(final String hash)
    {
        return RECORD_PREFIX + hash;
    }

    /**
     * The KV key of a record's expiry index entry.
     *
     * @param expiresAtMicros the record's expiry, epoch microseconds, not negative.
     * @param hash            the key's hash.
     * @return the KV key.
     */
    static String indexKey(final long expiresAtMicros, final String hash)
    {
        return INDEX_PREFIX + timeDigits(expiresAtMicros) + "/" + hash;
    }

    /**
     * The 16 hex digits of a time in an index key.
     *
     * @param epochMicros the time, not negative.
     * @return the digits.
     */
    static String timeDigits(final long epochMicros)
    {
        return HEX.toHexDigits(epochMicros);
    }

    /**
     * The time of an index key.
     *
     * @param indexKey the index key.
     * @return the epoch microseconds.
     */
    static long indexTime(final String indexKey)
    {
        checkIndexKey(indexKey);
        return HexFormat.fromHexDigitsToLong(indexKey, INDEX_PREFIX.length(), INDEX_PREFIX.length() + TIME_DIGITS);
    }

    /**
     * The record hash of an index key.
     *
     * @param indexKey the index key.
     * @return the hash.
     */
    static String indexHash(final String indexKey)
    {
        checkIndexKey(indexKey);
        return indexKey.substring(INDEX_PREFIX.length() + TIME_DIGITS + 1);
    }

    /**
     * Encodes a record.
     *
     * @param r the record.
     * @return the KV value.
     */
    static Value encode(final IdempotencyRecord r)
    {
        return new RecordWriter(VERSION)
            .writeString(r.principal())
            .writeString(r.method())
            .writeString(r.idempotencyKey())
            .writeString(r.requestHash())
            .writeByte(statusCode(r.status()))
            .writeInt(r.responseCode())
            .writeBytes(r.responsePayload())
            .writeLong(Fields.toMicros(r.createdAt()))
            .writeLong(Fields.toMicros(r.updatedAt()))
            .writeLong(Fields.toMicros(r.expiresAt()))
            .writeLong(r.fencingToken())
            .toValue();
    }

    /**
     * Decodes a record.
     *
     * @param stored the KV value.
     * @return the record.
     * @throws CorruptDataException when the value is not a record of this store.
     */
    static IdempotencyRecord decode(final Value stored)
    {
        final RecordReader in = new RecordReader(stored, VERSION);
        final String principal = in.readString();
        final String method = in.readString();
        final String idempotencyKey = in.readString();
        final String requestHash = in.readString();
        final Status status = status(in.readByte());
        final int responseCode = in.readInt();
        final byte[] payload = in.readBytes();
        final long createdAt = in.readLong();
        final long updatedAt = in.readLong();
        final long expiresAt = in.readLong();
        final long fencingToken = in.readLong();
        if (principal == null || method == null || idempotencyKey == null || requestHash == null)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "an idempotency record lacks a key field");
        }
        return new IdempotencyRecord(principal, method, idempotencyKey, requestHash, status, responseCode, payload,
            Fields.ofMicros(createdAt), Fields.ofMicros(updatedAt), Fields.ofMicros(expiresAt), fencingToken);
    }

    private static int statusCode(final Status status)
    {
        return switch (status)
        {
            case IN_PROGRESS -> 1;
            case SUCCEEDED -> 2;
            case FAILED_FINAL -> 3;
            case FAILED_RETRYABLE -> 4;
        };
    }

    private static Status status(final int code)
    {
        return switch (code)
        {
            case 1 -> Status.IN_PROGRESS;
            case 2 -> Status.SUCCEEDED;
            case 3 -> Status.FAILED_FINAL;
            case 4 -> Status.FAILED_RETRYABLE;
            default -> throw new CorruptDataException(ErrorCode.CORRUPT_DATA,
                "unknown idempotency record status: code=" + code);
        };
    }

    private static void update(final MessageDigest digest, final String part)
    {
        final byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
        final int length = utf8.length;
        digest.update(new byte[] {(byte)(length >>> 24), (byte)(length >>> 16), (byte)(length >>> 8), (byte)length});
        digest.update(utf8);
    }

    private static void checkIndexKey(final String indexKey)
    {
        if (indexKey.length() != INDEX_PREFIX.length() + TIME_DIGITS + 1 + HASH_DIGITS
            || !indexKey.startsWith(INDEX_PREFIX) || indexKey.charAt(INDEX_PREFIX.length() + TIME_DIGITS) != '/')
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "not an idempotency index key: key=" + indexKey);
        }
    }
}
