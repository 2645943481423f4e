/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import jakarta.json.JsonValue;

/**
 * A JSON document as read from a {@link JsonStore} or a {@link Transaction}. Immutable (JSON-P values are), so safe to
 * share between threads.
 *
 * @param key      the document's key.
 * @param document the document.
 * @param version  the log position of the document's last write; -1 for a document a transaction wrote and has not
 *                 committed yet.
 */
public record JsonDoc(String key, JsonValue document, long version)
{
}
