/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonStructure;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;

import java.io.StringWriter;
import java.util.Map;

/** The JSON-P provider the engine ships with, and compact and indented writing; stateless, any thread. */
final class Json
{
    static final JsonProvider PROVIDER = JsonProvider.provider();

    private static final JsonWriterFactory PRETTY =
        PROVIDER.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));

    private Json()
    {
    }

    static JsonObjectBuilder object()
    {
        return PROVIDER.createObjectBuilder();
    }

    static String pretty(final JsonStructure value)
    {
        final StringWriter out = new StringWriter();
        try (JsonWriter writer = PRETTY.createWriter(out))
        {
            writer.write(value);
        }
        return out.toString().strip();
    }

    static String nullable(final String value)
    {
        return value == null ? "-" : value;
    }
}
