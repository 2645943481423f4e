/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

/** The places where {@link SimulatedDisk} forces data or names to the device, each of which can be made to fail. */
public enum ForceSite
{
    /** A mapped log range (frames and the segment header slot). */
    LOG,
    /** A new segment file's content, before its rename. */
    SEGMENT_CREATE,
    /** A snapshot file's content, before its rename. */
    SNAPSHOT,
    /** A directory, after a segment creation or deletion or a snapshot rename. */
    DIRECTORY
}
