/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one canonical text of a JSON value, which the JSON primitive stores, logs and hashes, so that equal documents
 * give equal bytes however they were built. Stateless; any thread.
 *
 * <p>The rules (stored on disk; changing them needs a new format version):
 * <ul>
 *   <li>no whitespace anywhere;</li>
 *   <li>object members sorted by name in Unicode code point order (the order of their UTF-8 bytes);</li>
 *   <li>strings escape only {@code "} as {@code \"}, {@code \} as {@code \\}, the controls U+0008, U+0009, U+000A,
 *       U+000C, U+000D as {@code \b \t \n \f \r}, every other control below U+0020 and every unpaired surrogate
 *       as {@code \}{@code u} with four lower-case hex digits; all other characters are written as themselves, so the
 *       text is always well-formed UTF-16 and UTF-8;</li>
 *   <li>numbers as {@link JsonNumber#toString()} of Eclipse Parsson ({@code BigDecimal.toString()} of the number),
 *       literals as {@code true}, {@code false}, {@code null};</li>
 *   <li>nesting at most {@link #DEPTH_MAX} arrays and objects deep, below the parser's own limit, so every canonical
 *       text parses back.</li>
 * </ul>
 */
public final class CanonicalJson
{
    /** The deepest nesting of arrays and objects a document may have. */
    public static final int DEPTH_MAX = 500;

    /** The JSON-P provider, looked up once: {@code Json.createX} looks it up again on every call. */
    public static final JsonProvider PROVIDER = JsonProvider.provider();

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson()
    {
    }

    /**
     * The canonical text of a value; any thread.
     *
     * @param value the value.
     * @return the text.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when the value is {@code null} or
     *                                  nested deeper than {@link #DEPTH_MAX}.
     */
    public static String write(final JsonValue value)
    {
        if (value == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "JSON value must not be null; use JsonValue.NULL");
        }
        final StringBuilder out = new StringBuilder(64);
        writeValue(out, value, 0);
        return out.toString();
    }

    /**
     * Parses text this class wrote (or any JSON text) back into a value; any thread.
     *
     * @param text the text.
     * @return the value.
     * @throws CorruptDataException when the text is not JSON; stored text always is.
     */
    public static JsonValue parse(final String text)
    {
        try (JsonReader reader = PROVIDER.createReader(new StringReader(text)))
        {
            return reader.readValue();
        }
        catch (final JsonException ex)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "stored JSON text does not parse: "
                + ex.getMessage(), ex);
        }
    }

    /**
     * The number of UTF-8 bytes of a canonical text (which is always well-formed); any thread.
     *
     * @param text the text.
     * @return the length in bytes.
     */
    public static int utf8Length(final String text)
    {
        final int n = text.length();
        int length = 0;
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            // A surrogate pair is four bytes: two for each of its halves.
            length += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return length;
    }

    /**
     * Compares two strings by Unicode code point, which is the order of their UTF-8 bytes; any thread.
     *
     * @param a one string.
     * @param b another.
     * @return negative, zero or positive.
     */
    public static int compareCodePoints(final String a, final String b)
    {
        final int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++)
        {
            final char ca = a.charAt(i);
            final char cb = b.charAt(i);
            if (ca != cb)
            {
                // Surrogates (U+D800-U+DFFF) encode code points above U+FFFF, so they sort after U+E000-U+FFFF.
                final boolean sa = Character.isSurrogate(ca);
                final boolean sb = Character.isSurrogate(cb);
                if (sa != sb)
                {
                    return sa ? 1 : -1;
                }
                return ca - cb;
            }
        }
        return a.length() - b.length();
    }

    private static void writeValue(final StringBuilder out, final JsonValue value, final int depth)
    {
        switch (value.getValueType())
        {
            case OBJECT -> writeObject(out, value.asJsonObject(), depth + 1);
            case ARRAY -> writeArray(out, value.asJsonArray(), depth + 1);
            case STRING -> writeString(out, ((JsonString)value).getString());
            case NUMBER -> out.append(value.toString());
            case TRUE -> out.append("true");
            case FALSE -> out.append("false");
            default -> out.append("null");
        }
    }

    private static void writeObject(final StringBuilder out, final JsonObject object, final int depth)
    {
        checkDepth(depth);
        final List<Map.Entry<String, JsonValue>> members = new ArrayList<>(object.entrySet());
        members.sort((x, y) -> compareCodePoints(x.getKey(), y.getKey()));
        out.append('{');
        for (int i = 0; i < members.size(); i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            writeString(out, members.get(i).getKey());
            out.append(':');
            writeValue(out, members.get(i).getValue(), depth);
        }
        out.append('}');
    }

    private static void writeArray(final StringBuilder out, final JsonArray array, final int depth)
    {
        checkDepth(depth);
        out.append('[');
        for (int i = 0; i < array.size(); i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            writeValue(out, array.get(i), depth);
        }
        out.append(']');
    }

    private static void checkDepth(final int depth)
    {
        if (depth > DEPTH_MAX)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "JSON document nested too deeply: depthMax=" + DEPTH_MAX);
        }
    }

    private static void writeString(final StringBuilder out, final String text)
    {
        out.append('"');
        final int n = text.length();
        int i = 0;
        while (i < n)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> writeOther(out, text, i, c);
            }
            i += Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
        }
        out.append('"');
    }

    private static void writeOther(final StringBuilder out, final String text, final int index, final char c)
    {
        if (c < 0x20)
        {
            writeUnicodeEscape(out, c);
        }
        else if (Character.isHighSurrogate(c) && index + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(index + 1)))
        {
            out.append(c).append(text.charAt(index + 1));
        }
        else if (Character.isSurrogate(c))
        {
            writeUnicodeEscape(out, c);
        }
        else
        {
            out.append(c);
        }
    }

    private static void writeUnicodeEscape(final StringBuilder out, final char c)
    {
        out.append("\\u").append(HEX[(c >>> 12) & 0xF]).append(HEX[(c >>> 8) & 0xF]).append(HEX[(c >>> 4) & 0xF])
            .append(HEX[c & 0xF]);
    }
}
