/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

import dev.tally.core.ErrorCode;
import dev.tally.core.HistoryEntry;
import dev.tally.core.HistoryFrame;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The apply step replay and the snapshot's shadow rebuild share: owned entries in order, the others skipped. */
class FrameApplierTest
{
    private static final RunId RUN = RunId.of(1, 2);

    @Test
    void shouldApplyOwnedEntriesInOrderAndSkipTheOthers()
    {
        final RecordingPrimitive a = new RecordingPrimitive(1, 0x10, 0x11);
        final RecordingPrimitive b = new RecordingPrimitive(2, 0x20);
        final FrameApplier applier = new FrameApplier(List.of(a, b));

        final int applied = applier.apply(RUN, frame(64, entry(0x11, "x"), entry(0x05, "run"), entry(0x20, "y"),
            entry(0x10, "z")), Long.MAX_VALUE);

        assertEquals(3, applied);
        assertEquals(List.of("11:x@64", "10:z@64"), a.applied);
        assertEquals(List.of("20:y@64"), b.applied);
        assertTrue(applier.owns(0x20));
        assertFalse(applier.owns(0x05));
    }

    @Test
    void shouldStopAtTheLimitInsideAFrame()
    {
        final RecordingPrimitive a = new RecordingPrimitive(1, 0x10);
        final FrameApplier applier = new FrameApplier(List.of(a));

        final int applied = applier.apply(RUN, frame(128, entry(0x10, "1"), entry(0x05, "skip"), entry(0x10, "2"),
            entry(0x10, "3")), 2);

        assertEquals(2, applied);
        assertEquals(List.of("10:1@128", "10:2@128"), a.applied);
    }

    @Test
    void shouldRefuseTwoPrimitivesOwningOneCode()
    {
        final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
            () -> new FrameApplier(List.of(new RecordingPrimitive(1, 0x10), new RecordingPrimitive(2, 0x10))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, ex.code());
    }

    static HistoryEntry entry(final int code, final String body)
    {
        return new HistoryEntry(code, body.getBytes(StandardCharsets.UTF_8));
    }

    static HistoryFrame frame(final long position, final HistoryEntry... entries)
    {
        return new HistoryFrame(position, TxId.of(position, 1), List.of(entries));
    }
}
