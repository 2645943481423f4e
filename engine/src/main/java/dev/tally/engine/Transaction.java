/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Value;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.util.Optional;
import java.util.OptionalLong;

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
     * Reads the integer of a state cell that holds only integers, as the transaction sees it.
     *
     * @param name the cell name.
     * @return the integer, or empty when the cell is absent.
     * @throws dev.tally.core.InvalidArgumentException with {@link dev.tally.core.ErrorCode#TYPE_MISMATCH} naming the
     *                                                 stored type when the cell does not hold an integer.
     */
    default OptionalLong cellLong(final String name)
    {
        final Optional<StateValue> cell = cell(name);
        return cell.isEmpty() ? OptionalLong.empty() : OptionalLong.of(cell.get().value().asLong());
    }

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

    /**
     * Reads a JSON document of the transaction's run; the version read is checked again at commit.
     *
     * @param key the document key.
     * @return the document (version -1 if this transaction wrote it), or empty.
     */
    Optional<JsonDoc> json(String key);

    /**
     * Creates a JSON document.
     *
     * @param key      the document key.
     * @param document the document.
     * @throws dev.tally.core.InvalidArgumentException with {@code DOCUMENT_ALREADY_EXISTS} when the transaction sees a
     *                                                 document at the key.
     */
    void createJson(String key, JsonValue document);

    /**
     * Sets a value at a JSON Pointer in a document, as {@link JsonStore#set} does, against the document as the
     * transaction sees it.
     *
     * @param key   the document key; the document must exist.
     * @param path  the JSON Pointer.
     * @param value the value.
     * @throws dev.tally.core.InvalidArgumentException with {@code DOCUMENT_NOT_FOUND} or {@code INVALID_JSON_PATH};
     *                                                 thrown from the body, it stops the whole transaction.
     */
    void setJson(String key, String path, JsonValue value);

    /**
     * Applies a JSON Patch to a document, as {@link JsonStore#patch} does, against the document as the transaction
     * sees it.
     *
     * @param key   the document key; the document must exist.
     * @param patch the operations.
     * @throws dev.tally.core.InvalidArgumentException with {@code DOCUMENT_NOT_FOUND} or {@code INVALID_JSON_PATCH};
     *                                                 thrown from the body, it stops the whole transaction.
     */
    void patchJson(String key, JsonArray patch);

    /**
     * Deletes a whole JSON document.
     *
     * @param key the document key.
     * @return whether it existed (as the transaction sees it).
     */
    boolean deleteJson(String key);

    /**
     * Records a span, as {@link TraceStore#record(dev.tally.core.RunId, SpanRecord)} does; the parent may be a span
     * this transaction recorded.
     *
     * @param span the span.
     * @return the span id it gets if the transaction commits.
     * @throws dev.tally.core.InvalidArgumentException with {@code SPAN_NOT_FOUND} when the parent is not a span of
     *                                                 the run and trace; thrown from the body, it stops the whole
     *                                                 transaction.
     */
    String recordSpan(SpanRecord span);
}
