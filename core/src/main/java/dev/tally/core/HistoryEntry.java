/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * One change of a run as the log stores it: an entry type code and its encoded body. Immutable by convention (the
 * body is not copied); any thread.
 *
 * @param typeCode the WAL entry type code (0x00-0xFF).
 * @param body     the entry body in its owner's encoding.
 */
public record HistoryEntry(int typeCode, byte[] body)
{
}
