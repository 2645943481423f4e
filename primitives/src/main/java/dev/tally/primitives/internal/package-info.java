/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Implementation of the primitives (the key-value base and bulk run, section framing, sorted entries, JSON pointers);
 * imported by the {@code primitives} module only.
 */
package dev.tally.primitives.internal;
