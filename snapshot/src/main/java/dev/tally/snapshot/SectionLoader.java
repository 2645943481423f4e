/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

/**
 * Takes a snapshot's sections as {@link SnapshotReader#load} copies them out of the file, in file order. Called on the
 * loading thread only. What a loader builds is provisional until {@code load} returns: a file that fails its CRC
 * fails after some sections were handed over, and the caller must then drop what the loader built.
 */
public interface SectionLoader
{
    /**
     * Sees the header and every section's type id before any section is handed over.
     *
     * @param header  the parsed header.
     * @param typeIds the section type ids, ascending; a copy.
     * @throws dev.tally.core.CorruptDataException to refuse the snapshot (reported as a CRC mismatch instead when the
     *                                            file also fails its CRC).
     */
    void begin(SnapshotHeader header, int[] typeIds);

    /**
     * Takes one section. The loader fills as much of it as it reads; the reader fills the rest afterwards.
     *
     * @param section the section; the object is for this call only, but its array, once filled, may be kept.
     * @throws RuntimeException a {@link dev.tally.core.CorruptDataException} when the section does not decode;
     *                          whatever it throws is reported as a CRC mismatch instead when the file fails its CRC.
     */
    void load(SectionBytes section);
}
