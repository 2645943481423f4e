/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Append Authority of workflow runs (Run State Store contract v2.0.0, with v1.0's watermark fetch, snapshots and
 * retention): it persists each run's events append-only, assigns every event a {@code runSeq} strictly increasing per
 * run and a {@code persistedAt} from its own clock, and enforces one event per {@code (runId, idempotencyKey)}.
 * Every method may be called from any thread concurrently, and every answer comes from durable state only: nothing a
 * crash could take back is ever returned.
 *
 * <p>Errors are unchecked: bad input fails with {@code MISSING_FIELD} or {@code INVALID_FIELD} naming the field (or
 * {@code INVALID_ARGUMENT} / {@code LIMIT_EXCEEDED} for call arguments) before anything is written, see
 * {@link RunEventChecks}. A duplicate is not an error: it is an {@link AppendResult} with {@code idempotent = true}.
 */
public interface RunStateStore
{
    /** The number of events {@link #fetchEvents(String, long)} returns at most (v1 section 4). */
    int FETCH_LIMIT_DEFAULT = 1000;
    /** The largest {@code limit} accepted; above it a fetch fails with {@code LIMIT_EXCEEDED}. */
    int FETCH_LIMIT_MAX = 10_000;
    /** The most events one {@link #appendEvents} call takes; above it the call fails with {@code LIMIT_EXCEEDED}. */
    int APPEND_BATCH_COUNT_MAX = 100;
    /**
     * The most payload bytes (UTF-8 of the JSON text, summed over the batch) one {@link #appendEvents} call takes, so
     * that a batch fits one commit; above it the call fails with {@code LIMIT_EXCEEDED}.
     */
    int APPEND_BATCH_PAYLOAD_LENGTH_MAX = 1 << 20;
    /** The longest {@code timeout} {@link #awaitEvents} accepts. */
    Duration AWAIT_TIMEOUT_MAX = Duration.ofMinutes(10);

    /**
     * Appends one event (v2 section 3.1, 3.2); any thread. A new {@code (runId, idempotencyKey)} is persisted with the
     * next {@code runSeq} of its run and {@code persisted = true}; a duplicate writes nothing and returns the original
     * event's {@code eventId}, {@code runSeq} and {@code persistedAt} with {@code idempotent = true}.
     *
     * @param event the event, validated by {@link RunEventChecks#check(RunEventWrite)} before anything is written.
     * @return what the store assigned, or found.
     */
    AppendResult appendEvent(RunEventWrite event);

    /**
     * Appends several events of one run in one atomic commit, all or none; any thread. Each duplicate (of a stored
     * event, or of an earlier event of the same batch) is resolved as in {@link #appendEvent}: a duplicate inside the
     * batch resolves to the first event with its key. New events get consecutive positions in the run's order, in
     * the batch's order, and one {@code persistedAt}.
     *
     * @param runId  the run; every event's {@code runId} must equal it.
     * @param events at most {@link #APPEND_BATCH_COUNT_MAX} events; an empty list writes nothing.
     * @return one result per event, in the batch's order.
     */
    List<AppendResult> appendEvents(String runId, List<RunEventWrite> events);

    /**
     * The durable events of a run with {@code runSeq > afterSeq}, in {@code runSeq} order, at most {@code limit} of
     * them (v1 section 4); any thread. A run with no events (or none after {@code afterSeq}) gives an empty list.
     *
     * @param runId    the run.
     * @param afterSeq the caller's watermark, 0 for the first event; not negative.
     * @param limit    1 to {@link #FETCH_LIMIT_MAX}.
     * @return the events.
     */
    List<RunEventRecord> fetchEvents(String runId, long afterSeq, int limit);

    /**
     * {@link #fetchEvents(String, long, int)} with the limit {@link #FETCH_LIMIT_DEFAULT}; any thread.
     *
     * @param runId    the run.
     * @param afterSeq the caller's watermark, 0 for the first event.
     * @return the events.
     */
    default List<RunEventRecord> fetchEvents(final String runId, final long afterSeq)
    {
        return fetchEvents(runId, afterSeq, FETCH_LIMIT_DEFAULT);
    }

    /**
     * Like {@link #fetchEvents(String, long, int)}, but when no event after {@code afterSeq} is durable yet, waits up
     * to {@code timeout} for one, so a projector stays within v1's one-second lag (section 5.2) without a polling
     * loop; any thread, which blocks. Returns as soon as at least one such event is durable.
     *
     * @param runId    the run.
     * @param afterSeq the caller's watermark.
     * @param limit    1 to {@link #FETCH_LIMIT_MAX}.
     * @param timeout  the longest wait, zero to {@link #AWAIT_TIMEOUT_MAX}.
     * @return the events, or an empty list at the timeout.
     */
    List<RunEventRecord> awaitEvents(String runId, long afterSeq, int limit, Duration timeout);

    /**
     * The materialized snapshot of a run (v1 section 5.1), kept up to date in the same commit as each append; any
     * thread. Always equal to {@link #projectSnapshot(String)}.
     *
     * @param runId the run.
     * @return the snapshot, or empty when the run has no events.
     */
    Optional<RunSnapshot> getSnapshot(String runId);

    /**
     * The snapshot of a run folded by {@link RunProjection} from its first event (v1 section 5.1, on-demand
     * projection); any thread. Costs a read of every event of the run.
     *
     * @param runId the run.
     * @return the snapshot; for a run with no events, {@link RunSnapshot#empty(String)} (PENDING).
     */
    RunSnapshot projectSnapshot(String runId);

    /**
     * Removes a whole run, every event, key and snapshot of it (v1 section 2.3: retention is the only delete, and only
     * of an entire run); any thread. Nothing else ever updates or deletes an event. Once this returns, reads see no
     * such run, and a later append starts the run again at its first {@code runSeq}. Appends racing with the deletion
     * land either before it (and are deleted) or after it.
     *
     * @param runId the run.
     * @return whether the run had any events.
     */
    boolean deleteRun(String runId);
}
