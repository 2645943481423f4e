/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

/**
 * One item a transaction read that changed before it could commit: what the transaction saw and what it found.
 * Versions are the item's version (a cell's version, an event count, or the log position of a key's or document's
 * last write; 0 means absent). Immutable.
 *
 * @param primitive       the primitive: "kv", "events", "state", "json" or "runs".
 * @param item            the key, cell name or document key.
 * @param expectedVersion the version the transaction read.
 * @param actualVersion   the version found at commit.
 */
public record Conflict(String primitive, String item, long expectedVersion, long actualVersion)
{
}
