/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.stores.runstate.AppendResult;
import dev.tally.stores.runstate.RunEventRecord;
import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunProjection;
import dev.tally.stores.runstate.RunSnapshot;
import dev.tally.stores.runstate.RunStateStore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link RunStateStore} that makes the gaps the contract allows (v1 section 4.2) on demand: it hides one event from
 * the next fetch that would return it, and can answer the next {@code getSnapshot} with a snapshot two events behind.
 * Everything else goes to the wrapped store. Armed by the test thread; used by the reader under test.
 */
final class HidingStore implements RunStateStore
{
    private final RunStateStore store;
    private volatile long hiddenSeq = -1;
    private volatile boolean lagSnapshot;

    HidingStore(final RunStateStore store)
    {
        this.store = store;
    }

    void hideNext(final long runSeq)
    {
        hiddenSeq = runSeq;
    }

    void lagSnapshot(final boolean lag)
    {
        lagSnapshot = lag;
    }

    @Override
    public AppendResult appendEvent(final RunEventWrite event)
    {
        return store.appendEvent(event);
    }

    @Override
    public List<AppendResult> appendEvents(final String runId, final List<RunEventWrite> events)
    {
        return store.appendEvents(runId, events);
    }

    @Override
    public List<RunEventRecord> fetchEvents(final String runId, final long afterSeq, final int limit)
    {
        return hide(store.fetchEvents(runId, afterSeq, limit));
    }

    @Override
    public List<RunEventRecord> awaitEvents(final String runId, final long afterSeq, final int limit,
        final Duration timeout)
    {
        return hide(store.awaitEvents(runId, afterSeq, limit, timeout));
    }

    @Override
    public Optional<RunSnapshot> getSnapshot(final String runId)
    {
        if (!lagSnapshot)
        {
            return store.getSnapshot(runId);
        }
        lagSnapshot = false;
        final List<RunEventRecord> events = store.fetchEvents(runId, 0, FETCH_LIMIT_MAX);
        return Optional.of(RunProjection.fold(runId, events.subList(0, Math.max(0, events.size() - 2))));
    }

    @Override
    public RunSnapshot projectSnapshot(final String runId)
    {
        return store.projectSnapshot(runId);
    }

    @Override
    public boolean deleteRun(final String runId)
    {
        return store.deleteRun(runId);
    }

    private List<RunEventRecord> hide(final List<RunEventRecord> events)
    {
        final long hidden = hiddenSeq;
        if (hidden < 0 || events.stream().noneMatch(e -> e.runSeq() == hidden))
        {
            return events;
        }
        hiddenSeq = -1;
        return events.stream().filter(e -> e.runSeq() != hidden).toList();
    }
}
