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

-- Payment server state, per trust domain (one ServerStateStore per domain).
-- A transaction id is consumed once per trust domain.
CREATE TABLE tally_exact_payments (
    trust_domain         text        NOT NULL,
    transaction_id       text        NOT NULL,
    payment_output_index integer     NOT NULL CHECK (payment_output_index >= 0),
    request_fingerprint  text        NOT NULL,
    payment_payload_hash text        NOT NULL,
    response             bytea       NOT NULL,
    committed_at         timestamptz NOT NULL,
    CONSTRAINT tally_exact_payments_transaction_id PRIMARY KEY (trust_domain, transaction_id)
);

-- A payment identifier is unique in its trust domain and bound to one exact payment or one batch commitment.
CREATE TABLE tally_payment_identifiers (
    trust_domain         text        NOT NULL,
    id                   text        NOT NULL,
    request_fingerprint  text        NOT NULL,
    payment_payload_hash text        NOT NULL,
    payment_scope_id     text        NOT NULL,
    response             bytea       NOT NULL,
    transaction_id       text,
    commitment_id        text,
    committed_at         timestamptz NOT NULL,
    CONSTRAINT tally_payment_identifiers_id PRIMARY KEY (trust_domain, id),
    CONSTRAINT tally_payment_identifiers_one_use CHECK ((transaction_id IS NULL) <> (commitment_id IS NULL))
);

CREATE TABLE tally_channels (
    trust_domain              text    NOT NULL,
    channel_id                text    NOT NULL,
    version                   bigint  NOT NULL CHECK (version >= 0),
    status                    text    NOT NULL CHECK (status IN ('OPEN', 'CLOSING', 'CLOSED')),
    funding_amount            text    NOT NULL,
    charged_cumulative_amount text    NOT NULL,
    claimed_cumulative_amount text    NOT NULL,
    signed_max_claimable      text    NOT NULL,
    active_outpoint           text,
    voucher_signature         text,
    last_commitment_id        text,
    details                   bytea   NOT NULL,
    CONSTRAINT tally_channels_channel_id PRIMARY KEY (trust_domain, channel_id)
);

CREATE TABLE tally_batch_commitments (
    trust_domain              text        NOT NULL,
    commitment_id             text        NOT NULL,
    channel_id                text        NOT NULL,
    request_fingerprint       text        NOT NULL,
    amount                    text        NOT NULL,
    charged_cumulative_amount text        NOT NULL,
    payment_identifier        text,
    response                  bytea       NOT NULL,
    committed_at              timestamptz NOT NULL,
    CONSTRAINT tally_batch_commitments_commitment_id PRIMARY KEY (trust_domain, commitment_id)
);

-- Claim attempts; the channel snapshot an attempt was made on is kept whole, as JSON.
CREATE TABLE tally_claim_attempts (
    trust_domain text        NOT NULL,
    attempt_id   text        NOT NULL,
    channel_id   text        NOT NULL,
    snapshot     json        NOT NULL,
    claim_amount text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('OPEN', 'APPLIED', 'ABANDONED')),
    transaction  bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT tally_claim_attempts_attempt_id PRIMARY KEY (trust_domain, attempt_id)
);

-- At most one open claim attempt per channel.
CREATE UNIQUE INDEX tally_claim_attempts_one_open ON tally_claim_attempts (trust_domain, channel_id)
    WHERE status = 'OPEN';

-- Idempotency keys, the source of truth of the idempotency store. Unique on (principal, method, idempotency_key)
-- through a digest of the three (each may be up to 1,024 characters, more than a B-tree entry holds).
CREATE FUNCTION tally_idempotency_key_hash(principal text, method text, idempotency_key text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT sha256(convert_to(length(principal) || ':' || principal || length(method) || ':' || method
        || length(idempotency_key) || ':' || idempotency_key, 'UTF8'))
$$;

CREATE TABLE tally_idempotency_keys (
    principal        text        NOT NULL,
    method           text        NOT NULL,
    idempotency_key  text        NOT NULL,
    key_hash         bytea       NOT NULL GENERATED ALWAYS AS
                                     (tally_idempotency_key_hash(principal, method, idempotency_key)) STORED,
    request_hash     text        NOT NULL,
    status           text        NOT NULL
                                 CHECK (status IN ('IN_PROGRESS', 'SUCCEEDED', 'FAILED_FINAL', 'FAILED_RETRYABLE')),
    response_code    integer     NOT NULL,
    response_payload bytea       NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    fencing_token    bigint      NOT NULL CHECK (fencing_token >= 1),
    CONSTRAINT tally_idempotency_keys_key UNIQUE (key_hash)
);

-- Terminal records by expiry, for deleteExpired.
CREATE INDEX tally_idempotency_keys_expiry ON tally_idempotency_keys (expires_at) WHERE status <> 'IN_PROGRESS';
