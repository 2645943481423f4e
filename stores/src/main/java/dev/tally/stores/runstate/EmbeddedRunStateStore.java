/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.Clock;
import dev.tally.core.ConflictException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.Transaction;
import dev.tally.engine.TxResult;
import dev.tally.stores.internal.Commits;
import dev.tally.stores.internal.DurableAnswers;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.internal.StoreNamespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RunStateStore} on the embedded engine: every run's events, idempotency keys and materialized snapshot in
 * the store's namespace run (kind {@code runstate}), laid out as {@link RunRecords} describes; each call one
 * optimistic engine transaction. Any number of threads; opening the store twice on one database gives two views of
 * the same records.
 *
 * <p>Design note: the Append Authority is the run's head record. Every append reads it (and the idempotency key it
 * protects, an absent key too) and writes the event at {@code head + 1} with the new head in the same commit, so
 * concurrent appenders of one run conflict in the engine's commit check, the loser re-reads, and the positions of a
 * run are strictly increasing and, in this store, contiguous; a fetch is then point reads by {@code runSeq}. The
 * snapshot is folded by {@link RunProjection} into the head and one record per step in the same commit, so
 * {@link #getSnapshot} is always what {@link #projectSnapshot} computes. Every answer waits for what it read to be
 * durable ({@code DurableAnswers}), on a Strict database by nature and on a Buffered one by waiting for the flush, so
 * a crash never takes back an answer; on an InMemory database nothing survives the process.
 *
 * <p>Design note: retention. {@link #deleteRun} first marks the head as deleting in one commit (from then on reads
 * see no run and appends wait for the deletion), then deletes the run's records from its last event down in commits
 * of at most {@link #DELETE_BATCH_COUNT} events or steps, so any run can be deleted whatever its size, and finally the
 * head. An interrupted deletion is finished by the next {@code deleteRun} or append of that run.
 */
public final class EmbeddedRunStateStore implements RunStateStore
{
    /** The store kind, which names its namespace run. */
    public static final String KIND = "runstate";
    /** The most records one deletion commit removes. */
    public static final int DELETE_BATCH_COUNT = 256;
    /** How often {@link #awaitEvents} re-checks the store even without a signal. */
    public static final Duration AWAIT_RECHECK_INTERVAL = Duration.ofMillis(200);

    private static final Object DELETING = new Object();
    private static final int DELETING_ATTEMPTS_MAX = 1_000;

    private final Database db;
    private final RunId namespace;
    private final Clock clock;
    private final CommitSignals signals;
    private final boolean strict;

    private EmbeddedRunStateStore(final Builder builder)
    {
        this.db = builder.db;
        this.namespace = StoreNamespace.open(builder.db, KIND, builder.name);
        this.clock = builder.clock;
        this.signals = CommitSignals.of(db, namespace);
        this.strict = db.durabilityMode() == DurabilityMode.STRICT;
    }

    /**
     * A builder of a store on a database; any thread. The run state store works on every durability mode (its
     * contract does not demand Strict), and answers only from durable state on each.
     *
     * @param db the database.
     * @return the builder.
     */
    public static Builder builder(final Database db)
    {
        return new Builder(db);
    }

    /** {@inheritDoc} */
    @Override
    public AppendResult appendEvent(final RunEventWrite event)
    {
        RunEventChecks.check(event);
        return append(event.runId(), List.of(event)).get(0);
    }

    /** {@inheritDoc} */
    @Override
    public List<AppendResult> appendEvents(final String runId, final List<RunEventWrite> events)
    {
        RunEventChecks.checkBatch(runId, events);
        if (events.isEmpty())
        {
            return List.of();
        }
        return append(runId, List.copyOf(events));
    }

    /** {@inheritDoc} */
    @Override
    public List<RunEventRecord> fetchEvents(final String runId, final long afterSeq, final int limit)
    {
        RunEventChecks.checkFetch(runId, afterSeq, limit);
        final List<RunEventRecord> events = read(runId, afterSeq, limit);
        DurableAnswers.awaitRead(db);
        return events;
    }

    /** {@inheritDoc} */
    @Override
    public List<RunEventRecord> awaitEvents(final String runId, final long afterSeq, final int limit,
        final Duration timeout)
    {
        RunEventChecks.checkFetch(runId, afterSeq, limit);
        RunEventChecks.checkTimeout(timeout);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final CommitSignals.Channel channel = signals.enter(runId);
        try
        {
            for (long round = 0; round < Long.MAX_VALUE; round++)
            {
                final long seen = channel.version();
                final List<RunEventRecord> events = fetchEvents(runId, afterSeq, limit);
                final long remainingNs = deadlineNs - System.nanoTime();
                if (!events.isEmpty() || remainingNs <= 0)
                {
                    return events;
                }
                final long waitMs = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(remainingNs),
                    AWAIT_RECHECK_INTERVAL.toMillis()));
                try
                {
                    channel.awaitChange(seen, waitMs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            return List.of();
        }
        finally
        {
            signals.leave(runId, channel);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Optional<RunSnapshot> getSnapshot(final String runId)
    {
        RunEventChecks.checkRunId(runId);
        final String runHash = RunRecords.runHash(runId);
        final RunSnapshot snapshot = Commits.commit(db, namespace, tx ->
        {
            final RunRecords.Head head = readHead(tx, runHash, runId);
            if (head == null || head.deleting())
            {
                return null;
            }
            final TreeMap<String, StepSnapshot> steps = new TreeMap<>();
            for (long ordinal = 0; ordinal < head.stepCount(); ordinal++)
            {
                final Optional<Value> stored = tx.get(RunRecords.stepKey(runHash, ordinal));
                if (stored.isPresent())
                {
                    final StepSnapshot step = RunRecords.decodeStep(stored.get());
                    steps.put(step.stepId(), step);
                }
            }
            return head.snapshot().withSteps(steps);
        }).value();
        DurableAnswers.awaitRead(db);
        return Optional.ofNullable(snapshot);
    }

    /** {@inheritDoc} */
    @Override
    public RunSnapshot projectSnapshot(final String runId)
    {
        RunEventChecks.checkRunId(runId);
        final RunProjection projection = RunProjection.start(runId);
        for (long page = 0; page < Long.MAX_VALUE; page++)
        {
            final List<RunEventRecord> events = read(runId, projection.lastEventSeq(), FETCH_LIMIT_MAX);
            for (final RunEventRecord event : events)
            {
                projection.apply(event);
            }
            if (events.size() < FETCH_LIMIT_MAX)
            {
                break;
            }
        }
        DurableAnswers.awaitRead(db);
        return projection.snapshot();
    }

    /** {@inheritDoc} */
    @Override
    public boolean deleteRun(final String runId)
    {
        RunEventChecks.checkRunId(runId);
        final String runHash = RunRecords.runHash(runId);
        final boolean found = Commits.commit(db, namespace, tx ->
        {
            final RunRecords.Head head = readHead(tx, runHash, runId);
            if (head == null)
            {
                return Boolean.FALSE;
            }
            if (!head.deleting())
            {
                tx.put(RunRecords.headKey(runHash), RunRecords.encodeHead(new RunRecords.Head(head.snapshot(),
                    head.firstPersistedMicros(), head.lastPersistedMicros(), head.stepCount(), true)));
            }
            return Boolean.TRUE;
        }).value();
        if (found)
        {
            finishDeletion(runId, runHash);
            signals.signal(runId);
        }
        DurableAnswers.awaitRead(db);
        return found;
    }

    private List<AppendResult> append(final String runId, final List<RunEventWrite> events)
    {
        final String runHash = RunRecords.runHash(runId);
        for (int attempt = 1; attempt <= DELETING_ATTEMPTS_MAX; attempt++)
        {
            final TxResult.Committed<Object> committed = Commits.commit(db, namespace,
                tx -> appendBody(tx, runId, runHash, events));
            if (committed.value() == DELETING)
            {
                finishDeletion(runId, runHash);
                continue;
            }
            @SuppressWarnings("unchecked")
            final List<AppendResult> results = (List<AppendResult>)committed.value();
            boolean duplicate = false;
            for (final AppendResult result : results)
            {
                duplicate |= result.idempotent();
            }
            // A fresh commit in Strict mode is durable, and so is everything before it in the log; a duplicate's
            // original may still be waiting for its force, and a Buffered commit for its flush.
            if (duplicate || !strict)
            {
                DurableAnswers.awaitRead(db);
            }
            if (committed.position() >= 0)
            {
                signals.signal(runId);
            }
            return results;
        }
        throw new ConflictException(ErrorCode.STORE_RETRIES_EXHAUSTED,
            "the run was being deleted on every attempt: attempts=" + DELETING_ATTEMPTS_MAX + ", runId=" + runId);
    }

    private Object appendBody(final Transaction tx, final String runId, final String runHash,
        final List<RunEventWrite> events)
    {
        final RunRecords.Head stored = readHead(tx, runHash, runId);
        if (stored != null && stored.deleting())
        {
            return DELETING;
        }
        final RunRecords.Head start = stored == null ? RunRecords.Head.empty(runId) : stored;
        final long persistedMicros = Math.max(clock.currentTimeMicros(), start.lastPersistedMicros());
        final String persistedAt = Fields.formatMicros(persistedMicros);
        final Map<String, AppendResult> batchKeys = new HashMap<>();
        final List<AppendResult> results = new ArrayList<>(events.size());
        RunSnapshot head = start.snapshot();
        final long[] stepCount = {start.stepCount()};
        for (final RunEventWrite event : events)
        {
            final AppendResult earlier = batchKeys.get(event.idempotencyKey());
            if (earlier != null)
            {
                results.add(new AppendResult(earlier.eventId(), earlier.runSeq(), earlier.persistedAt(), true, false));
                continue;
            }
            final String indexKey = RunRecords.idempotencyKey(runHash, event.idempotencyKey());
            final Optional<Value> existing = tx.get(indexKey);
            if (existing.isPresent())
            {
                final long runSeq = RunRecords.decodeLong(existing.get());
                final RunEventRecord original = RunRecords.decodeEvent(tx.get(RunRecords.eventKey(runHash, runSeq))
                    .orElseThrow(() -> missing(runId, runSeq)));
                final AppendResult duplicate = AppendResult.duplicate(original);
                batchKeys.put(event.idempotencyKey(), duplicate);
                results.add(duplicate);
                continue;
            }
            final RunEventRecord record = RunEventRecord.of(event, head.lastEventSeq() + 1, persistedAt);
            tx.put(RunRecords.eventKey(runHash, record.runSeq()), RunRecords.encodeEvent(record, persistedMicros));
            tx.put(indexKey, Value.of(record.runSeq()));
            final boolean stepChanged = applyStep(tx, runHash, stepCount, record);
            head = RunProjection.applyToRun(head, record, stepChanged);
            final AppendResult persisted = AppendResult.persisted(record);
            batchKeys.put(event.idempotencyKey(), persisted);
            results.add(persisted);
        }
        if (head.lastEventSeq() != start.snapshot().lastEventSeq())
        {
            final long firstMicros = start.snapshot().eventCount() == 0 ? persistedMicros
                : start.firstPersistedMicros();
            tx.put(RunRecords.headKey(runHash), RunRecords.encodeHead(new RunRecords.Head(head, firstMicros,
                persistedMicros, stepCount[0], false)));
        }
        return results;
    }

    /** Folds an event into its step's record, numbering a new step; returns whether the step changed. */
    private static boolean applyStep(final Transaction tx, final String runHash, final long[] stepCount,
        final RunEventRecord record)
    {
        final String stepId = RunProjection.stepKey(record);
        if (stepId == null)
        {
            return false;
        }
        final String indexKey = RunRecords.stepIndexKey(runHash, stepId);
        final Optional<Value> index = tx.get(indexKey);
        final long ordinal = index.isPresent() ? RunRecords.decodeLong(index.get()) : stepCount[0];
        final StepSnapshot current = index.isPresent()
            ? tx.get(RunRecords.stepKey(runHash, ordinal)).map(RunRecords::decodeStep).orElse(null) : null;
        final StepSnapshot next = RunProjection.applyToStep(current, record);
        if (next == current)
        {
            return false;
        }
        if (index.isEmpty())
        {
            tx.put(indexKey, Value.of(ordinal));
            stepCount[0]++;
        }
        tx.put(RunRecords.stepKey(runHash, ordinal), RunRecords.encodeStep(next));
        return true;
    }

    private static RunRecords.Head readHead(final Transaction tx, final String runHash, final String runId)
    {
        final Optional<Value> stored = tx.get(RunRecords.headKey(runHash));
        return stored.isEmpty() ? null : checkedHead(RunRecords.decodeHead(stored.get()), runId);
    }

    private static RunRecords.Head checkedHead(final RunRecords.Head head, final String runId)
    {
        if (!head.snapshot().runId().equals(runId))
        {
            throw new IllegalStateException("two run ids share a SHA-256: runId=" + runId + ", stored="
                + head.snapshot().runId());
        }
        return head;
    }

    /**
     * Point reads of the events after {@code afterSeq}. Events are immutable, so no transaction is needed: every
     * record read is an event the run had; a run deleted in the meantime ends the page early.
     */
    private List<RunEventRecord> read(final String runId, final long afterSeq, final int limit)
    {
        final String runHash = RunRecords.runHash(runId);
        final Optional<Value> stored = db.kv().get(namespace, RunRecords.headKey(runHash));
        if (stored.isEmpty())
        {
            return List.of();
        }
        final RunRecords.Head head = checkedHead(RunRecords.decodeHead(stored.get()), runId);
        final long last = Math.min(head.snapshot().lastEventSeq(), afterSeq + limit);
        if (head.deleting() || last <= afterSeq)
        {
            return List.of();
        }
        final List<RunEventRecord> events = new ArrayList<>((int)(last - afterSeq));
        for (long runSeq = afterSeq + 1; runSeq <= last; runSeq++)
        {
            final Optional<Value> event = db.kv().get(namespace, RunRecords.eventKey(runHash, runSeq));
            if (event.isEmpty())
            {
                break;
            }
            events.add(RunRecords.decodeEvent(event.get()));
        }
        return events;
    }

    /** Deletes a run marked as deleting, in bounded commits, from its last event down; then its head. */
    private void finishDeletion(final String runId, final String runHash)
    {
        for (long round = 0; round < Long.MAX_VALUE; round++)
        {
            final boolean more = Commits.commit(db, namespace, tx -> deleteBatch(tx, runId, runHash)).value();
            if (!more)
            {
                return;
            }
        }
    }

    private static Boolean deleteBatch(final Transaction tx, final String runId, final String runHash)
    {
        final RunRecords.Head head = readHead(tx, runHash, runId);
        if (head == null || !head.deleting())
        {
            return Boolean.FALSE;
        }
        long lastEventSeq = head.snapshot().lastEventSeq();
        long stepCount = head.stepCount();
        int deleted = 0;
        for (; lastEventSeq > 0 && deleted < DELETE_BATCH_COUNT; lastEventSeq--, deleted++)
        {
            final String eventKey = RunRecords.eventKey(runHash, lastEventSeq);
            final Optional<Value> event = tx.get(eventKey);
            if (event.isPresent())
            {
                tx.delete(RunRecords.idempotencyKey(runHash, RunRecords.decodeEvent(event.get()).idempotencyKey()));
                tx.delete(eventKey);
            }
        }
        for (; lastEventSeq == 0 && stepCount > 0 && deleted < DELETE_BATCH_COUNT; stepCount--, deleted++)
        {
            final String stepKey = RunRecords.stepKey(runHash, stepCount - 1);
            final Optional<Value> step = tx.get(stepKey);
            if (step.isPresent())
            {
                tx.delete(RunRecords.stepIndexKey(runHash, RunRecords.decodeStep(step.get()).stepId()));
                tx.delete(stepKey);
            }
        }
        if (lastEventSeq == 0 && stepCount == 0)
        {
            tx.delete(RunRecords.headKey(runHash));
            return Boolean.FALSE;
        }
        final RunSnapshot s = head.snapshot();
        tx.put(RunRecords.headKey(runHash), RunRecords.encodeHead(new RunRecords.Head(new RunSnapshot(s.runId(),
            s.status(), lastEventSeq, s.eventCount(), s.tenantId(), s.projectId(), s.environmentId(), s.planId(),
            s.planVersion(), s.firstPersistedAt(), s.lastPersistedAt(), Map.of()), head.firstPersistedMicros(),
            head.lastPersistedMicros(), stepCount, true)));
        return Boolean.TRUE;
    }

    private static IllegalStateException missing(final String runId, final long runSeq)
    {
        return new IllegalStateException("an idempotency key names an event that is not stored: runId=" + runId
            + ", runSeq=" + runSeq);
    }

    /** Opens an {@link EmbeddedRunStateStore}; used by one thread. */
    public static final class Builder
    {
        private final Database db;
        private String name = "default";
        private Clock clock = Clock.system();

        private Builder(final Database db)
        {
            if (db == null)
            {
                throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "database is null");
            }
            this.db = db;
        }

        /**
         * Names the store on its database; stores of other names keep other records.
         *
         * @param value 1 to 128 characters; {@code "default"} unless set.
         * @return this.
         */
        public Builder name(final String value)
        {
            name = value;
            return this;
        }

        /**
         * Sets the clock that stamps {@code persistedAt}.
         *
         * @param value the clock; the system clock unless set.
         * @return this.
         */
        public Builder clock(final Clock value)
        {
            if (value == null)
            {
                throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "clock is null");
            }
            clock = value;
            return this;
        }

        /**
         * Opens the store, beginning its namespace run on first use.
         *
         * @return the store.
         */
        public EmbeddedRunStateStore open()
        {
            return new EmbeddedRunStateStore(this);
        }
    }
}
