/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage helpers shared by the log and the snapshots. Goal: a full disk is told apart from other I/O failures
 * however deep it is wrapped, and position file names sort in log order and parse back exactly, in any locale.
 */
class StorageHelpersTest
{
    @Test
    void shouldClassifyFullDiskWhenNestedAndOtherFailuresAsStorageIo()
    {
        final IOException full = new IOException("write failed: No space left on device");
        final StorageException nested = StorageFailures.storageFailure("op=write",
            new UncheckedIOException(new IOException("wrapped", full)));
        assertInstanceOf(StorageFullException.class, nested);
        assertEquals(ErrorCode.STORAGE_FULL, nested.code());
        assertTrue(StorageFailures.isNoSpace(new IOException("Disk quota exceeded")));
        final IOException other = new IOException("Input/output error");
        final StorageException io = StorageFailures.storageFailure("op=read", other);
        assertFalse(io instanceof StorageFullException);
        assertEquals(ErrorCode.STORAGE_IO, io.code());
        assertSame(other, io.getCause());
        assertFalse(StorageFailures.isNoSpace(null));
    }

    @Test
    void shouldFormatTwentyDigitNamesThatSortAndParseBackInAnyLocale()
    {
        final Locale before = Locale.getDefault();
        try
        {
            Locale.setDefault(Locale.forLanguageTag("ar-SA-u-nu-arab"));
            assertEquals("00000000000067108864.wal", PositionFileNames.format(67_108_864L, ".wal"));
            assertEquals("09223372036854775807.snap", PositionFileNames.format(Long.MAX_VALUE, ".snap"));
            assertEquals(Long.MAX_VALUE, PositionFileNames.parse("09223372036854775807.snap", ".snap"));
            assertTrue(PositionFileNames.format(9, ".wal").compareTo(PositionFileNames.format(10, ".wal")) < 0);
            for (final long position : new long[] {0, 1, 4096, 1L << 40})
            {
                assertEquals(position, PositionFileNames.parse(PositionFileNames.format(position, ".hist"), ".hist"));
            }
            assertEquals(-1, PositionFileNames.parse("00000000000000004096.wal", ".snap"));
            assertEquals(-1, PositionFileNames.parse("0000000000000000409x.wal", ".wal"));
            assertEquals(-1, PositionFileNames.parse("4096.wal", ".wal"));
            assertEquals(-1, PositionFileNames.parse("99999999999999999999.wal", ".wal"));
            assertThrows(IllegalArgumentException.class, () -> PositionFileNames.format(-1, ".wal"));
        }
        finally
        {
            Locale.setDefault(before);
        }
    }
}
