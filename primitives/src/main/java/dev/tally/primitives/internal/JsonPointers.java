/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Checks JSON Pointers against the rules of RFC 6901 that the JSON-P provider does not enforce: in a reference token,
 * {@code ~} is followed only by {@code 0} or {@code 1}; a token that addresses an array element is {@code -} or an
 * index written without leading zeros ({@code 0}, {@code 1}, {@code 10}, never {@code 01} or {@code 00}). Whether a
 * token addresses an array depends on the document, so the pointer is followed through it as far as it resolves.
 * Stateless; any thread.
 */
public final class JsonPointers
{
    private JsonPointers()
    {
    }

    /**
     * Checks a pointer against a document; any thread.
     *
     * @param document the document the pointer is evaluated on.
     * @param path     the pointer, {@code ""} or beginning with {@code /}.
     * @param code     the error code to throw: {@link ErrorCode#INVALID_JSON_PATH} or
     *                 {@link ErrorCode#INVALID_JSON_PATCH}.
     * @throws InvalidArgumentException with the code when the pointer breaks RFC 6901.
     */
    public static void check(final JsonValue document, final String path, final ErrorCode code)
    {
        JsonValue current = document;
        int start = 1;
        // Bounded: each pass consumes one reference token of the path.
        while (start <= path.length() && !path.isEmpty())
        {
            final int slash = path.indexOf('/', start);
            final int end = slash < 0 ? path.length() : slash;
            final String token = unescape(path, start, end, code);
            current = step(current, token, path, code);
            start = end + 1;
        }
    }

    /**
     * Checks the {@code path} and {@code from} members of one JSON Patch operation against the document it applies
     * to; members of the wrong type are left to the patch itself; any thread.
     *
     * @param document  the document before the operation.
     * @param operation the operation.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_JSON_PATCH} when a pointer breaks RFC 6901.
     */
    public static void checkOperation(final JsonValue document, final JsonValue operation)
    {
        if (operation instanceof JsonObject object)
        {
            for (final String member : new String[] {"path", "from"})
            {
                if (object.get(member) instanceof JsonString pointer && (pointer.getString().isEmpty() ||
                    pointer.getString().charAt(0) == '/'))
                {
                    check(document, pointer.getString(), ErrorCode.INVALID_JSON_PATCH);
                }
            }
        }
    }

    private static String unescape(final String path, final int start, final int end, final ErrorCode code)
    {
        final int tilde = path.indexOf('~', start);
        if (tilde < 0 || tilde >= end)
        {
            return path.substring(start, end);
        }
        final StringBuilder token = new StringBuilder(end - start);
        for (int i = start; i < end; i++)
        {
            final char c = path.charAt(i);
            if (c != '~')
            {
                token.append(c);
                continue;
            }
            final char next = i + 1 < end ? path.charAt(i + 1) : 0;
            if (next != '0' && next != '1')
            {
                throw new InvalidArgumentException(code, "'~' in a JSON pointer must be followed by '0' or '1': path="
                    + path);
            }
            token.append(next == '0' ? '~' : '/');
            i++;
        }
        return token.toString();
    }

    /** The value a token addresses in a structure, or {@code null} once the pointer no longer resolves. */
    private static JsonValue step(final JsonValue current, final String token, final String path,
        final ErrorCode code)
    {
        if (current instanceof JsonObject object)
        {
            return object.get(token);
        }
        if (!(current instanceof JsonArray array))
        {
            return null;
        }
        if (token.equals("-"))
        {
            return null;
        }
        if (!isArrayIndex(token))
        {
            throw new InvalidArgumentException(code, "an array index in a JSON pointer is '-' or digits without "
                + "leading zeros: path=" + path + ", token=" + token);
        }
        final long index = token.length() > 10 ? Long.MAX_VALUE : Long.parseLong(token);
        return index < array.size() ? array.get((int)index) : null;
    }

    private static boolean isArrayIndex(final String token)
    {
        if (token.isEmpty() || (token.length() > 1 && token.charAt(0) == '0'))
        {
            return false;
        }
        for (int i = 0; i < token.length(); i++)
        {
            final char c = token.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }
}
