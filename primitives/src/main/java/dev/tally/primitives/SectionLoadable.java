/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.snapshot.SectionBytes;

/**
 * A primitive that reads its snapshot section as it is taken from the file (copied in chunks, or read in place in the
 * file's mapping, which the primitive may then keep), checking each part while it is fresh in the cache, instead of
 * taking a copy of the whole section at once. Called by the recovering thread only, before the engine
 * starts; what it builds stays provisional until the snapshot's CRC matched (recovery resets it otherwise).
 */
public interface SectionLoadable
{
    /**
     * Replaces the state with a snapshot section, filling the section as far as it reads it.
     *
     * @param section the primitive's section, filled on demand.
     * @throws dev.tally.core.CorruptDataException when the section does not decode.
     */
    void snapshotDeserialize(SectionBytes section);
}
