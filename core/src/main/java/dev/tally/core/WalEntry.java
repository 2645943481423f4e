/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * One entry read back from the WAL and handed to the primitive that owns its type code. Immutable except for the
 * payload array, which the receiver must not change; no one else changes it either, so the receiver may keep it.
 *
 * @param typeCode the WAL entry type code, 0 to 255.
 * @param txId     the transaction the entry belongs to.
 * @param runId    the run the entry is scoped to.
 * @param position the log position of the frame holding the entry.
 * @param payload  the entry body in the owning primitive's encoding; not copied.
 */
public record WalEntry(int typeCode, TxId txId, RunId runId, long position, byte[] payload)
{
}
