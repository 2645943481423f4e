/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAL entry type codes are frozen on disk. The table below is copied from the design document's
 * "WAL Entry Types (STABLE)" section (the Rust {@code #[repr(u8)] enum WalEntryType}), with its names as written
 * there; a change to a code, a missing type or an extra type fails here.
 */
@Timeout(10)
class WalEntryTypeTest
{
    private static final Map<String, Integer> DESIGN_TABLE = designTable();

    private static Map<String, Integer> designTable()
    {
        final Map<String, Integer> table = new LinkedHashMap<>();
        // Core (0x00-0x0F) - FROZEN
        table.put("TransactionCommit", 0x00);
        table.put("TransactionAbort", 0x01);
        table.put("SnapshotMarker", 0x02);
        // KV (0x10-0x1F) - FROZEN
        table.put("KvPut", 0x10);
        table.put("KvDelete", 0x11);
        // JSON (0x20-0x2F) - FROZEN
        table.put("JsonCreate", 0x20);
        table.put("JsonSet", 0x21);
        table.put("JsonDelete", 0x22);
        table.put("JsonPatch", 0x23);
        // Event (0x30-0x3F) - FROZEN
        table.put("EventAppend", 0x30);
        // State (0x40-0x4F) - FROZEN
        table.put("StateInit", 0x40);
        table.put("StateSet", 0x41);
        table.put("StateTransition", 0x42);
        // Trace (0x50-0x5F) - FROZEN
        table.put("TraceRecord", 0x50);
        // Run (0x60-0x6F) - FROZEN
        table.put("RunCreate", 0x60);
        table.put("RunUpdate", 0x61);
        table.put("RunEnd", 0x62);
        table.put("RunBegin", 0x63);
        // Vector (0x70-0x7F) - RESERVED for M8
        // Future (0x80-0xFF) - RESERVED
        return table;
    }

    static Stream<Arguments> designRows()
    {
        return DESIGN_TABLE.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static IntStream unassignedCodes()
    {
        return IntStream.range(0, 256).filter(code -> !DESIGN_TABLE.containsValue(code));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("designRows")
    void shouldMatchDesignTableWhenTypeIsLookedUpByName(final String designName, final int code)
    {
        final WalEntryType type = WalEntryType.valueOf(upperSnake(designName));
        assertEquals(code, type.code());
        assertEquals((byte)code, type.codeByte());
        assertEquals(code & 0xF0, type.blockFirst());
        assertSame(type, WalEntryType.fromCode(code));
        assertSame(type, WalEntryType.lookup(code));
        assertFalse(WalEntryType.isReserved(code));
    }

    @Test
    void shouldHaveExactlyTheDesignTypesWhenEnumIsListed()
    {
        assertEquals(18, DESIGN_TABLE.size());
        assertEquals(DESIGN_TABLE.size(), WalEntryType.values().length);
        final Set<WalEntryType> fromTable = EnumSet.noneOf(WalEntryType.class);
        for (final String designName : DESIGN_TABLE.keySet())
        {
            fromTable.add(WalEntryType.valueOf(upperSnake(designName)));
        }
        assertEquals(EnumSet.allOf(WalEntryType.class), fromTable);
        for (final WalEntryType type : WalEntryType.values())
        {
            assertTrue(type.code() < WalEntryType.VECTOR_RANGE_FIRST, type.name());
        }
    }

    @ParameterizedTest(name = "code {0}")
    @MethodSource("unassignedCodes")
    void shouldRejectCodeWhenUnassignedOrReserved(final int code)
    {
        final CorruptDataException ex = assertThrows(CorruptDataException.class, () -> WalEntryType.fromCode(code));
        assertEquals(ErrorCode.UNKNOWN_ENTRY_TYPE, ex.code());
        assertTrue(ex.getMessage().contains("code=0x" + Integer.toHexString(code)), ex.getMessage());
        assertNull(WalEntryType.lookup(code));
        assertEquals(code >= 0x70, WalEntryType.isReserved(code));
    }

    @Test
    void shouldCountUnassignedCodesWhenAllBytesAreTried()
    {
        // 256 codes minus the 18 assigned: 144 reserved (0x70-0xFF) and 94 unassigned in the built-in blocks.
        assertEquals(238, unassignedCodes().count());
        assertEquals(144, unassignedCodes().filter(WalEntryType::isReserved).count());
    }

    @Test
    void shouldReserveVectorAndFutureRangesWhenCodeIsAtOrAbove0x70()
    {
        assertEquals(0x70, WalEntryType.VECTOR_RANGE_FIRST);
        assertEquals(0x80, WalEntryType.FUTURE_RANGE_FIRST);
        assertEquals(16, WalEntryType.BLOCK_LENGTH);
        for (int code = 0; code < 256; code++)
        {
            assertEquals(code >= 0x70, WalEntryType.isReserved(code), "code=" + code);
        }
        assertFalse(WalEntryType.isReserved(0x6f));
        assertTrue(WalEntryType.isReserved(0x70));
        assertTrue(WalEntryType.isReserved(0x7f));
        assertTrue(WalEntryType.isReserved(0x80));
        assertTrue(WalEntryType.isReserved(0xff));
    }

    @Test
    void shouldMaskSignedByteWhenCodeIsReadFromFrame()
    {
        for (final WalEntryType type : WalEntryType.values())
        {
            final byte stored = type.codeByte();
            assertSame(type, WalEntryType.fromCode(stored));
            assertSame(type, WalEntryType.lookup(stored));
        }
        for (int b = Byte.MIN_VALUE; b < 0; b++)
        {
            final int signed = b;
            assertTrue(WalEntryType.isReserved(signed), "byte=" + signed);
            assertNull(WalEntryType.lookup(signed));
            final CorruptDataException ex =
                assertThrows(CorruptDataException.class, () -> WalEntryType.fromCode(signed));
            assertEquals(ErrorCode.UNKNOWN_ENTRY_TYPE, ex.code());
            assertTrue(ex.getMessage().contains("code=0x" + Integer.toHexString(signed & 0xFF)), ex.getMessage());
        }
        assertEquals(-1, (int)(byte)0xff);
        assertTrue(WalEntryType.isReserved((byte)0xff));
        assertTrue(WalEntryType.isReserved((byte)0x80));
        assertFalse(WalEntryType.isReserved((byte)0x63));
    }

    private static String upperSnake(final String camel)
    {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
