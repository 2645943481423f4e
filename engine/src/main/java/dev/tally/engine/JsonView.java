/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import java.util.Optional;

/**
 * The JSON documents of one replayed run, read-only: it has no write methods. Any thread.
 */
public interface JsonView
{
    /**
     * Reads a document; any thread.
     *
     * @param key the document key.
     * @return the document with its version (the log position of its last write), or empty.
     */
    Optional<JsonDoc> get(String key);
}
