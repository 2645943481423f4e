/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.util.UUID;

/**
 * Identifies a run. Opaque and UUID-based; its string form is the canonical lower-case UUID and parses back with {@link
 * #parse(String)}.
 * Immutable and safe to share between threads.
 *
 * @param uuid the underlying UUID.
 */
public record RunId(UUID uuid) implements Comparable<RunId>
{
    /**
     * Wraps a UUID; any thread.
     *
     * @param uuid the UUID, not {@code null}.
     */
    public RunId
    {
        if (uuid == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ID, "RunId uuid must not be null");
        }
    }

    /**
     * A new random id from a cryptographically strong generator; any thread. Not deterministic: to replay, store the
     * id or inject an {@link IdGenerator}.
     *
     * @return a fresh id.
     */
    public static RunId random()
    {
        return new RunId(UUID.randomUUID());
    }

    /**
     * Builds an id from its two 64-bit halves, as stored on disk; any thread.
     *
     * @param mostSignificantBits  the high half.
     * @param leastSignificantBits the low half.
     * @return the id.
     */
    public static RunId of(final long mostSignificantBits, final long leastSignificantBits)
    {
        return new RunId(new UUID(mostSignificantBits, leastSignificantBits));
    }

    /**
     * Parses the string form made by {@link #toString()}; any thread. Only the canonical 36-character form is
     * accepted (upper-case hex digits too), so two different strings never name the same id by accident.
     *
     * @param text the string form.
     * @return the id.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ID} when the text is not a canonical UUID.
     */
    public static RunId parse(final String text)
    {
        return new RunId(Ids.parseCanonicalUuid(text, "RunId"));
    }

    /**
     * The canonical lower-case UUID string; parses back with {@link #parse(String)}.
     *
     * @return the string form.
     */
    @Override
    public String toString()
    {
        return uuid.toString();
    }

    /**
     * Orders ids by their unsigned 128-bit value, the order used wherever ids are sorted on disk.
     *
     * @param other the id to compare with.
     * @return negative, zero or positive.
     */
    @Override
    public int compareTo(final RunId other)
    {
        return Ids.compareUnsigned(uuid, other.uuid);
    }
}
