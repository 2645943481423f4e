/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

import jakarta.json.JsonValue;

/**
 * One difference between two replayed views: an item of one primitive that only the second view has, only the first
 * has, or that both have with different contents. Immutable; any thread.
 *
 * @param primitive the primitive's name in the rendering ({@code kv}, {@code events}, {@code state}, {@code json},
 *                  {@code traces}).
 * @param key       the item's key: the key, cell name, document key or span id; for events the sequence in decimal.
 * @param kind      what changed.
 * @param before    the item in the first view, or {@code null} when {@link Kind#ADDED}.
 * @param after     the item in the second view, or {@code null} when {@link Kind#REMOVED}.
 */
public record DiffEntry(String primitive, String key, Kind kind, JsonValue before, JsonValue after)
{
    /** What happened to an item between the first view and the second. */
    public enum Kind
    {
        /** Only the second view has it. */
        ADDED,
        /** Only the first view has it. */
        REMOVED,
        /** Both have it, with different contents. */
        MODIFIED
    }
}
