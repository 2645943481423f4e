/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import java.time.Duration;
import java.util.List;

/**
 * A projector of one run that follows it by watermark (v1 section 4.1) and handles non-contiguous observations as v1
 * section 4.2 demands: when a fetch returns a {@code runSeq} above {@code watermark + 1} (or skips one inside the
 * page) it (1) detects it, (2) marks the run {@link State#STALE}, (3) resyncs from the store's snapshot
 * ({@code getSnapshot}, else {@code projectSnapshot}) plus the delta after the snapshot's watermark, and (4) is
 * {@link State#CURRENT} again once its watermark has advanced to at least the highest {@code runSeq} it had seen.
 * Gaps are allowed by the contract (v1 section 2.2); the embedded store happens to assign contiguous positions.
 * Used by one thread; the store it reads may be shared.
 */
public final class RunWatermarkReader
{
    /** Whether the projection may be missing events the store has. */
    public enum State
    {
        /** Every event up to the watermark was applied in order. */
        CURRENT,
        /** A non-contiguous observation was seen and no resync has caught up with it yet. */
        STALE
    }

    private final RunStateStore store;
    private final String runId;
    private final int limit;
    private RunProjection projection;
    private State state = State.CURRENT;
    private long highestSeen;
    private long fetchCount;
    private long appliedCount;
    private long gapCount;
    private long resyncCount;

    /**
     * A reader at watermark 0.
     *
     * @param store the store.
     * @param runId the run.
     * @param limit the page size of each fetch, 1 to {@link RunStateStore#FETCH_LIMIT_MAX}.
     */
    public RunWatermarkReader(final RunStateStore store, final String runId, final int limit)
    {
        RunEventChecks.checkFetch(runId, 0, limit);
        this.store = store;
        this.runId = runId;
        this.limit = limit;
        this.projection = RunProjection.start(runId);
    }

    /**
     * Fetches once after the watermark and applies what came, resyncing on a gap; the owning thread.
     *
     * @return whether the watermark advanced.
     */
    public boolean poll()
    {
        return observe(store.fetchEvents(runId, projection.lastEventSeq(), limit));
    }

    /**
     * Waits up to a timeout for events after the watermark ({@link RunStateStore#awaitEvents}) and applies them as
     * {@link #poll()} does; the owning thread, which blocks.
     *
     * @param timeout the longest wait.
     * @return whether the watermark advanced.
     */
    public boolean await(final Duration timeout)
    {
        return observe(store.awaitEvents(runId, projection.lastEventSeq(), limit, timeout));
    }

    private boolean observe(final List<RunEventRecord> events)
    {
        fetchCount++;
        final long before = projection.lastEventSeq();
        if (events.isEmpty())
        {
            if (state == State.STALE)
            {
                resync();
            }
            return projection.lastEventSeq() > before;
        }
        long expected = before + 1;
        boolean contiguous = true;
        for (final RunEventRecord event : events)
        {
            contiguous &= event.runSeq() == expected;
            expected = event.runSeq() + 1;
            highestSeen = Math.max(highestSeen, event.runSeq());
        }
        if (contiguous && state == State.CURRENT)
        {
            apply(events);
        }
        else
        {
            if (!contiguous)
            {
                gapCount++;
            }
            state = State.STALE;
            resync();
        }
        return projection.lastEventSeq() > before;
    }

    private void resync()
    {
        resyncCount++;
        final RunSnapshot snapshot = store.getSnapshot(runId).orElseGet(() -> store.projectSnapshot(runId));
        projection = RunProjection.from(snapshot);
        for (int page = 0; page < Integer.MAX_VALUE; page++)
        {
            final List<RunEventRecord> delta = store.fetchEvents(runId, projection.lastEventSeq(), limit);
            fetchCount++;
            if (delta.isEmpty())
            {
                break;
            }
            apply(delta);
            if (delta.size() < limit)
            {
                break;
            }
        }
        if (projection.lastEventSeq() >= highestSeen)
        {
            state = State.CURRENT;
        }
    }

    private void apply(final List<RunEventRecord> events)
    {
        for (final RunEventRecord event : events)
        {
            projection.apply(event);
            appliedCount++;
            highestSeen = Math.max(highestSeen, event.runSeq());
        }
    }

    /**
     * CURRENT or STALE; the owning thread.
     *
     * @return the state.
     */
    public State state()
    {
        return state;
    }

    /**
     * The {@code runSeq} of the last event in the projection; the owning thread.
     *
     * @return the watermark, 0 before the first event.
     */
    public long watermark()
    {
        return projection.lastEventSeq();
    }

    /**
     * The projected snapshot; the owning thread.
     *
     * @return the snapshot.
     */
    public RunSnapshot snapshot()
    {
        return projection.snapshot();
    }

    /**
     * How many fetches this reader made, resync deltas included; the owning thread.
     *
     * @return the count.
     */
    public long fetchCount()
    {
        return fetchCount;
    }

    /**
     * How many events this reader applied one by one (not counting those a resync's snapshot covered); the owning
     * thread.
     *
     * @return the count.
     */
    public long appliedCount()
    {
        return appliedCount;
    }

    /**
     * How many non-contiguous observations were seen; the owning thread.
     *
     * @return the count.
     */
    public long gapCount()
    {
        return gapCount;
    }

    /**
     * How many resyncs ran; the owning thread.
     *
     * @return the count.
     */
    public long resyncCount()
    {
        return resyncCount;
    }
}
