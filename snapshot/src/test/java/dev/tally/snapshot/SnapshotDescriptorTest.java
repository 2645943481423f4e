/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SnapshotDescriptorTest
{
    @Test
    void shouldPadToTwentyDigitsWhenNamingSnapshot()
    {
        assertEquals("00000000000000000000.snap", SnapshotDescriptor.fileName(0));
        assertEquals("00000000000000004096.snap", SnapshotDescriptor.fileName(4096));
        assertEquals("09223372036854775807.snap", SnapshotDescriptor.fileName(Long.MAX_VALUE));
        assertEquals("00000000000000004096.snap.tmp", SnapshotDescriptor.temporaryFileName(4096));
        assertThrows(IllegalArgumentException.class, () -> SnapshotDescriptor.fileName(-1));
    }

    @Test
    void shouldUseAsciiDigitsWhenDefaultLocaleHasOtherDigits()
    {
        final Locale saved = Locale.getDefault();
        try
        {
            Locale.setDefault(Locale.forLanguageTag("ar-EG-u-nu-arab"));
            assertEquals("00000000000001048640.snap", SnapshotDescriptor.fileName(1_048_640L));
            Locale.setDefault(Locale.forLanguageTag("th-TH-u-nu-thai"));
            assertEquals(1_048_640L, SnapshotDescriptor.parseFileName("00000000000001048640.snap"));
        }
        finally
        {
            Locale.setDefault(saved);
        }
    }

    @Test
    void shouldReturnPositionOnlyWhenNameIsExactlyASnapshotName()
    {
        assertEquals(4096, SnapshotDescriptor.parseFileName("00000000000000004096.snap"));
        assertEquals(-1, SnapshotDescriptor.parseFileName("00000000000000004096.snap.tmp"));
        assertEquals(-1, SnapshotDescriptor.parseFileName("0000000000000004096.snap"));
        assertEquals(-1, SnapshotDescriptor.parseFileName("0000000000000000409x.snap"));
        assertEquals(-1, SnapshotDescriptor.parseFileName("00000000000000004096.wal"));
        assertEquals(-1, SnapshotDescriptor.parseFileName("99999999999999999999.snap"));
        assertEquals(-1, SnapshotDescriptor.parseFileName("golden.snap"));
        assertTrue(SnapshotDescriptor.isTemporaryFileName("00000000000000004096.snap.tmp"));
        assertEquals("00000000000000004096.hist", HistoryFile.fileName(4096));
        assertEquals(4096, HistoryFile.parseFileName("00000000000000004096.hist"));
        assertEquals(-1, HistoryFile.parseFileName("00000000000000004096.snap"));
        assertEquals(-1, SnapshotDescriptor.parseFileName("00000000000000004096.hist"));
        assertTrue(SnapshotDescriptor.isTemporaryFileName("00000000000000004096.hist.tmp"));
        assertFalse(SnapshotDescriptor.isTemporaryFileName("00000000000000004096.snap"));
        assertFalse(SnapshotDescriptor.isTemporaryFileName("00000000000000004096.wal.tmp"));
    }

    @Test
    void shouldKeepFrozenLayoutWhenOffsetsAreRead()
    {
        assertEquals("INMEM_SNAP", SnapshotDescriptor.MAGIC);
        assertEquals(SnapshotDescriptor.MAGIC_LENGTH, SnapshotDescriptor.magicBytes().length);
        assertEquals(0, SnapshotDescriptor.MAGIC_OFFSET);
        assertEquals(10, SnapshotDescriptor.FORMAT_VERSION_OFFSET);
        assertEquals(14, SnapshotDescriptor.TIMESTAMP_OFFSET);
        assertEquals(22, SnapshotDescriptor.WAL_POSITION_OFFSET);
        assertEquals(SnapshotDescriptor.WAL_POSITION_OFFSET + Long.BYTES, SnapshotDescriptor.DATABASE_ID_OFFSET);
        assertEquals(SnapshotDescriptor.DATABASE_ID_OFFSET + 16, SnapshotDescriptor.SECTION_COUNT_OFFSET);
        assertEquals(SnapshotDescriptor.SECTION_COUNT_OFFSET + Integer.BYTES, SnapshotDescriptor.HEADER_LENGTH);
        assertEquals(1 + Long.BYTES, SnapshotDescriptor.SECTION_HEADER_LENGTH);
    }
}
