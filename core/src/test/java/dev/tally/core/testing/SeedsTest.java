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
    void shouldRejectPropertyWhenNotDecimalLong()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Seeds.seeds("0xabc", 99L, 1L));
        assertEquals("-Dtests.seed must be a decimal long: value=0xabc", ex.getMessage());
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
