/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Value;

/**
 * A state cell's value and version (1 when created, plus one per change). Immutable.
 *
 * @param value   the value.
 * @param version the version.
 */
public record StateValue(Value value, long version)
{
}
