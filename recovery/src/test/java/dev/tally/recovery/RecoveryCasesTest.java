/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recovery decision table: every combination of its inputs (snapshot loaded or not, every log state, every
 * policy) is matched by exactly one case, {@code decide} returns that case, every case is reachable, and the actions
 * are the ones the table's prose promises.
 */
@Timeout(10)
class RecoveryCasesTest
{
    private static final RecoveryCase.Snap[] SNAPS = {RecoveryCase.Snap.NONE, RecoveryCase.Snap.LOADED};

    @Test
    void shouldMatchExactlyOneCaseWhenEveryInputCombinationIsEnumerated()
    {
        final Map<RecoveryCase, Integer> hits = new EnumMap<>(RecoveryCase.class);
        int combinations = 0;
        for (final RecoveryCase.Snap snap : SNAPS)
        {
            for (final LogState log : LogState.values())
            {
                for (final RecoveryPolicy policy : RecoveryPolicy.values())
                {
                    combinations++;
                    final List<RecoveryCase> matching = new ArrayList<>();
                    for (final RecoveryCase candidate : RecoveryCase.values())
                    {
                        if (candidate.matches(snap, log, policy))
                        {
                            matching.add(candidate);
                        }
                    }
                    assertEquals(1, matching.size(),
                        "snap=" + snap + ", log=" + log + ", policy=" + policy + " matched " + matching);
                    assertEquals(matching.get(0), RecoveryCase.decide(snap, log, policy),
                        "decide disagrees with matches: snap=" + snap + ", log=" + log + ", policy=" + policy);
                    hits.merge(matching.get(0), 1, Integer::sum);
                }
            }
        }
        assertEquals(2 * LogState.values().length * RecoveryPolicy.values().length, combinations);
        assertEquals(EnumSet.allOf(RecoveryCase.class), hits.keySet(), "a case no input combination reaches");
    }

    @Test
    void shouldRejectAnyAsAnInputWhenDeciding()
    {
        // ANY is a pattern, not an observation: it must not match the cases written for NONE or LOADED only.
        assertThrows(IllegalStateException.class,
            () -> RecoveryCase.decide(RecoveryCase.Snap.ANY, LogState.MISSING_PREFIX, RecoveryPolicy.POINT_IN_TIME));
    }

    @Test
    void shouldOpenRegardlessOfPolicyWhenTheLogEndsCleanlyOrWithATornTail()
    {
        for (final RecoveryCase.Snap snap : SNAPS)
        {
            for (final RecoveryPolicy policy : RecoveryPolicy.values())
            {
                assertEquals(RecoveryCase.A_CLEAN_END, RecoveryCase.decide(snap, LogState.CLEAN_END, policy));
                assertEquals(RecoveryAction.OPEN, RecoveryCase.decide(snap, LogState.CLEAN_END, policy).action());
                assertEquals(RecoveryCase.B_TORN_TAIL, RecoveryCase.decide(snap, LogState.TORN_TAIL, policy));
                assertEquals(RecoveryAction.OPEN, RecoveryCase.decide(snap, LogState.TORN_TAIL, policy).action());
            }
        }
    }

    @Test
    void shouldFailUnderStrictConsistencyWhenDamageIsBeforeTheDurablePosition()
    {
        for (final RecoveryCase.Snap snap : SNAPS)
        {
            for (final LogState log : EnumSet.of(LogState.CORRUPT_THEN_VALID, LogState.CORRUPT_TO_END))
            {
                final RecoveryCase taken = RecoveryCase.decide(snap, log, RecoveryPolicy.STRICT_CONSISTENCY);
                assertEquals(RecoveryCase.C_CORRUPT_STRICT, taken);
                assertEquals(RecoveryAction.FAIL, taken.action());
            }
        }
    }

    @Test
    void shouldOpenReadOnlyUnderPointInTimeWhenAnythingButACleanOrTornEndIsFoundWithASnapshot()
    {
        final Set<LogState> damaged = EnumSet.of(LogState.CORRUPT_THEN_VALID, LogState.CORRUPT_TO_END,
            LogState.MISSING_PREFIX, LogState.SNAPSHOT_AHEAD_OF_LOG);
        for (final LogState log : damaged)
        {
            assertEquals(RecoveryAction.OPEN_READ_ONLY,
                RecoveryCase.decide(RecoveryCase.Snap.LOADED, log, RecoveryPolicy.POINT_IN_TIME).action(),
                "log=" + log);
        }
        assertEquals(RecoveryCase.D_CORRUPT_POINT_IN_TIME,
            RecoveryCase.decide(RecoveryCase.Snap.NONE, LogState.CORRUPT_THEN_VALID, RecoveryPolicy.POINT_IN_TIME));
        assertEquals(RecoveryCase.I_MISSING_PREFIX_POINT_IN_TIME,
            RecoveryCase.decide(RecoveryCase.Snap.LOADED, LogState.MISSING_PREFIX, RecoveryPolicy.POINT_IN_TIME));
        assertEquals(RecoveryCase.L_SNAPSHOT_AHEAD_POINT_IN_TIME, RecoveryCase.decide(RecoveryCase.Snap.LOADED,
            LogState.SNAPSHOT_AHEAD_OF_LOG, RecoveryPolicy.POINT_IN_TIME));
    }

    @Test
    void shouldCutOnlyATailUnderTheTolerantPolicyWhenDamageIsBeforeTheDurablePosition()
    {
        for (final RecoveryCase.Snap snap : SNAPS)
        {
            final RecoveryCase tail =
                RecoveryCase.decide(snap, LogState.CORRUPT_TO_END, RecoveryPolicy.TOLERATE_CORRUPTED_TAIL);
            assertEquals(RecoveryCase.F_CORRUPT_TAIL_TOLERANT, tail);
            assertEquals(RecoveryAction.CUT_AND_OPEN, tail.action());
            final RecoveryCase middle =
                RecoveryCase.decide(snap, LogState.CORRUPT_THEN_VALID, RecoveryPolicy.TOLERATE_CORRUPTED_TAIL);
            assertEquals(RecoveryCase.E_CORRUPT_MIDDLE_TOLERANT, middle);
            assertEquals(RecoveryAction.FAIL, middle.action());
        }
        long cutCases = 0;
        for (final RecoveryCase c : RecoveryCase.values())
        {
            cutCases += c.action() == RecoveryAction.CUT_AND_OPEN ? 1 : 0;
        }
        assertEquals(1, cutCases, "only the tolerant policy with damage that ends the log may cut acknowledged bytes");
    }

    @Test
    void shouldFailUnderEveryPolicyWhenThePrefixIsMissingWithoutASnapshot()
    {
        for (final RecoveryPolicy policy : RecoveryPolicy.values())
        {
            final RecoveryCase taken = RecoveryCase.decide(RecoveryCase.Snap.NONE, LogState.MISSING_PREFIX, policy);
            assertEquals(RecoveryCase.G_MISSING_PREFIX_NO_SNAPSHOT, taken);
            assertEquals(RecoveryAction.FAIL, taken.action());
            final RecoveryCase impossible =
                RecoveryCase.decide(RecoveryCase.Snap.NONE, LogState.SNAPSHOT_AHEAD_OF_LOG, policy);
            assertEquals(RecoveryCase.J_IMPOSSIBLE, impossible);
            assertEquals(RecoveryAction.FAIL, impossible.action());
        }
    }

    @Test
    void shouldFailWithoutPointInTimeWhenASnapshotIsLoadedButTheLogIsMissingOrBehind()
    {
        for (final RecoveryPolicy policy : EnumSet.of(RecoveryPolicy.STRICT_CONSISTENCY,
            RecoveryPolicy.TOLERATE_CORRUPTED_TAIL))
        {
            final RecoveryCase missing =
                RecoveryCase.decide(RecoveryCase.Snap.LOADED, LogState.MISSING_PREFIX, policy);
            assertEquals(RecoveryCase.H_MISSING_PREFIX_STRICT, missing);
            assertEquals(RecoveryAction.FAIL, missing.action());
            final RecoveryCase ahead =
                RecoveryCase.decide(RecoveryCase.Snap.LOADED, LogState.SNAPSHOT_AHEAD_OF_LOG, policy);
            assertEquals(RecoveryCase.K_SNAPSHOT_AHEAD_STRICT, ahead);
            assertEquals(RecoveryAction.FAIL, ahead.action());
        }
    }

    @Test
    void shouldNeverOpenReadWriteWhenThePolicyIsPointInTimeAndDataIsDamaged()
    {
        for (final RecoveryCase.Snap snap : SNAPS)
        {
            for (final LogState log : LogState.values())
            {
                final RecoveryAction action = RecoveryCase.decide(snap, log, RecoveryPolicy.POINT_IN_TIME).action();
                final boolean cleanOrTorn = log == LogState.CLEAN_END || log == LogState.TORN_TAIL;
                assertTrue(cleanOrTorn ? action == RecoveryAction.OPEN :
                    action == RecoveryAction.OPEN_READ_ONLY || action == RecoveryAction.FAIL,
                    "snap=" + snap + ", log=" + log + ": " + action);
            }
        }
    }
}
