/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

import dev.tally.core.ErrorCode;
import dev.tally.core.HistoryFrame;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tally.replay.FrameApplierTest.entry;
import static dev.tally.replay.FrameApplierTest.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Replay of a run's history into fresh primitives, bounded by position or by change count. */
class ReplayerTest
{
    private static final RunId RUN = RunId.of(3, 4);
    private static final List<HistoryFrame> HISTORY = List.of(
        frame(64, entry(0x10, "a"), entry(0x10, "b")),
        frame(192, entry(0x05, "lifecycle")),
        frame(256, entry(0x10, "c")));

    @Test
    void shouldApplyTheWholeHistoryForLatest()
    {
        final RecordingPrimitive p = new RecordingPrimitive(1, 0x10);
        final Replayer.Outcome outcome = Replayer.replay(RUN, HISTORY, List.of(p), AsOf.latest());
        assertEquals(new Replayer.Outcome(3, 2, 256), outcome);
        assertEquals(List.of("10:a@64", "10:b@64", "10:c@256"), p.applied);
        assertEquals(3, Replayer.changeCount(HISTORY, List.of(new RecordingPrimitive(1, 0x10))));
    }

    @Test
    void shouldStopInsideATransactionWhenBoundedByChanges()
    {
        final RecordingPrimitive p = new RecordingPrimitive(1, 0x10);
        final Replayer.Outcome outcome = Replayer.replay(RUN, HISTORY, List.of(p), AsOf.changes(1));
        assertEquals(new Replayer.Outcome(1, 1, 64), outcome);
        assertEquals(List.of("10:a@64"), p.applied);
    }

    @Test
    void shouldApplyOnlyFramesBelowAPositionBound()
    {
        final RecordingPrimitive p = new RecordingPrimitive(1, 0x10);
        final Replayer.Outcome outcome = Replayer.replay(RUN, HISTORY, List.of(p), AsOf.position(256));
        assertEquals(new Replayer.Outcome(2, 1, 64), outcome);
        assertEquals(List.of("10:a@64", "10:b@64"), p.applied);
    }

    @Test
    void shouldHashEqualStatesEquallyAndDifferentStatesDifferently()
    {
        final RecordingPrimitive full = new RecordingPrimitive(1, 0x10);
        final RecordingPrimitive again = new RecordingPrimitive(1, 0x10);
        final RecordingPrimitive part = new RecordingPrimitive(1, 0x10);
        Replayer.replay(RUN, HISTORY, List.of(full), AsOf.latest());
        Replayer.replay(RUN, HISTORY, List.of(again), AsOf.latest());
        Replayer.replay(RUN, HISTORY, List.of(part), AsOf.changes(2));
        assertEquals(Replayer.hash(List.of(full)), Replayer.hash(List.of(again)));
        assertNotEquals(Replayer.hash(List.of(full)), Replayer.hash(List.of(part)));
        assertEquals(64, Replayer.hash(List.of(full)).length());
    }

    @Test
    void shouldRefuseAHistoryOutOfOrder()
    {
        final List<HistoryFrame> shuffled = List.of(HISTORY.get(2), HISTORY.get(0));
        final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
            () -> Replayer.replay(RUN, shuffled, List.of(new RecordingPrimitive(1, 0x10)), AsOf.latest()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, ex.code());
    }
}
