/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

/**
 * What {@link WalScanner#scan} does with a torn tail. Any thread.
 */
public enum ScanMode
{
    /** Report the torn tail but change nothing on disk. */
    READ_ONLY,
    /** Cut the torn tail: zero its bytes and force, so that the writer can reopen at the end. */
    REPAIR
}
