/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ConflictException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.WalEntryType;
import dev.tally.engine.internal.CommitAction;
import dev.tally.engine.internal.Engine;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.primitives.CanonicalJson;
import dev.tally.primitives.JsonEdits;
import dev.tally.primitives.JsonPrimitive;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * JSON documents (Jakarta JSON-P values) scoped by run, edited by JSON Pointer (RFC 6901) and JSON Patch (RFC 6902).
 * Safe for any number of threads; writes are durable as the database's mode promises when they return.
 *
 * <p>An edit is computed against the current document before the commit and committed only if the document is still
 * that version, else recomputed; the log holds the resulting document, so a failed edit (bad path, failed
 * {@code test} operation) throws before anything is written and leaves the document as it was.
 */
public final class JsonStore
{
    private static final int EDIT_ATTEMPTS_MAX = 10_000;

    private final Engine engine;
    private final JsonPrimitive json;
    private final Checks checks;

    JsonStore(final Engine engine, final JsonPrimitive json, final Checks checks)
    {
        this.engine = engine;
        this.json = json;
        this.checks = checks;
    }

    /**
     * Creates a document; any thread.
     *
     * @param runId    the run, which must be active.
     * @param key      the document key, a valid key.
     * @param document the document; its canonical text must fit the database's value length limit.
     * @throws InvalidArgumentException with {@link ErrorCode#DOCUMENT_ALREADY_EXISTS} when the key has a document, or
     *                                  {@link ErrorCode#VALUE_TOO_LARGE} when the document is too long.
     */
    public void create(final RunId runId, final String key, final JsonValue document)
    {
        final Key k = checks.key(key);
        final PendingEntries entries = new PendingEntries().add(WalEntryType.JSON_CREATE.code(),
            JsonPrimitive.createBody(k, canonical(checks, document)));
        engine.commit(checks.run(runId), entries, new CommitAction<Boolean>()
        {
            @Override
            public Boolean check()
            {
                if (json.get(runId, k) != null)
                {
                    throw new InvalidArgumentException(ErrorCode.DOCUMENT_ALREADY_EXISTS,
                        "document already exists: run=" + runId + ", key=" + key);
                }
                return null;
            }

            @Override
            public Boolean applied(final long position)
            {
                return Boolean.TRUE;
            }
        });
    }

    /**
     * Reads a document; any thread.
     *
     * @param runId the run, which must exist.
     * @param key   the document key.
     * @return the document with its version, or empty.
     */
    public Optional<JsonDoc> get(final RunId runId, final String key)
    {
        checks.runExists(runId);
        final JsonPrimitive.Doc doc = json.get(runId, checks.key(key));
        return doc == null ? Optional.empty() : Optional.of(new JsonDoc(key, doc.value(), doc.version()));
    }

    /**
     * Sets a value at a JSON Pointer: {@code ""} replaces the whole document, an existing member or element is
     * replaced, a missing object member is added, and {@code "-"} (or an index equal to the array's size) appends to
     * an array; any thread.
     *
     * @param runId the run, which must be active.
     * @param key   the document key; the document must exist.
     * @param path  the JSON Pointer.
     * @param value the value.
     * @throws InvalidArgumentException with {@link ErrorCode#DOCUMENT_NOT_FOUND}, {@link ErrorCode#INVALID_JSON_PATH}
     *                                  (nothing is written) or {@link ErrorCode#VALUE_TOO_LARGE}.
     */
    public void set(final RunId runId, final String key, final String path, final JsonValue value)
    {
        edit(runId, key, WalEntryType.JSON_SET.code(), path, doc -> JsonEdits.set(doc, path, value));
    }

    /**
     * Deletes a whole document; any thread. Deleting an absent document writes nothing.
     *
     * @param runId the run, which must be active.
     * @param key   the document key.
     * @return whether the document existed.
     */
    public boolean delete(final RunId runId, final String key)
    {
        final Key k = checks.key(key);
        final PendingEntries entries = new PendingEntries()
            .add(WalEntryType.JSON_DELETE.code(), JsonPrimitive.deleteBody(k));
        return engine.commit(checks.run(runId), entries, new CommitAction<Boolean>()
        {
            @Override
            public Boolean check()
            {
                return json.get(runId, k) == null ? Boolean.FALSE : null;
            }

            @Override
            public Boolean applied(final long position)
            {
                return Boolean.TRUE;
            }
        });
    }

    /**
     * Removes the member or element at a JSON Pointer; any thread.
     *
     * @param runId the run, which must be active.
     * @param key   the document key; the document must exist.
     * @param path  the JSON Pointer of an existing member or element; not {@code ""} (delete the document instead).
     * @throws InvalidArgumentException with {@link ErrorCode#DOCUMENT_NOT_FOUND} or
     *                                  {@link ErrorCode#INVALID_JSON_PATH} (nothing is written).
     */
    public void delete(final RunId runId, final String key, final String path)
    {
        edit(runId, key, WalEntryType.JSON_DELETE.code(), path, doc -> JsonEdits.remove(doc, path));
    }

    /**
     * Applies a JSON Patch atomically: every operation or none; any thread.
     *
     * @param runId the run, which must be active.
     * @param key   the document key; the document must exist and be an object or array.
     * @param patch the operations ({@code add}, {@code remove}, {@code replace}, {@code move}, {@code copy},
     *              {@code test}).
     * @throws InvalidArgumentException with {@link ErrorCode#DOCUMENT_NOT_FOUND},
     *                                  {@link ErrorCode#INVALID_JSON_PATCH} (a malformed patch, a path that does not
     *                                  resolve or a failed {@code test}; nothing is written) or
     *                                  {@link ErrorCode#VALUE_TOO_LARGE}.
     */
    public void patch(final RunId runId, final String key, final JsonArray patch)
    {
        if (patch == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATCH, "JSON patch must not be null");
        }
        edit(runId, key, WalEntryType.JSON_PATCH.code(), CanonicalJson.write(patch),
            doc -> JsonEdits.patch(doc, patch));
    }

    /**
     * Computes an edit against the current document and commits the result if the document has not changed since,
     * recomputing otherwise. The edit runs outside the lock and may run more than once; it is a pure function.
     */
    private void edit(final RunId runId, final String key, final int typeCode, final String operand,
        final UnaryOperator<JsonValue> change)
    {
        final Key k = checks.key(key);
        for (int attempt = 0; attempt < EDIT_ATTEMPTS_MAX; attempt++)
        {
            checks.runExists(runId);
            // Run-state errors come before document errors, as for every other write; the lock re-checks the run.
            checks.runActive(runId);
            final JsonPrimitive.Doc current = json.get(runId, k);
            if (current == null)
            {
                throw notFound(runId, key);
            }
            final String text = canonical(checks, change.apply(current.value()));
            final PendingEntries entries = new PendingEntries()
                .add(typeCode, JsonPrimitive.editBody(typeCode, k, operand, text));
            final Boolean committed = engine.commit(runId, entries, new CommitAction<Boolean>()
            {
                @Override
                public Boolean check()
                {
                    return json.version(runId, k) == current.version() ? null : Boolean.FALSE;
                }

                @Override
                public Boolean applied(final long position)
                {
                    return Boolean.TRUE;
                }
            });
            if (committed)
            {
                return;
            }
            Thread.onSpinWait();
        }
        throw new ConflictException(ErrorCode.VERSION_CONFLICT, "JSON edit lost the race too many times: attempts="
            + EDIT_ATTEMPTS_MAX + ", key=" + key);
    }

    /** The canonical text of a document, checked against the value length limit; any thread. */
    static String canonical(final Checks checks, final JsonValue document)
    {
        final String text = CanonicalJson.write(document);
        checks.textLength("JSON document", CanonicalJson.utf8Length(text));
        return text;
    }

    static InvalidArgumentException notFound(final RunId runId, final String key)
    {
        return new InvalidArgumentException(ErrorCode.DOCUMENT_NOT_FOUND, "document not found: run=" + runId
            + ", key=" + key);
    }
}
