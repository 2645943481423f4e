/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.internal.CommitAction;
import dev.tally.engine.internal.Engine;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.KvPrimitive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Key-value pairs scoped by run. Safe for any number of threads; writes are durable as the database's mode promises
 * when they return.
 */
public final class KvStore
{
    private final Engine engine;
    private final KvPrimitive kv;
    private final Checks checks;

    KvStore(final Engine engine, final KvPrimitive kv, final Checks checks)
    {
        this.engine = engine;
        this.kv = kv;
        this.checks = checks;
    }

    /**
     * Reads a value; any thread.
     *
     * @param runId the run, which must exist.
     * @param key   the key.
     * @return the value, or empty.
     */
    public Optional<Value> get(final RunId runId, final String key)
    {
        checks.runExists(runId);
        final KvPrimitive.Versioned entry = kv.get(runId, checks.key(key));
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    /**
     * Reads an integer value, for a caller that stores only integers under the key; any thread.
     *
     * @param runId the run, which must exist.
     * @param key   the key.
     * @return the integer, or empty when the key is absent.
     * @throws dev.tally.core.InvalidArgumentException with {@link dev.tally.core.ErrorCode#TYPE_MISMATCH} naming the
     *                                                 stored type when the value is not an integer.
     */
    public OptionalLong getLong(final RunId runId, final String key)
    {
        final Optional<Value> value = get(runId, key);
        return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(value.get().asLong());
    }

    /**
     * Reads a string value, for a caller that stores only strings under the key; any thread.
     *
     * @param runId the run, which must exist.
     * @param key   the key.
     * @return the string, or empty when the key is absent.
     * @throws dev.tally.core.InvalidArgumentException with {@link dev.tally.core.ErrorCode#TYPE_MISMATCH} naming the
     *                                                 stored type when the value is not a string.
     */
    public Optional<String> getString(final RunId runId, final String key)
    {
        return get(runId, key).map(Value::asString);
    }

    /**
     * Writes a value; any thread.
     *
     * @param runId the run, which must be active.
     * @param key   the key.
     * @param value the value.
     */
    public void put(final RunId runId, final String key, final Value value)
    {
        final Key k = checks.key(key);
        final PendingEntries entries = new PendingEntries()
            .add(WalEntryType.KV_PUT.code(), KvPrimitive.putBody(k, checks.value(value)));
        engine.commit(checks.run(runId), entries);
    }

    /**
     * Deletes a key; any thread. Deleting an absent key writes nothing.
     *
     * @param runId the run, which must be active.
     * @param key   the key.
     * @return whether the key existed.
     */
    public boolean delete(final RunId runId, final String key)
    {
        final Key k = checks.key(key);
        final PendingEntries entries = new PendingEntries()
            .add(WalEntryType.KV_DELETE.code(), KvPrimitive.deleteBody(k));
        return engine.commit(checks.run(runId), entries, new CommitAction<Boolean>()
        {
            @Override
            public Boolean check()
            {
                return kv.get(runId, k) == null ? Boolean.FALSE : null;
            }

            @Override
            public Boolean applied(final long position)
            {
                return Boolean.TRUE;
            }
        });
    }

    /**
     * Lists the keys of a run that start with a prefix, in lexicographic order of their UTF-8 bytes; any thread.
     *
     * @param runId  the run, which must exist.
     * @param prefix the prefix, or {@code null} (or empty) for every key.
     * @return the keys.
     */
    public List<String> list(final RunId runId, final String prefix)
    {
        checks.runExists(runId);
        final Key p = prefix == null || prefix.isEmpty() ? null : checks.key(prefix);
        return engine.read(() ->
        {
            final List<Key> keys = kv.list(runId, p);
            final List<String> out = new ArrayList<>(keys.size());
            for (final Key key : keys)
            {
                out.add(key.text());
            }
            return out;
        });
    }
}
