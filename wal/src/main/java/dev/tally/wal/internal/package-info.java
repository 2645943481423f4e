/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Implementation of the write-ahead log; imported by the {@code wal} module only.
 */
package dev.tally.wal.internal;
