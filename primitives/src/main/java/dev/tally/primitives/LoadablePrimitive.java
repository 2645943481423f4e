/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.PrimitiveStorageExt;
import dev.tally.primitives.internal.LoadableExtension;
import dev.tally.snapshot.SectionBytes;

/**
 * The one way the engine loads a primitive: from a snapshot section, then a long run of log entries between {@link
 * #beginBulkLoad()} and {@link #endBulkLoad()}. Every built-in primitive implements it; an extension primitive is
 * wrapped by {@link #of(PrimitiveStorageExt)}, which takes its section whole and applies entries one by one. Called
 * by the one thread loading the instance: recovery at open, or the snapshot thread rebuilding its shadow copy.
 */
public interface LoadablePrimitive extends PrimitiveStorageExt
{
    /**
     * Replaces the state with a snapshot section, filling the section as far as it reads it. A primitive that reads
     * its section in order overrides this to check each part while it is fresh in the cache (and, when the section is
     * read in place, may keep the file's mapping as its state); by default the section is copied whole and handed to
     * {@link #snapshotDeserialize(byte[])}. What it builds stays provisional until the snapshot's CRC matched:
     * recovery resets it otherwise.
     *
     * @param section the primitive's section, filled on demand.
     * @throws dev.tally.core.CorruptDataException when the section does not decode.
     */
    default void snapshotDeserialize(final SectionBytes section)
    {
        section.fillAll();
        snapshotDeserialize(section.array());
    }

    /**
     * Says that a long run of {@code applyWalEntry} calls follows and nothing reads the instance meanwhile; only
     * {@code applyWalEntry} and {@code snapshotDeserialize} may be called until {@link #endBulkLoad()}. Does nothing
     * by default.
     */
    default void beginBulkLoad()
    {
    }

    /**
     * Ends what {@link #beginBulkLoad()} began: the state is then what the same entries applied one by one would
     * give, and readable. Does nothing by default.
     */
    default void endBulkLoad()
    {
    }

    /**
     * The primitive itself when it is loadable, else a view of it that loads through its {@link PrimitiveStorageExt}
     * methods alone; any thread.
     *
     * @param ext the primitive.
     * @return a loadable view of the same instance.
     */
    static LoadablePrimitive of(final PrimitiveStorageExt ext)
    {
        return ext instanceof LoadablePrimitive ? (LoadablePrimitive)ext : new LoadableExtension(ext);
    }
}
