/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Value;

import java.util.List;
import java.util.Optional;

/**
 * The key-value store of one replayed run, read-only: it has no write methods. Any thread.
 */
public interface KvView
{
    /**
     * Reads a value; any thread.
     *
     * @param key the key.
     * @return the value, or empty.
     */
    Optional<Value> get(String key);

    /**
     * Lists the keys that start with a prefix, in lexicographic order of their UTF-8 bytes; any thread.
     *
     * @param prefix the prefix, or {@code null} (or empty) for every key.
     * @return the keys.
     */
    List<String> list(String prefix);
}
