/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The INMEM_SNAP snapshot format: {@link dev.tally.snapshot.SnapshotWriter} writes a snapshot atomically,
 * {@link dev.tally.snapshot.SnapshotReader} validates a whole file before handing out any section, and
 * {@link dev.tally.snapshot.SnapshotDirectory} lists and retains the snapshots of a directory. The format is
 * described by {@link dev.tally.snapshot.SnapshotDescriptor}.
 */
package dev.tally.snapshot;
