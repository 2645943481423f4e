/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class SeedsTest
{
    @Test
    void shouldRunFixedSeedsPlusRandomWhenPropertyAbsentOrEmpty()
    {
        assertEquals(List.of(1L, 2L, 99L), Seeds.seeds(null, 99L, 1L, 2L));
        assertEquals(List.of(1L, 2L, 99L), Seeds.seeds("", 99L, 1L, 2L));
        assertEquals(List.of(1L, 2L, 99L), Seeds.seeds("  ", 99L, 1L, 2L));
        assertEquals(List.of(99L), Seeds.seeds(null, 99L));
    }

    @Test
    void shouldRunOnlyGivenSeedWhenPropertySet()
    {
        assertEquals(List.of(-7L), Seeds.seeds("-7", 99L, 1L, 2L));
        assertEquals(List.of(Long.MIN_VALUE), Seeds.seeds(" " + Long.MIN_VALUE + " ", 99L, 1L));
    }

    @Test
    void shouldReadHexSeedWhenPropertyStartsWith0x()
    {
        assertEquals(List.of(0xabcL), Seeds.seeds("0xabc", 99L, 1L));
        assertEquals(List.of(0xABCL), Seeds.seeds(" 0XABC ", 99L, 1L));
        assertEquals(-1L, Seeds.parse("0xffffffffffffffff"));
        assertEquals(0x9E3779B97F4A7C15L, Seeds.parse("0x9E3779B97F4A7C15"));
    }

    @Test
    void shouldReadSameSeedWhenWrittenInDecimalOrHex()
    {
        for (final long seed : new long[] {0L, 1L, -1L, 42L, Long.MIN_VALUE, Long.MAX_VALUE, 0x9E3779B97F4A7C15L})
        {
            assertEquals(seed, Seeds.parse(Long.toString(seed)), "decimal " + seed);
            assertEquals(seed, Seeds.parse("0x" + Long.toHexString(seed)), "hex " + seed);
        }
    }

    @Test
    void shouldRejectPropertyWhenNeitherDecimalNorHex()
    {
        for (final String text : new String[] {"abc", "0x", "0x-1", "0x+1", "0x10000000000000000", "1.5", "0xg"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Seeds.seeds(text, 99L, 1L), text);
            assertEquals("-Dtests.seed must be a decimal long or 0x and up to 16 hex digits: value=" + text,
                ex.getMessage());
        }
    }

    @Test
    void shouldNameRerunPropertyWhenDescribingSeed()
    {
        assertEquals("seed=-42 (rerun with -Dtests.seed=-42)", Seeds.describe(-42L));
    }

    @Test
    void shouldReturnNonEmptyListWhenCalledWithGlobalProperty()
    {
        assertFalse(Seeds.seeds(3L).isEmpty());
    }
}
