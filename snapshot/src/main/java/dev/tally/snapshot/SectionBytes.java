/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.util.Objects;

/**
 * One section's bytes while a snapshot loads: an array of the section's length whose prefix {@code [0, filled())}
 * holds the section's bytes, copied from the file on demand and in order. A loader calls {@link #fill(int)} before it
 * reads past {@link #filled()}; bytes past it are not the section's yet. Used by the loading thread only.
 *
 * <p>Design note: loading a snapshot is bound by memory traffic: the bytes are copied out of the file, checksummed
 * and then checked entry by entry. Copying in small chunks as the loader asks for them lets the loader check each
 * chunk while it is still in the processor's cache, and the CRC can run on another thread behind the copy. The CRC
 * is still compared before {@link SnapshotReader#load} returns; a loader must treat what it built as provisional
 * until then.
 */
public abstract class SectionBytes
{
    /** Bytes copied at least per {@link #fill(int)} that copies at all: small enough to stay in a core's cache. */
    public static final int FILL_CHUNK_LENGTH = 64 * 1024;

    private final int typeId;
    private final byte[] data;
    private int filled;

    /**
     * Creates the view of one section; for the snapshot reader's subclasses, and for tests that feed a loader bytes
     * in pieces.
     *
     * @param typeId the section's type id.
     * @param data   the array the section is copied into, of the section's length.
     * @param filled how many bytes of it already hold the section.
     */
    protected SectionBytes(final int typeId, final byte[] data, final int filled)
    {
        this.typeId = typeId;
        this.data = Objects.requireNonNull(data, "data");
        if (filled < 0 || filled > data.length)
        {
            throw new IllegalArgumentException("filled out of range: filled=" + filled + ", length=" + data.length);
        }
        this.filled = filled;
    }

    /**
     * A section whose bytes are all present already; any thread creates it, one thread uses it.
     *
     * @param typeId the section's type id, or 0 when the bytes do not come from a snapshot file.
     * @param data   the section bytes, kept, not copied.
     * @return the section, wholly filled.
     */
    public static SectionBytes of(final int typeId, final byte[] data)
    {
        return new SectionBytes(typeId, data, data.length)
        {
            @Override
            protected void copy(final int from, final int to)
            {
                throw new IllegalStateException("a filled section has nothing to copy: from=" + from + ", to=" + to);
            }
        };
    }

    /**
     * The section's type id; the loading thread.
     *
     * @return 1 to 255 for a section of a snapshot file; 0 for bytes handed in by {@link #of(int, byte[])} with 0.
     */
    public final int typeId()
    {
        return typeId;
    }

    /**
     * The array the section is copied into, of the section's length; the loading thread. Only the first
     * {@link #filled()} bytes hold the section until it is filled.
     *
     * @return the array itself, not a copy; do not change it.
     */
    public final byte[] array()
    {
        return data;
    }

    /**
     * The section's length in bytes; the loading thread.
     *
     * @return the length.
     */
    public final int length()
    {
        return data.length;
    }

    /**
     * How many bytes from the start hold the section's bytes; the loading thread.
     *
     * @return 0 to {@link #length()}.
     */
    public final int filled()
    {
        return filled;
    }

    /**
     * Makes sure the bytes before {@code upTo} (capped at the length) hold the section, copying them if needed; the
     * loading thread.
     *
     * @param upTo the end of the bytes about to be read, exclusive; any value (a {@code long}, so that an offset plus
     *             a length never wraps around).
     */
    public final void fill(final long upTo)
    {
        if (upTo > filled)
        {
            fillTo((int)Math.min(upTo, data.length));
        }
    }

    /**
     * Copies the rest of the section; the loading thread.
     */
    public final void fillAll()
    {
        if (filled < data.length)
        {
            fillTo(data.length);
        }
    }

    private void fillTo(final int upTo)
    {
        final int to = (int)Math.min(data.length, Math.max((long)upTo, (long)filled + FILL_CHUNK_LENGTH));
        if (to > filled)
        {
            copy(filled, to);
            filled = to;
        }
    }

    /**
     * Copies {@code array()[from, to)} from the source; called by {@link #fill(int)} with ascending, adjacent ranges.
     *
     * @param from the first byte, the current {@link #filled()}.
     * @param to   the end, exclusive.
     */
    protected abstract void copy(int from, int to);
}
