/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

/**
 * How {@link SnapshotReader#load} hands a snapshot's sections to a loader. Either way every byte is checked against
 * the file's CRC before the load returns.
 */
public enum SectionAccess
{
    /**
     * Each section is copied out of the file into an array on the heap. What a loader keeps does not depend on the
     * file afterwards, and reading it never touches the file system; opening costs a copy of every byte.
     */
    COPIED,

    /**
     * Each section is read in place from the file's read-only mapping, with no copy ({@link SectionBytes#inPlace()});
     * a loader that keeps the buffer keeps the mapping, so its state is the file's pages in the operating system's
     * page cache. Opening reads every byte once; a later read may fault a page back in from the file, and the file
     * must not be changed while a loader's state uses it (it may be deleted: the mapping keeps its pages). A loader
     * that reads only {@link SectionBytes#array()} gets a copy, as with {@link #COPIED}.
     */
    IN_PLACE
}
