/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import dev.tally.snapshot.SectionAccess;
import dev.tally.snapshot.SectionBytes;
import dev.tally.wal.WalFrame;

/**
 * The state recovery rebuilds, implemented by the engine over its registered primitives. Called only by the
 * recovering thread, before the database opens.
 */
public interface RecoveryTarget
{
    /** Drops all state, so that a snapshot that failed to load half-way leaves nothing behind. */
    void reset();

    /**
     * Whether a primitive with this snapshot type id is registered.
     *
     * @param typeId the section's type id.
     * @return whether a primitive will take the section.
     */
    boolean hasPrimitive(int typeId);

    /**
     * Replaces one primitive's state with a snapshot section. The bytes are not yet known to match the snapshot's
     * CRC when this is called (it is compared once every section is loaded), so they must be decoded defensively.
     *
     * @param typeId the section's type id.
     * @param data   the section body.
     * @throws dev.tally.core.CorruptDataException when the section does not decode.
     */
    void loadSection(int typeId, byte[] data);

    /**
     * Replaces one primitive's state with a snapshot section as it is copied out of the file. A target whose
     * primitive checks its section as it reads it overrides this to read the bytes in the order they arrive; by
     * default the whole section is copied first and handed to {@link #loadSection(int, byte[])}. What it builds stays
     * provisional until the snapshot's CRC matched: recovery calls {@link #reset()} when the load fails.
     *
     * @param typeId  the section's type id.
     * @param section the section, filled on demand; the loader may read it only up to what it filled.
     * @throws dev.tally.core.CorruptDataException when the section does not decode.
     */
    default void loadSection(final int typeId, final SectionBytes section)
    {
        section.fillAll();
        loadSection(typeId, section.array());
    }

    /**
     * How this target takes snapshot sections: copied out of the file, or read in place from its mapping, in which
     * case a primitive that keeps the section's buffer keeps the file's pages as its state. Copied by default.
     *
     * @return the access the target's loaders are written for.
     */
    default SectionAccess sectionAccess()
    {
        return SectionAccess.COPIED;
    }

    /**
     * Whether an entry type code may appear in the log (a core code or a registered primitive's).
     *
     * @param typeCode the code.
     * @return whether it is known.
     */
    boolean isKnownFrameType(int typeCode);

    /**
     * Applies one committed frame, in log order.
     *
     * @param frame the frame, valid only during the call.
     * @return the number of transactions the frame commits (1 for every frame the engine writes).
     */
    int applyFrame(WalFrame frame);
}
