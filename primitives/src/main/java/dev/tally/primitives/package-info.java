/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The built-in primitives as state machines: the key-value store, JSON documents, the event log, state cells, traces
 * and the run index. Each applies log entries ({@link dev.tally.core.PrimitiveStorageExt}), writes its snapshot
 * section and reads it back ({@link dev.tally.primitives.LoadablePrimitive}),
 * and answers reads; none opens a file or starts a thread. The engine composes them into a database.
 */
package dev.tally.primitives;
