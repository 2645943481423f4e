/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

/**
 * A primitive that applies a long run of log entries faster when told that no one reads it meanwhile: recovery
 * replaying the log before the database opens. Between {@link #beginBulkLoad()} and {@link #endBulkLoad()} only
 * {@code applyWalEntry} and {@code snapshotDeserialize} may be called; the state after {@link #endBulkLoad()} is the
 * state the same entries applied one by one would give. Called by the one thread loading the instance: recovery at
 * open, or the snapshot thread rebuilding its shadow copy.
 */
public interface BulkLoadable
{
    /**
     * Starts collecting applied entries.
     */
    void beginBulkLoad();

    /**
     * Folds what was collected into the readable state.
     */
    void endBulkLoad();
}
