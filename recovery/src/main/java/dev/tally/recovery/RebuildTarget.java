/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.snapshot.SnapshotFile;
import dev.tally.wal.WalFrame;

/**
 * The state a {@link StateRebuilder} rebuilds: what it loads from a base file and what it makes of each log frame
 * after it. Recovery rebuilds the live primitives, a snapshot its shadow copy of them and every run's history, a
 * history read one run's frames. Confined to the rebuilding thread.
 */
public interface RebuildTarget
{
    /** Drops all state, so that a base file that failed to load half-way leaves nothing behind. */
    void reset();

    /**
     * Loads a base file into the empty state.
     *
     * @param file the base file.
     * @throws dev.tally.core.CorruptDataException when the file is damaged, foreign or does not fit the target.
     * @throws dev.tally.core.StorageException     when the file cannot be read.
     */
    void loadBase(SnapshotFile file);

    /**
     * Whether an entry type code may appear in the log (a core code or a registered primitive's).
     *
     * @param typeCode the code.
     * @return whether it is known.
     */
    boolean isKnownFrameType(int typeCode);

    /**
     * Says that the frames after the base follow, and nothing reads the state until {@link #endLog()}: a target may
     * collect them and fold them in at the end. Called by {@link StateRebuilder#rebuild} once the base is loaded, also
     * when no frame follows. Does nothing by default.
     */
    default void beginLog()
    {
    }

    /**
     * Ends what {@link #beginLog()} began, whether the scan ended well or not. Does nothing by default.
     */
    default void endLog()
    {
    }

    /**
     * Applies one committed frame after the base, in log order.
     *
     * @param frame the frame, valid only during the call.
     */
    void applyFrame(WalFrame frame);
}
