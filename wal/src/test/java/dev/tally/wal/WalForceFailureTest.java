/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.tally.wal.WalTestSupport.SMALL_SEGMENT_LENGTH;
import static dev.tally.wal.WalTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A force that fails through the {@link SegmentForcer} must fail the writer stop: the failing force throws, the durable
 * position does not cover what it covered, later writes throw LOG_FAILED, and everything forced before reads back.
 */
@Timeout(30)
class WalForceFailureTest
{
    private static final int FORCE_COUNT = 12;

    @TempDir
    Path directory;

    /** Fails the forces it is told to, counting every call. */
    static final class FailingForcer implements SegmentForcer
    {
        boolean failNext;
        boolean failAlways;
        int callCount;

        @Override
        public void force(final java.nio.MappedByteBuffer buffer, final int offset, final int length)
            throws IOException
        {
            callCount++;
            if (failAlways || failNext)
            {
                failNext = false;
                throw new IOException("Input/output error");
            }
            buffer.force(offset, length);
        }
    }

    @ParameterizedTest(name = "failing force {0} of " + FORCE_COUNT + ", persistent={1}")
    @CsvSource({"1, false", "6, false", "12, false", "1, true", "6, true", "12, true"})
    void shouldFailStopAndKeepForcedDataWhenForceFails(final int failingForce, final boolean persistent)
    {
        final SplittableRandom random = new SplittableRandom(failingForce * 31L + (persistent ? 1 : 0));
        final FailingForcer forcer = new FailingForcer();
        final List<WalTestSupport.Written> written = new ArrayList<>();
        final WalWriter writer = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentForcer(forcer), 0);
        long durableBeforeFailure = -1;
        for (int force = 1; force <= FORCE_COUNT; force++)
        {
            for (int i = 0; i < 3; i++)
            {
                written.add(WalTestSupport.append(writer, random, random.nextInt(700)));
            }
            if (force == failingForce)
            {
                durableBeforeFailure = writer.durablePosition();
                forcer.failNext = !persistent;
                forcer.failAlways = persistent;
                final StorageException thrown = assertThrows(StorageException.class, writer::force);
                assertEquals(ErrorCode.STORAGE_IO, thrown.code());
                assertTrue(writer.isFailed());
                assertEquals(durableBeforeFailure, writer.durablePosition());
                break;
            }
            writer.force();
            assertEquals(writer.writtenPosition(), writer.durablePosition());
        }
        final int callsAtFailure = forcer.callCount;
        assertEquals(ErrorCode.LOG_FAILED, assertThrows(StorageException.class,
            () -> WalTestSupport.append(writer, random, 10)).code());
        assertEquals(ErrorCode.LOG_FAILED, assertThrows(StorageException.class, writer::force).code());
        assertEquals(durableBeforeFailure, writer.durablePosition());
        writer.close();
        assertEquals(callsAtFailure, forcer.callCount, "a failed writer must not force again");

        final List<WalTestSupport.Read> read = new ArrayList<>();
        final ScanResult result = WalTestSupport.scan(directory, ScanMode.REPAIR, read);
        int durableCount = 0;
        for (final WalTestSupport.Written frame : written)
        {
            if (frame.endPosition() <= durableBeforeFailure)
            {
                assertTrue(read.get(durableCount).matches(frame), "durable frame " + durableCount);
                durableCount++;
            }
        }
        assertTrue(read.size() >= durableCount);
        if (persistent)
        {
            assertThrows(StorageException.class,
                () -> WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH).segmentForcer(forcer),
                    result.endPosition()));
        }
        try (WalWriter reopened = WalWriter.open(options(directory, SMALL_SEGMENT_LENGTH), result.endPosition()))
        {
            WalTestSupport.append(reopened, random, 10);
            reopened.force();
            assertEquals(reopened.writtenPosition(), reopened.durablePosition());
        }
    }
}
