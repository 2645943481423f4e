/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import java.util.EnumSet;
import java.util.Set;

/**
 * The recovery decision table. Its inputs are whether a snapshot was loaded (after newer invalid ones were rejected),
 * the state of the log from the position recovery starts at, and the caller's {@link RecoveryPolicy}; exactly one case
 * matches every combination (a test enumerates them all). Cases, in the order they are tried:
 *
 * <p>{@link #A_CLEAN_END}: the log ends with valid frames followed by zeros. Every committed frame after the
 * snapshot (or from the start) was applied; open read-write at the end. Policy does not matter.
 *
 * <p>{@link #B_TORN_TAIL}: damage at or after the durable position, the normal result of a crash during a write. The
 * damaged bytes were never acknowledged as durable, so they are cut (and reported as bytes cut) and the database opens
 * read-write at the last complete frame. Policy does not matter.
 *
 * <p>{@link #C_CORRUPT_STRICT}: damage before the durable position under the default policy. Acknowledged data is
 * damaged; opening would silently drop it, so the open fails with the file, offset and checksums.
 *
 * <p>{@link #D_CORRUPT_POINT_IN_TIME}: the same damage, when the caller asked for point-in-time recovery. The frames
 * before the damage form a committed prefix; the database opens read-only on it and the report names the first bad
 * position. This holds whether the damage is inside a frame or at segment level (a bad or foreign segment header, an
 * unknown version, a missing segment): every committed frame before the first damaged position is applied and
 * counted, after the snapshot when one was loaded, and reads of history stop there. The log is left untouched for
 * inspection.
 *
 * <p>{@link #E_CORRUPT_MIDDLE_TOLERANT}: damage before the durable position followed by valid frames, under the
 * tolerant policy. This is not a tail: cutting would drop valid acknowledged frames, so the open fails.
 *
 * <p>{@link #F_CORRUPT_TAIL_TOLERANT}: damage before the durable position with nothing valid after it, under the
 * tolerant policy (for example a device that lost its last forced pages). The damage is treated as a tail: the log
 * is cut at it and the database opens read-write, reporting the cut.
 *
 * <p>{@link #G_MISSING_PREFIX_NO_SNAPSHOT}: no usable snapshot and the log does not start at position 0 (segments
 * were reclaimed or lost). The early history is gone; nothing consistent can be built, so the open fails under every
 * policy.
 *
 * <p>{@link #H_MISSING_PREFIX_STRICT}: a snapshot was loaded, but the log does not reach back to its position (the
 * segments before it are gone, or the segment holding it is missing or has a damaged header), so the frames between
 * are lost. Under the strict and tolerant policies the open fails.
 *
 * <p>{@link #I_MISSING_PREFIX_POINT_IN_TIME}: the same, under point-in-time recovery: the snapshot alone is a
 * committed prefix, so the database opens read-only on it.
 *
 * <p>{@link #J_IMPOSSIBLE}: the log is behind a snapshot, yet no snapshot was loaded. This cannot be observed; if it
 * ever is, recovery has a bug, and the open fails rather than guess.
 *
 * <p>{@link #K_SNAPSHOT_AHEAD_STRICT}: the loaded snapshot covers positions beyond the end of the log: durable frames
 * were lost after the snapshot was taken, and new frames would reuse their positions. The end of the log is where its
 * frames stop, not where its last segment file ends: segment files are allocated in full, so a snapshot position
 * inside the last file but past its last frame, or inside a frame, is ahead too, and a writer opened there would
 * leave a gap of zeros that no recovery without the snapshot could cross. The open fails under the strict and
 * tolerant policies.
 *
 * <p>{@link #L_SNAPSHOT_AHEAD_POINT_IN_TIME}: the same, under point-in-time recovery: open read-only on the snapshot.
 */
public enum RecoveryCase
{
    /** See the class description. */
    A_CLEAN_END(Snap.ANY, EnumSet.of(LogState.CLEAN_END), Policies.ANY, RecoveryAction.OPEN),
    /** See the class description. */
    B_TORN_TAIL(Snap.ANY, EnumSet.of(LogState.TORN_TAIL), Policies.ANY, RecoveryAction.OPEN),
    /** See the class description. */
    C_CORRUPT_STRICT(Snap.ANY, EnumSet.of(LogState.CORRUPT_THEN_VALID, LogState.CORRUPT_TO_END),
        EnumSet.of(RecoveryPolicy.STRICT_CONSISTENCY), RecoveryAction.FAIL),
    /** See the class description. */
    D_CORRUPT_POINT_IN_TIME(Snap.ANY, EnumSet.of(LogState.CORRUPT_THEN_VALID, LogState.CORRUPT_TO_END),
        EnumSet.of(RecoveryPolicy.POINT_IN_TIME), RecoveryAction.OPEN_READ_ONLY),
    /** See the class description. */
    E_CORRUPT_MIDDLE_TOLERANT(Snap.ANY, EnumSet.of(LogState.CORRUPT_THEN_VALID),
        EnumSet.of(RecoveryPolicy.TOLERATE_CORRUPTED_TAIL), RecoveryAction.FAIL),
    /** See the class description. */
    F_CORRUPT_TAIL_TOLERANT(Snap.ANY, EnumSet.of(LogState.CORRUPT_TO_END),
        EnumSet.of(RecoveryPolicy.TOLERATE_CORRUPTED_TAIL), RecoveryAction.CUT_AND_OPEN),
    /** See the class description. */
    G_MISSING_PREFIX_NO_SNAPSHOT(Snap.NONE, EnumSet.of(LogState.MISSING_PREFIX), Policies.ANY, RecoveryAction.FAIL),
    /** See the class description. */
    H_MISSING_PREFIX_STRICT(Snap.LOADED, EnumSet.of(LogState.MISSING_PREFIX), Policies.NOT_POINT_IN_TIME,
        RecoveryAction.FAIL),
    /** See the class description. */
    I_MISSING_PREFIX_POINT_IN_TIME(Snap.LOADED, EnumSet.of(LogState.MISSING_PREFIX),
        EnumSet.of(RecoveryPolicy.POINT_IN_TIME), RecoveryAction.OPEN_READ_ONLY),
    /** See the class description. */
    J_IMPOSSIBLE(Snap.NONE, EnumSet.of(LogState.SNAPSHOT_AHEAD_OF_LOG), Policies.ANY, RecoveryAction.FAIL),
    /** See the class description. */
    K_SNAPSHOT_AHEAD_STRICT(Snap.LOADED, EnumSet.of(LogState.SNAPSHOT_AHEAD_OF_LOG), Policies.NOT_POINT_IN_TIME,
        RecoveryAction.FAIL),
    /** See the class description. */
    L_SNAPSHOT_AHEAD_POINT_IN_TIME(Snap.LOADED, EnumSet.of(LogState.SNAPSHOT_AHEAD_OF_LOG),
        EnumSet.of(RecoveryPolicy.POINT_IN_TIME), RecoveryAction.OPEN_READ_ONLY);

    /** Whether recovery loaded a snapshot: an input of the table. */
    public enum Snap
    {
        /** No valid snapshot: recovery starts from position 0. */
        NONE,
        /** A valid snapshot was loaded: recovery starts from its position. */
        LOADED,
        /** Matches both; used in patterns only. */
        ANY
    }

    private static final class Policies
    {
        static final Set<RecoveryPolicy> ANY = EnumSet.allOf(RecoveryPolicy.class);
        static final Set<RecoveryPolicy> NOT_POINT_IN_TIME =
            EnumSet.of(RecoveryPolicy.STRICT_CONSISTENCY, RecoveryPolicy.TOLERATE_CORRUPTED_TAIL);
    }

    private final Snap snapshot;
    private final Set<LogState> logStates;
    private final Set<RecoveryPolicy> policies;
    private final RecoveryAction action;

    RecoveryCase(final Snap snapshot, final Set<LogState> logStates, final Set<RecoveryPolicy> policies,
        final RecoveryAction action)
    {
        this.snapshot = snapshot;
        this.logStates = logStates;
        this.policies = policies;
        this.action = action;
    }

    /**
     * What recovery does in this case.
     *
     * @return the action.
     */
    public RecoveryAction action()
    {
        return action;
    }

    /**
     * Whether this case's pattern matches the inputs; any thread.
     *
     * @param snapshotLoaded whether a snapshot was loaded ({@link Snap#NONE} or {@link Snap#LOADED}).
     * @param logState       the log's state.
     * @param policy         the policy.
     * @return whether it matches.
     */
    public boolean matches(final Snap snapshotLoaded, final LogState logState, final RecoveryPolicy policy)
    {
        return (snapshot == Snap.ANY || snapshot == snapshotLoaded) && logStates.contains(logState) &&
            policies.contains(policy);
    }

    /**
     * The one case matching the inputs; any thread.
     *
     * @param snapshotLoaded {@link Snap#NONE} or {@link Snap#LOADED}.
     * @param logState       the log's state.
     * @param policy         the policy.
     * @return the case.
     * @throws IllegalStateException when no case or several match, which the table's test rules out.
     */
    public static RecoveryCase decide(final Snap snapshotLoaded, final LogState logState, final RecoveryPolicy policy)
    {
        RecoveryCase found = null;
        for (final RecoveryCase candidate : values())
        {
            if (candidate.matches(snapshotLoaded, logState, policy))
            {
                if (found != null)
                {
                    throw new IllegalStateException("two recovery cases match: " + found + ", " + candidate);
                }
                found = candidate;
            }
        }
        if (found == null)
        {
            throw new IllegalStateException("no recovery case matches: snapshot=" + snapshotLoaded + ", log="
                + logState + ", policy=" + policy);
        }
        return found;
    }
}
