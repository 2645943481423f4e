/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

/** The named places where {@link SimulatedDisk} can crash. */
public enum CrashPoint
{
    /** Before a frame is appended to the mapped log (through the log writer wrapper). */
    BEFORE_FRAME_WRITE,
    /** After a frame was appended to the mapped log, before any force. */
    AFTER_FRAME_WRITE,
    /** Before a mapped log range is forced. */
    BEFORE_FORCE,
    /** After a mapped log range was forced. */
    AFTER_FORCE,
    /** At the start of creating a new segment file. */
    SEGMENT_ROLL,
    /** Before a snapshot file is created and before each write to it. */
    SNAPSHOT_WRITE,
    /** Before a rename (a new segment or a snapshot getting its final name). */
    RENAME,
    /** Before a directory force. */
    DIRECTORY_FORCE,
    /** Before a log segment is deleted. */
    SEGMENT_RECLAIM
}
