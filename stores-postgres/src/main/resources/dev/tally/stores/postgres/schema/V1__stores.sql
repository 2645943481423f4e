-- Copyright 2026 The Tally Authors
-- SPDX-License-Identifier: Apache-2.0
--
-- Schema version 1 of the Tally stores on PostgreSQL, applied by PostgresSchema.migrate in one transaction.
-- Stored data: changing a table needs a new script (V2__...) and a higher PostgresSchema.VERSION.
-- Times are timestamptz (UTC microseconds, PostgreSQL's own precision).

-- Run state (the Append Authority): one row per persisted event, never updated.
CREATE TABLE tally_run_events (
    run_id             text        NOT NULL,
    run_seq            bigint      NOT NULL CHECK (run_seq > 0),
    event_id           text        NOT NULL,
    idempotency_key    text        NOT NULL,
    event_type         text        NOT NULL,
    emitted_at         text        NOT NULL,
    tenant_id          text        NOT NULL,
    project_id         text        NOT NULL,
    environment_id     text        NOT NULL,
    plan_id            text        NOT NULL,
    plan_version       text        NOT NULL,
    engine_attempt_id  bigint      NOT NULL CHECK (engine_attempt_id >= 1),
    logical_attempt_id bigint      NOT NULL CHECK (logical_attempt_id >= 1),
    step_id            text,
    payload            json,
    persisted_at       timestamptz NOT NULL,
    CONSTRAINT tally_run_events_run_seq UNIQUE (run_id, run_seq),
    CONSTRAINT tally_run_events_idempotency_key UNIQUE (run_id, idempotency_key)
);

-- Persisted events are immutable: an UPDATE is refused by the server whoever sends it. Only a whole run is deleted.
CREATE FUNCTION tally_run_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tally_run_events is append-only: run_id=%, run_seq=%', OLD.run_id, OLD.run_seq
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER tally_run_events_append_only BEFORE UPDATE ON tally_run_events
    FOR EACH ROW EXECUTE FUNCTION tally_run_events_refuse_update();

-- The materialised snapshot of each run, written in the transaction of every append that persisted an event.
CREATE TABLE tally_runs (
    run_id   text   PRIMARY KEY,
    last_seq bigint NOT NULL CHECK (last_seq > 0),
    snapshot json   NOT NULL
);
