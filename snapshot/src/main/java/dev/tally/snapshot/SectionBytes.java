/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One section's bytes while a snapshot loads, taken by the loader on demand and in order: the loader calls
 * {@link #fill(long)} before it reads past {@link #filled()}. The bytes come one of two ways ({@link SectionAccess}):
 * copied into an array of the section's length whose prefix {@code [0, filled())} holds them ({@link #array()}), or
 * read in place from the file's mapping ({@link #inPlace()}), where filling copies nothing and only tells the reader
 * how far the loader has read. Used by the loading thread only.
 *
 * <p>Design note: loading a snapshot is bound by memory traffic: the bytes are read out of the file, checksummed and
 * then checked entry by entry. Taking them in small chunks as the loader asks lets the loader check each chunk while
 * it is still in the processor's cache, and the CRC can run on another thread right behind it. Read in place, a
 * section is not copied at all: a loader that keeps the buffer keeps the mapping, and the file's bytes are its state.
 * The CRC is still compared before {@link SnapshotReader#load} returns; a loader must treat what it built as
 * provisional until then.
 */
public abstract class SectionBytes
{
    /** Bytes taken at least per {@link #fill(long)} that takes any: small enough to stay in a core's cache. */
    public static final int FILL_CHUNK_LENGTH = 64 * 1024;

    private final int typeId;
    private final int length;
    private final ByteBuffer inPlace;
    private byte[] data;
    private int filled;

    /**
     * Creates the view of one section copied into an array; for the snapshot reader's subclasses, and for tests that
     * feed a loader bytes in pieces.
     *
     * @param typeId the section's type id.
     * @param data   the array the section is copied into, of the section's length.
     * @param filled how many bytes of it already hold the section.
     */
    protected SectionBytes(final int typeId, final byte[] data, final int filled)
    {
        this.typeId = typeId;
        this.data = Objects.requireNonNull(data, "data");
        this.length = data.length;
        this.inPlace = null;
        if (filled < 0 || filled > data.length)
        {
            throw new IllegalArgumentException("filled out of range: filled=" + filled + ", length=" + data.length);
        }
        this.filled = filled;
    }

    /**
     * Creates the view of one section read in place; for the snapshot reader's subclasses, and for tests.
     *
     * @param typeId  the section's type id.
     * @param inPlace the section's bytes from position 0 to the limit; kept as a read-only, big-endian duplicate.
     */
    protected SectionBytes(final int typeId, final ByteBuffer inPlace)
    {
        this.typeId = typeId;
        this.inPlace = inPlace.slice().asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
        this.length = this.inPlace.limit();
        this.data = null;
        this.filled = 0;
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
            protected void supply(final int from, final int to)
            {
                throw new IllegalStateException("a filled section has nothing to copy: from=" + from + ", to=" + to);
            }
        };
    }

    /**
     * A section read in place from a buffer, as a mapped snapshot hands it over; any thread creates it, one thread
     * uses it.
     *
     * @param typeId the section's type id, or 0 when the bytes do not come from a snapshot file.
     * @param bytes  the section bytes from its position to its limit; shared, not copied.
     * @return the section, nothing of it filled yet.
     */
    public static SectionBytes inPlace(final int typeId, final ByteBuffer bytes)
    {
        return new SectionBytes(typeId, bytes)
        {
            @Override
            protected void supply(final int from, final int to)
            {
                // Nothing to do: the bytes are there; only the reader's checksum follows the fill.
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
     * The section's bytes read in place, or {@code null} when they are copied into {@link #array()}; the loading
     * thread. A loader may keep the buffer as its state: it stays valid while it is reachable, but holds the file's
     * mapping until then.
     *
     * @return a read-only, big-endian buffer whose positions 0 to its limit are the section, or {@code null}.
     */
    public final ByteBuffer inPlace()
    {
        return inPlace == null ? null : inPlace.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /**
     * The array the section is copied into, of the section's length; the loading thread. Only the first
     * {@link #filled()} bytes hold the section until it is filled. For a section read in place, the first call fills
     * the whole section and copies it into a new array.
     *
     * @return the array itself, not a copy; do not change it.
     */
    public final byte[] array()
    {
        if (data == null)
        {
            fillAll();
            final byte[] copy = new byte[length];
            inPlace.get(0, copy);
            data = copy;
        }
        return data;
    }

    /**
     * The section's length in bytes; the loading thread.
     *
     * @return the length.
     */
    public final int length()
    {
        return length;
    }

    /**
     * How many bytes from the start the loader has taken; the loading thread.
     *
     * @return 0 to {@link #length()}.
     */
    public final int filled()
    {
        return filled;
    }

    /**
     * Makes sure the bytes before {@code upTo} (capped at the length) are taken, copying them if needed; the loading
     * thread.
     *
     * @param upTo the end of the bytes about to be read, exclusive; any value (a {@code long}, so that an offset plus
     *             a length never wraps around).
     */
    public final void fill(final long upTo)
    {
        if (upTo > filled)
        {
            fillTo((int)Math.min(upTo, length));
        }
    }

    /**
     * Takes the rest of the section; the loading thread.
     */
    public final void fillAll()
    {
        if (filled < length)
        {
            fillTo(length);
        }
    }

    private void fillTo(final int upTo)
    {
        final int to = (int)Math.min(length, Math.max((long)upTo, (long)filled + FILL_CHUNK_LENGTH));
        if (to > filled)
        {
            supply(filled, to);
            filled = to;
        }
    }

    /**
     * Supplies {@code [from, to)}: copies it into {@code array()}, or for a section read in place only notes that the
     * loader reads it now; called by {@link #fill(long)} with ascending, adjacent ranges.
     *
     * @param from the first byte, the current {@link #filled()}.
     * @param to   the end, exclusive.
     */
    protected abstract void supply(int from, int to);
}
