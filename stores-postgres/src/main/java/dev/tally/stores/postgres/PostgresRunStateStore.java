/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.Clock;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.runstate.AppendResult;
import dev.tally.stores.runstate.RunEventChecks;
import dev.tally.stores.runstate.RunEventRecord;
import dev.tally.stores.runstate.RunEventWrite;
import dev.tally.stores.runstate.RunProjection;
import dev.tally.stores.runstate.RunSnapshot;
import dev.tally.stores.runstate.RunStateStore;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;

import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Append Authority of run events on PostgreSQL (v2 sections 3 and 4): each append is one transaction that takes
 * the run's {@code pg_advisory_xact_lock}, so appenders of one run queue on the server instead of colliding (and
 * appenders of different runs never wait for each other), finds duplicates, inserts with the next {@code runSeq} under
 * the unique keys {@code (run_id, run_seq)} and {@code (run_id, idempotency_key)} ({@code INSERT ... ON CONFLICT DO
 * NOTHING} as the last word), and rewrites the run's snapshot row. Any thread.
 *
 * <p>Design note: a PostgreSQL commit with {@code synchronous_commit} on becomes visible only after its WAL is
 * flushed, so whatever another session reads is durable; no durable-answer wait is needed as on the embedded engine.
 */
public final class PostgresRunStateStore implements RunStateStore
{
    /** One reader factory for every parse: {@code Json.createReader} looks the JSON provider up on each call. */
    private static final JsonReaderFactory JSON_READERS = Json.createReaderFactory(Map.of());

    /** How often {@link #awaitEvents} queries again while no event arrives (appends of this process wake it). */
    public static final Duration AWAIT_RECHECK_INTERVAL = Duration.ofMillis(50);

    private static final String COLUMNS = "event_id, event_type, emitted_at, run_id, tenant_id, project_id, "
        + "environment_id, plan_id, plan_version, engine_attempt_id, logical_attempt_id, idempotency_key, step_id, "
        + "payload, run_seq, persisted_at";

    private final Transactions transactions;
    private final Clock clock;
    private final Object appended = new Object();
    private long appendedVersion;

    /**
     * A store on an entry point's database.
     *
     * @param stores the entry point.
     */
    PostgresRunStateStore(final PostgresStores stores)
    {
        this.transactions = stores.transactions();
        this.clock = stores.clock();
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
        return transactions.run("fetchEvents", connection -> read(connection, runId, afterSeq, limit));
    }

    /** {@inheritDoc} */
    @Override
    public List<RunEventRecord> awaitEvents(final String runId, final long afterSeq, final int limit,
        final Duration timeout)
    {
        RunEventChecks.checkFetch(runId, afterSeq, limit);
        RunEventChecks.checkTimeout(timeout);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        for (long round = 0; round < Long.MAX_VALUE; round++)
        {
            final long seen;
            synchronized (appended)
            {
                seen = appendedVersion;
            }
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
                synchronized (appended)
                {
                    if (appendedVersion == seen)
                    {
                        appended.wait(waitMs);
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** {@inheritDoc} */
    @Override
    public Optional<RunSnapshot> getSnapshot(final String runId)
    {
        RunEventChecks.checkRunId(runId);
        return Optional.ofNullable(transactions.run("getSnapshot", connection ->
        {
            try (PreparedStatement select =
                connection.prepareStatement("SELECT snapshot FROM tally_runs WHERE run_id = ?"))
            {
                select.setString(1, runId);
                try (ResultSet row = select.executeQuery())
                {
                    return row.next() ? RunSnapshotJson.decode(row.getString(1)) : null;
                }
            }
        }));
    }

    /** {@inheritDoc} */
    @Override
    public RunSnapshot projectSnapshot(final String runId)
    {
        RunEventChecks.checkRunId(runId);
        return transactions.run("projectSnapshot", connection ->
        {
            final RunProjection projection = RunProjection.start(runId);
            for (long page = 0; page < Long.MAX_VALUE; page++)
            {
                final List<RunEventRecord> events = read(connection, runId, projection.lastEventSeq(),
                    FETCH_LIMIT_MAX);
                for (final RunEventRecord event : events)
                {
                    projection.apply(event);
                }
                if (events.size() < FETCH_LIMIT_MAX)
                {
                    break;
                }
            }
            return projection.snapshot();
        });
    }

    /** {@inheritDoc} */
    @Override
    public boolean deleteRun(final String runId)
    {
        RunEventChecks.checkRunId(runId);
        final boolean found = transactions.run("deleteRun", connection ->
        {
            lockRun(connection, runId);
            final int events;
            try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM tally_run_events WHERE run_id = ?"))
            {
                delete.setString(1, runId);
                events = delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tally_runs WHERE run_id = ?"))
            {
                delete.setString(1, runId);
                delete.executeUpdate();
            }
            return events > 0;
        });
        signalAppended();
        return found;
    }

    private List<AppendResult> append(final String runId, final List<RunEventWrite> events)
    {
        final List<AppendResult> results = transactions.run("appendEvents", connection ->
            appendBody(connection, runId, events));
        for (final AppendResult result : results)
        {
            if (result.persisted())
            {
                signalAppended();
                break;
            }
        }
        return results;
    }

    private List<AppendResult> appendBody(final Connection connection, final String runId,
        final List<RunEventWrite> events) throws SQLException
    {
        lockRun(connection, runId);
        final Map<String, AppendResult> stored = findKeys(connection, runId, events);
        final RunSnapshot before = loadSnapshot(connection, runId);
        final long lastPersistedMicros = before.lastPersistedAt() == null ? Long.MIN_VALUE
            : Fields.toMicros(Fields.utcTimestamp("lastPersistedAt", before.lastPersistedAt()));
        final long persistedMicros = Math.max(clock.currentTimeMicros(), lastPersistedMicros);
        final String persistedAt = Fields.formatMicros(persistedMicros);
        final RunProjection projection = RunProjection.from(before);
        final List<AppendResult> results = new ArrayList<>(events.size());
        final List<RunEventRecord> fresh = new ArrayList<>();
        long runSeq = before.lastEventSeq();
        for (final RunEventWrite event : events)
        {
            final AppendResult original = stored.get(event.idempotencyKey());
            if (original != null)
            {
                results.add(original.persisted()
                    ? new AppendResult(original.eventId(), original.runSeq(), original.persistedAt(), true, false)
                    : original);
                continue;
            }
            final RunEventRecord record = RunEventRecord.of(event, ++runSeq, persistedAt);
            final AppendResult result = AppendResult.persisted(record);
            stored.put(event.idempotencyKey(), result);
            results.add(result);
            fresh.add(record);
            projection.apply(record);
        }
        if (!fresh.isEmpty())
        {
            insert(connection, fresh, persistedMicros);
            saveSnapshot(connection, runId, before.lastEventSeq() == 0, projection.snapshot());
        }
        return results;
    }

    private static void lockRun(final Connection connection, final String runId) throws SQLException
    {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)"))
        {
            lock.setLong(1, LockKeys.of(LockKeys.RUN, runId));
            lock.execute();
        }
    }

    /** The stored events of the batch's keys, as duplicate results. */
    private static Map<String, AppendResult> findKeys(final Connection connection, final String runId,
        final List<RunEventWrite> events) throws SQLException
    {
        final LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (final RunEventWrite event : events)
        {
            keys.add(event.idempotencyKey());
        }
        final Map<String, AppendResult> found = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT idempotency_key, event_id, run_seq, "
            + "persisted_at FROM tally_run_events WHERE run_id = ? AND idempotency_key = ANY (?)"))
        {
            final Array array = connection.createArrayOf("text", keys.toArray());
            select.setString(1, runId);
            select.setArray(2, array);
            try (ResultSet rows = select.executeQuery())
            {
                while (rows.next())
                {
                    found.put(rows.getString(1), new AppendResult(rows.getString(2), rows.getLong(3),
                        SqlTimes.text(rows, "persisted_at"), true, false));
                }
            }
            array.free();
        }
        return found;
    }

    private static RunSnapshot loadSnapshot(final Connection connection, final String runId) throws SQLException
    {
        try (PreparedStatement select =
            connection.prepareStatement("SELECT snapshot FROM tally_runs WHERE run_id = ?"))
        {
            select.setString(1, runId);
            try (ResultSet row = select.executeQuery())
            {
                return row.next() ? RunSnapshotJson.decode(row.getString(1)) : RunSnapshot.empty(runId);
            }
        }
    }

    private static void insert(final Connection connection, final List<RunEventRecord> records,
        final long persistedMicros) throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tally_run_events (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS json), ?, ?) "
            + "ON CONFLICT (run_id, idempotency_key) DO NOTHING"))
        {
            for (final RunEventRecord record : records)
            {
                insert.setString(1, record.eventId());
                insert.setString(2, record.eventType());
                insert.setString(3, record.emittedAt());
                insert.setString(4, record.runId());
                insert.setString(5, record.tenantId());
                insert.setString(6, record.projectId());
                insert.setString(7, record.environmentId());
                insert.setString(8, record.planId());
                insert.setString(9, record.planVersion());
                insert.setLong(10, record.engineAttemptId());
                insert.setLong(11, record.logicalAttemptId());
                insert.setString(12, record.idempotencyKey());
                insert.setString(13, record.stepId());
                insert.setString(14, record.payload() == null ? null : record.payload().toString());
                insert.setLong(15, record.runSeq());
                SqlTimes.set(insert, 16, persistedMicros);
                insert.addBatch();
            }
            for (final int count : insert.executeBatch())
            {
                if (count != 1)
                {
                    // The run's lock makes this unreachable; were it reached, the whole batch rolls back and retries.
                    throw new SQLException("an event key appeared under the run's lock", SqlFailures.UNIQUE_VIOLATION);
                }
            }
        }
    }

    private static void saveSnapshot(final Connection connection, final String runId, final boolean first,
        final RunSnapshot snapshot) throws SQLException
    {
        final String sql = first
            ? "INSERT INTO tally_runs (last_seq, snapshot, run_id) VALUES (?, CAST(? AS json), ?)"
            : "UPDATE tally_runs SET last_seq = ?, snapshot = CAST(? AS json) WHERE run_id = ?";
        try (PreparedStatement write = connection.prepareStatement(sql))
        {
            write.setLong(1, snapshot.lastEventSeq());
            write.setString(2, RunSnapshotJson.encode(snapshot));
            write.setString(3, runId);
            if (write.executeUpdate() != 1)
            {
                throw new SQLException("the run's snapshot row changed under the run's lock",
                    SqlFailures.UNIQUE_VIOLATION);
            }
        }
    }

    private static List<RunEventRecord> read(final Connection connection, final String runId, final long afterSeq,
        final int limit) throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
            + " FROM tally_run_events WHERE run_id = ? AND run_seq > ? ORDER BY run_seq LIMIT ?"))
        {
            select.setString(1, runId);
            select.setLong(2, afterSeq);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery())
            {
                final List<RunEventRecord> events = new ArrayList<>();
                while (rows.next())
                {
                    events.add(record(rows));
                }
                return events;
            }
        }
    }

    private static RunEventRecord record(final ResultSet rows) throws SQLException
    {
        final String payload = rows.getString("payload");
        return new RunEventRecord(rows.getString("event_id"), rows.getString("event_type"),
            rows.getString("emitted_at"), rows.getString("run_id"), rows.getString("tenant_id"),
            rows.getString("project_id"), rows.getString("environment_id"), rows.getString("plan_id"),
            rows.getString("plan_version"), rows.getLong("engine_attempt_id"), rows.getLong("logical_attempt_id"),
            rows.getString("idempotency_key"), rows.getString("step_id"), payload == null ? null : parse(payload),
            rows.getLong("run_seq"), SqlTimes.text(rows, "persisted_at"));
    }

    private static JsonObject parse(final String payload)
    {
        try (JsonReader reader = JSON_READERS.createReader(new StringReader(payload)))
        {
            return reader.readObject();
        }
    }

    private void signalAppended()
    {
        synchronized (appended)
        {
            appendedVersion++;
            appended.notifyAll();
        }
    }
}
