/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Implementation of the snapshot format; imported by the {@code snapshot} module only.
 */
package dev.tally.snapshot.internal;
