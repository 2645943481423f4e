/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;

/**
 * A primitive whose state is scoped by run and whose section can be written for one run alone: the bytes a fresh
 * instance holding only that run's state would serialize. Ending a run hashes these from the live state, the same
 * digest a replay of the run's history into fresh instances gives, without reading the history back.
 */
public interface RunSections extends PrimitiveStorageExt
{
    /**
     * The canonical section of one run: {@link #snapshotSerialize()} of an instance that holds this run's state and
     * nothing else; a reader that sees no half-applied commit (under the engine's read lock).
     *
     * @param runId the run.
     * @return the section, with no run at all when the run has no state here.
     */
    byte[] serializeRun(RunId runId);
}
