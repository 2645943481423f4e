/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import java.util.Optional;

/**
 * The state cells of one replayed run, read-only: it has no write methods. Any thread.
 */
public interface StateView
{
    /**
     * Reads a cell; any thread.
     *
     * @param name the cell name.
     * @return the value and version, or empty.
     */
    Optional<StateValue> get(String name);
}
