/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Implementation of the writer pipeline (the writer thread's wait strategy, its flight recorder events); imported by
 * the {@code pipeline} module only.
 */
package dev.tally.pipeline.internal;
