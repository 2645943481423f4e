/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The differences between two replayed views, computed from their canonical JSON renderings: every item added,
 * removed or modified, sorted by primitive then key, and the same difference as an RFC 6902 JSON Patch. Immutable;
 * any thread.
 *
 * <p>Design note: the diff works on the renderings, not on the primitives, so it needs nothing but the two JSON
 * documents and treats every primitive alike. A primitive rendered as an object is keyed by its member names
 * (compared by code point, which is the order of their UTF-8 bytes); one rendered as an array (the events) is keyed
 * by each element's {@code sequence} member, compared as a number.
 */
public final class RunDiff
{
    private static final String SEQUENCE = "sequence";

    private final JsonObject from;
    private final JsonObject to;
    private final List<DiffEntry> entries;

    private RunDiff(final JsonObject from, final JsonObject to, final List<DiffEntry> entries)
    {
        this.from = from;
        this.to = to;
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * Diffs two renderings; any thread.
     *
     * @param from the first view's rendering.
     * @param to   the second view's rendering.
     * @return the differences from the first to the second.
     */
    public static RunDiff between(final JsonObject from, final JsonObject to)
    {
        final TreeSet<String> primitives = new TreeSet<>(RunDiff::compareCodePoints);
        primitives.addAll(from.keySet());
        primitives.addAll(to.keySet());
        final List<DiffEntry> entries = new ArrayList<>();
        for (final String primitive : primitives)
        {
            diffItems(primitive, items(from.get(primitive)), items(to.get(primitive)), entries);
        }
        return new RunDiff(from, to, entries);
    }

    /**
     * The differences, sorted by primitive then key; any thread.
     *
     * @return an unmodifiable list.
     */
    public List<DiffEntry> entries()
    {
        return entries;
    }

    /**
     * Whether the two views are equal; any thread.
     *
     * @return whether there is no difference.
     */
    public boolean isEmpty()
    {
        return entries.isEmpty();
    }

    /**
     * An RFC 6902 JSON Patch that turns the first view's rendering into the second's; any thread.
     *
     * @return the patch operations.
     */
    public JsonArray toJsonPatch()
    {
        return Json.createDiff(from, to).toJsonArray();
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "RunDiff" + entries;
    }

    private static void diffItems(final String primitive, final Map<Object, JsonValue> before,
        final Map<Object, JsonValue> after, final List<DiffEntry> out)
    {
        final TreeSet<Object> keys = new TreeSet<>(KEY_ORDER);
        keys.addAll(before.keySet());
        keys.addAll(after.keySet());
        for (final Object key : keys)
        {
            final JsonValue a = before.get(key);
            final JsonValue b = after.get(key);
            if (a == null)
            {
                out.add(new DiffEntry(primitive, key.toString(), DiffEntry.Kind.ADDED, null, b));
            }
            else if (b == null)
            {
                out.add(new DiffEntry(primitive, key.toString(), DiffEntry.Kind.REMOVED, a, null));
            }
            else if (!a.equals(b))
            {
                out.add(new DiffEntry(primitive, key.toString(), DiffEntry.Kind.MODIFIED, a, b));
            }
        }
    }

    private static Map<Object, JsonValue> items(final JsonValue value)
    {
        final Map<Object, JsonValue> items = new TreeMap<>(KEY_ORDER);
        if (value instanceof JsonObject object)
        {
            items.putAll(object);
        }
        else if (value instanceof JsonArray array)
        {
            for (int i = 0; i < array.size(); i++)
            {
                final JsonValue element = array.get(i);
                final JsonValue sequence = element instanceof JsonObject o ? o.get(SEQUENCE) : null;
                items.put(sequence instanceof JsonNumber n ? n.longValue() : (long)i, element);
            }
        }
        else if (value != null)
        {
            items.put("", value);
        }
        return items;
    }

    private static final Comparator<Object> KEY_ORDER = (a, b) ->
    {
        if (a instanceof Long x && b instanceof Long y)
        {
            return Long.compare(x, y);
        }
        if (a instanceof String x && b instanceof String y)
        {
            return compareCodePoints(x, y);
        }
        return a instanceof Long ? -1 : 1;
    };

    private static int compareCodePoints(final String a, final String b)
    {
        int i = 0;
        int j = 0;
        // Bounded by the lengths of both strings: each pass advances both indexes by one code point.
        while (i < a.length() && j < b.length())
        {
            final int x = a.codePointAt(i);
            final int y = b.codePointAt(j);
            if (x != y)
            {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
