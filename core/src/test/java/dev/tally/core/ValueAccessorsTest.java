/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed accessors of {@link Value}: each returns its own variant's content and fails every other variant with
 * {@code TYPE_MISMATCH}, naming the expected and the actual type.
 */
@Timeout(10)
class ValueAccessorsTest
{
    private static final List<Value> ONE_OF_EACH = List.of(Value.NULL, Value.TRUE, Value.of(42L), Value.of(1.5),
        Value.of("text"), Value.of(new byte[] {1, 2}));

    @Test
    void shouldReturnTheContentWhenTheVariantMatches()
    {
        assertEquals(42L, Value.of(42L).asLong());
        assertEquals(1.5, Value.of(1.5).asDouble());
        assertEquals("text", Value.of("text").asString());
        assertTrue(Value.TRUE.asBoolean());
        assertFalse(Value.FALSE.asBoolean());
        assertTrue(Value.NULL.isNull());
        assertFalse(Value.of(0L).isNull());
        final Value bytes = Value.of(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, bytes.asBytes());
        assertNotSame(bytes.asBytes(), bytes.asBytes(), "each call returns a copy, so the value stays immutable");
    }

    @Test
    void shouldFailWithTypeMismatchNamingBothTypesWhenTheVariantDiffers()
    {
        assertMismatch("i64", Value::asLong);
        assertMismatch("f64", Value::asDouble);
        assertMismatch("string", Value::asString);
        assertMismatch("bytes", Value::asBytes);
        assertMismatch("bool", Value::asBoolean);
    }

    @Test
    void shouldNameEveryVariantWhenAskedForItsType()
    {
        assertEquals(List.of("null", "bool", "i64", "f64", "string", "bytes"),
            ONE_OF_EACH.stream().map(Value::typeName).toList());
    }

    private static void assertMismatch(final String expected, final Function<Value, Object> accessor)
    {
        int mismatches = 0;
        for (final Value value : ONE_OF_EACH)
        {
            if (value.typeName().equals(expected))
            {
                accessor.apply(value);
                continue;
            }
            final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
                () -> accessor.apply(value));
            assertEquals(ErrorCode.TYPE_MISMATCH, ex.code());
            assertTrue(ex.getMessage().contains("expected=" + expected + ", actual=" + value.typeName()),
                ex.getMessage());
            mismatches++;
        }
        assertEquals(ONE_OF_EACH.size() - 1, mismatches);
    }
}
