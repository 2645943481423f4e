/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The write-ahead log: an append-only, memory-mapped, CRC32-framed segmented log with one writer ({@link
 * dev.tally.wal.WalWriter}), a validating scanner ({@link dev.tally.wal.WalScanner}) and a directory lock. The format
 * is described by {@link dev.tally.wal.SegmentDescriptor} and {@link dev.tally.wal.FrameDescriptor}.
 */
package dev.tally.wal;
