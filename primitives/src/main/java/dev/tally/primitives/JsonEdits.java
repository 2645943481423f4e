/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.primitives.internal.JsonPointers;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonPointer;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

/**
 * The edits the JSON primitive offers, as pure functions from a document to a new document: set at a JSON Pointer
 * (RFC 6901), remove at a pointer, apply a JSON Patch (RFC 6902). The input document is never changed (JSON-P values
 * are immutable); a failed edit throws and produces nothing. Stateless; any thread.
 *
 * <p>Design note: the engine logs the document an edit produces, not the edit, so these functions run once, before
 * the commit, and never during apply or recovery; a change in the JSON-P provider's edit semantics therefore cannot
 * change what recovery rebuilds.
 */
public final class JsonEdits
{
    private JsonEdits()
    {
    }

    /**
     * Sets a value at a pointer: {@code ""} replaces the whole document; an existing object member or array element
     * is replaced; a missing object member is added; {@code "-"} (or the index equal to the array's size) appends to
     * an array; any thread.
     *
     * @param document the current document.
     * @param path     the JSON Pointer.
     * @param value    the value to put there.
     * @return the new document.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_JSON_PATH} when the pointer is malformed, its
     *                                  parent does not exist, or an index is out of range.
     */
    public static JsonValue set(final JsonValue document, final String path, final JsonValue value)
    {
        if (value == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "JSON value must not be null; use JsonValue.NULL");
        }
        if (checkPath(path).isEmpty())
        {
            return value;
        }
        final JsonStructure target = structure(document, path);
        JsonPointers.check(target, path, ErrorCode.INVALID_JSON_PATH);
        try
        {
            final JsonPointer pointer = CanonicalJson.PROVIDER.createPointer(path);
            return pointer.containsValue(target) ? pointer.replace(target, value) : pointer.add(target, value);
        }
        catch (final JsonException ex)
        {
            throw invalidPath(path, ex);
        }
    }

    /**
     * Removes the value at a pointer; any thread.
     *
     * @param document the current document.
     * @param path     the JSON Pointer of an existing member or element; not {@code ""}.
     * @return the new document.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_JSON_PATH} when the pointer is malformed, is the
     *                                  root, or names nothing.
     */
    public static JsonValue remove(final JsonValue document, final String path)
    {
        if (checkPath(path).isEmpty())
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATH,
                "the root cannot be removed at a path; delete the document instead");
        }
        final JsonStructure target = structure(document, path);
        JsonPointers.check(target, path, ErrorCode.INVALID_JSON_PATH);
        try
        {
            return CanonicalJson.PROVIDER.createPointer(path).remove(target);
        }
        catch (final JsonException ex)
        {
            throw invalidPath(path, ex);
        }
    }

    /**
     * Applies a JSON Patch, all operations or none; any thread.
     *
     * @param document the current document, an object or an array.
     * @param patch    the patch: an array of operations ({@code add}, {@code remove}, {@code replace}, {@code move},
     *                 {@code copy}, {@code test}).
     * @return the new document.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_JSON_PATCH} when the patch is malformed, an
     *                                  operation's path does not resolve, a {@code test} fails, or the document is
     *                                  not an object or array.
     */
    public static JsonValue patch(final JsonValue document, final JsonArray patch)
    {
        if (patch == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATCH, "JSON patch must not be null");
        }
        if (!(document instanceof JsonStructure target))
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATCH,
                "a JSON patch applies to an object or array document: type=" + document.getValueType());
        }
        try
        {
            // One operation at a time, so that each pointer is checked against the document it applies to; the
            // intermediate documents are dropped if a later operation fails, which keeps the patch all or nothing.
            JsonStructure current = target;
            for (final JsonValue operation : patch)
            {
                JsonPointers.checkOperation(current, operation);
                current = CanonicalJson.PROVIDER.createPatch(CanonicalJson.PROVIDER.createArrayBuilder()
                    .add(operation).build()).apply(current);
            }
            return current;
        }
        catch (final JsonException | ClassCastException ex)
        {
            // A member of the wrong JSON type (a numeric "path", say) surfaces as a ClassCastException in JSON-P.
            throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATCH, "JSON patch failed: "
                + ex.getMessage(), ex);
        }
    }

    private static String checkPath(final String path)
    {
        if (path == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATH, "JSON pointer must not be null");
        }
        if (!path.isEmpty() && path.charAt(0) != '/')
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATH,
                "a non-empty JSON pointer must begin with '/': path=" + path);
        }
        return path;
    }

    private static JsonStructure structure(final JsonValue document, final String path)
    {
        if (document instanceof JsonStructure structure)
        {
            return structure;
        }
        throw new InvalidArgumentException(ErrorCode.INVALID_JSON_PATH,
            "only the root of a scalar document can be addressed: path=" + path + ", type="
            + document.getValueType());
    }

    private static InvalidArgumentException invalidPath(final String path, final JsonException ex)
    {
        return new InvalidArgumentException(ErrorCode.INVALID_JSON_PATH,
            "JSON pointer does not resolve: path=" + path + ", reason=" + ex.getMessage(), ex);
    }
}
