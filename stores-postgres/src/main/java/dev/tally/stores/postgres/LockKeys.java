/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-bit keys of PostgreSQL advisory locks: the first eight bytes of SHA-256 over {@code tally|<space>|<name>},
 * so a run's append lock, a channel lock and the migration lock never share a key in practice, and every process of
 * every build derives the same key for the same name. Pure; any thread.
 */
final class LockKeys
{
    /** The space of the per-run append locks ({@code pg_advisory_xact_lock}). */
    static final String RUN = "run";
    /** The space of the channel locks ({@code pg_advisory_lock}). */
    static final String CHANNEL = "channel";

    private LockKeys()
    {
    }

    /**
     * The advisory lock key of a name in a space.
     *
     * @param space the space, one of the constants above.
     * @param name  the name (a run id, a channel key).
     * @return the key.
     */
    static long of(final String space, final String name)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(("tally|" + space + "|").getBytes(StandardCharsets.UTF_8));
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest.digest()).getLong();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }
}
