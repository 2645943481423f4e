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

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error code numbers are printed in logs and never change. The whole table is written out here, so renumbering,
 * renaming, removing or adding a code fails this test and has to be a deliberate edit of both places.
 */
@Timeout(10)
class ErrorCodeTest
{
    private static final Map<String, Integer> TABLE = table();

    private static Map<String, Integer> table()
    {
        final Map<String, Integer> table = new LinkedHashMap<>();
        table.put("GENERIC", 0);
        table.put("INTERNAL", 1);
        table.put("INVALID_ARGUMENT", 100);
        table.put("INVALID_KEY", 101);
        table.put("KEY_TOO_LARGE", 102);
        table.put("VALUE_TOO_LARGE", 103);
        table.put("RECORD_TOO_LARGE", 104);
        table.put("INVALID_JSON_PATH", 105);
        table.put("INVALID_JSON_PATCH", 106);
        table.put("TYPE_MISMATCH", 107);
        table.put("INVALID_ID", 108);
        table.put("INVALID_CONFIGURATION", 109);
        table.put("INVALID_EXTENSION", 110);
        table.put("MISSING_FIELD", 111);
        table.put("INVALID_FIELD", 112);
        table.put("LIMIT_EXCEEDED", 113);
        table.put("RUN_NOT_FOUND", 200);
        table.put("RUN_NOT_ACTIVE", 201);
        table.put("RUN_ALREADY_EXISTS", 202);
        table.put("CELL_NOT_FOUND", 203);
        table.put("DOCUMENT_NOT_FOUND", 204);
        table.put("DOCUMENT_ALREADY_EXISTS", 205);
        table.put("SPAN_NOT_FOUND", 206);
        table.put("TRANSACTION_CONFLICT", 300);
        table.put("VERSION_CONFLICT", 301);
        table.put("CORRUPT_DATA", 400);
        table.put("CORRUPT_LOG", 401);
        table.put("CORRUPT_SNAPSHOT", 402);
        table.put("UNKNOWN_FORMAT_VERSION", 403);
        table.put("UNKNOWN_ENTRY_TYPE", 404);
        table.put("FOREIGN_DATABASE", 405);
        table.put("STORAGE_FULL", 500);
        table.put("STORAGE_IO", 501);
        table.put("LOG_FAILED", 502);
        table.put("DIRECTORY_LOCKED", 503);
        table.put("CLOSED", 600);
        table.put("READ_ONLY", 601);
        table.put("STORE_REQUIRES_STRICT", 700);
        table.put("IDEMPOTENCY_KEY_REUSED", 701);
        table.put("STORE_RETRIES_EXHAUSTED", 702);
        table.put("STORE_UNAVAILABLE", 703);
        table.put("STORE_SCHEMA_MISMATCH", 704);
        return table;
    }

    @Test
    void shouldMatchWrittenTableWhenCodesAreListed()
    {
        final Map<String, Integer> actual = new LinkedHashMap<>();
        for (final ErrorCode code : ErrorCode.values())
        {
            actual.put(code.name(), code.number());
        }
        assertEquals(TABLE, actual);
    }

    @Test
    void shouldHaveUniqueNumbersWhenCodesAreListed()
    {
        final Set<Integer> numbers = new HashSet<>();
        for (final ErrorCode code : ErrorCode.values())
        {
            assertTrue(numbers.add(code.number()), "duplicate number " + code.number());
            assertTrue(code.number() >= 0, code.name());
        }
    }

    @Test
    void shouldFindCodeWhenNumberIsAssigned()
    {
        for (final Map.Entry<String, Integer> row : TABLE.entrySet())
        {
            assertSame(ErrorCode.valueOf(row.getKey()), ErrorCode.fromNumber(row.getValue()), row.getKey());
        }
    }

    @Test
    void shouldReturnNullWhenNumberIsUnassigned()
    {
        int unassigned = 0;
        for (int n = -5; n <= 800; n++)
        {
            if (!TABLE.containsValue(n))
            {
                assertNull(ErrorCode.fromNumber(n), "number " + n);
                unassigned++;
            }
        }
        assertEquals(806 - TABLE.size(), unassigned);
        assertNull(ErrorCode.fromNumber(Integer.MAX_VALUE));
        assertNull(ErrorCode.fromNumber(Integer.MIN_VALUE));
    }

    @Test
    void shouldEndMessageWithVersionNameAndNumberWhenExceptionIsMade()
    {
        assertEquals("0.1", TallyException.VERSION);
        for (final ErrorCode code : ErrorCode.values())
        {
            final TallyException ex = new TallyException(code, "what failed: a=1");
            assertEquals("what failed: a=1 [0.1/" + code.name() + ":" + code.number() + "]", ex.getMessage());
            assertSame(code, ex.code());
        }
        assertTrue(new TallyException(ErrorCode.CORRUPT_DATA, "x").getMessage().endsWith("[0.1/CORRUPT_DATA:400]"));
    }

    static Stream<Arguments> subclasses()
    {
        return Stream.of(
            subclass(CorruptDataException.class, ErrorCode.CORRUPT_LOG, CorruptDataException::new),
            subclass(InvalidArgumentException.class, ErrorCode.INVALID_KEY, InvalidArgumentException::new),
            subclass(ConfigurationException.class, ErrorCode.INVALID_CONFIGURATION, ConfigurationException::new),
            subclass(ConflictException.class, ErrorCode.VERSION_CONFLICT, ConflictException::new),
            subclass(StorageException.class, ErrorCode.STORAGE_IO, StorageException::new),
            subclass(StorageFullException.class, ErrorCode.STORAGE_FULL, StorageFullException::new),
            subclass(ClosedException.class, ErrorCode.CLOSED, ClosedException::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subclasses")
    void shouldCarryCodeAndCauseWhenSubclassIsThrown(
        final Class<? extends TallyException> type, final ErrorCode code,
        final BiFunction<ErrorCode, Throwable, TallyException> make)
    {
        final IOException cause = new IOException("disk said no");
        final TallyException ex = make.apply(code, cause);
        assertInstanceOf(type, ex);
        assertInstanceOf(RuntimeException.class, ex);
        assertSame(code, ex.code());
        assertSame(cause, ex.getCause());
        assertTrue(ex.getMessage().endsWith(" [0.1/" + code.name() + ":" + code.number() + "]"), ex.getMessage());
    }

    @Test
    void shouldKeepSubclassHierarchyWhenCallersCatchByFamily()
    {
        assertInstanceOf(
            InvalidArgumentException.class, new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, ""));
        assertInstanceOf(StorageException.class, new StorageFullException(ErrorCode.STORAGE_FULL, ""));
        assertInstanceOf(TallyException.class, new ClosedException(ErrorCode.CLOSED, ""));
    }

    @Test
    void shouldCarryCodeWhenCoreCodeRejectsInput()
    {
        assertEquals("key must not be null or empty [0.1/INVALID_KEY:101]",
            assertThrows(InvalidArgumentException.class, () -> Key.of("")).getMessage());
        assertSame(ErrorCode.KEY_TOO_LARGE,
            assertThrows(InvalidArgumentException.class, () -> Key.of("k".repeat(1025))).code());
        assertSame(ErrorCode.INVALID_ID, assertThrows(InvalidArgumentException.class, () -> RunId.parse("x")).code());
        assertSame(ErrorCode.UNKNOWN_ENTRY_TYPE,
            assertThrows(CorruptDataException.class, () -> WalEntryType.fromCode(0x70)).code());
        assertSame(ErrorCode.UNKNOWN_FORMAT_VERSION,
            assertThrows(CorruptDataException.class, () -> ValueCodec.decode(new byte[] {2, 0})).code());
    }

    private static Arguments subclass(
        final Class<? extends TallyException> type, final ErrorCode code,
        final TriFunction<ErrorCode, String, Throwable, TallyException> constructor)
    {
        final BiFunction<ErrorCode, Throwable, TallyException> make =
            (c, cause) -> constructor.apply(c, "failed", cause);
        return Arguments.of(type, code, make);
    }

    @FunctionalInterface
    private interface TriFunction<A, B, C, R>
    {
        R apply(A a, B b, C c);
    }
}
