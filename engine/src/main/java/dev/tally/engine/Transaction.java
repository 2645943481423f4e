/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Value;

import java.util.Optional;

/**
 * The view a transaction body works through: reads see the committed state plus the transaction's own writes; writes
 * are buffered and become visible and durable together at commit, or not at all. Used only by the thread running the
 * body, and only during the body.
 */
public interface Transaction
{
    /**
     * Reads a key of the transaction's run.
     *
     * @param key the key.
     * @return the value, or empty.
     */
    Optional<Value> get(String key);

    /**
     * Writes a key.
     *
     * @param key   the key.
     * @param value the value.
     */
    void put(String key, Value value);

    /**
     * Deletes a key.
     *
     * @param key the key.
     * @return whether it existed (as the transaction sees it).
     */
    boolean delete(String key);

    /**
     * Appends an event.
     *
     * @param type    the event type.
     * @param payload the payload.
     * @return the sequence the event gets if the transaction commits.
     */
    long append(String type, Value payload);

    /**
     * The number of events of the run, counting the transaction's own appends.
     *
     * @return the count.
     */
    long eventCount();

    /**
     * Reads a state cell.
     *
     * @param name the cell name.
     * @return the value and version, or empty.
     */
    Optional<StateValue> cell(String name);

    /**
     * Sets a state cell, creating it when absent.
     *
     * @param name  the cell name.
     * @param value the value.
     * @return the version the cell gets if the transaction commits.
     */
    long setCell(String name, Value value);

    /**
     * Creates a state cell if absent.
     *
     * @param name  the cell name.
     * @param value the value.
     * @return whether it will be created.
     */
    boolean initCell(String name, Value value);

    /**
     * Compare-and-set on a state cell, against the version the transaction sees.
     *
     * @param name            the cell name; the cell must exist.
     * @param expectedVersion the expected version.
     * @param value           the new value.
     * @return the version it gets, or a conflict.
     */
    CasResult casCell(String name, long expectedVersion, Value value);
}
