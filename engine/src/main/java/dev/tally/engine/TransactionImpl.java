/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntryType;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.primitives.CanonicalJson;
import dev.tally.primitives.EventPrimitive;
import dev.tally.primitives.JsonEdits;
import dev.tally.primitives.JsonPrimitive;
import dev.tally.primitives.KvPrimitive;
import dev.tally.primitives.StatePrimitive;
import dev.tally.primitives.TracePrimitive;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A transaction's buffered writes, its private view and its read set. Owned by the thread running the body; validated
 * and committed by {@link Database#transaction} under the commit lock.
 *
 * <p>Every item read from the committed state is recorded with its version; at commit, a changed version is a
 * conflict and nothing is written. Items the transaction wrote before reading are served from its own buffer.
 */
final class TransactionImpl implements Transaction
{
    /** A version the transaction read, checked again at commit. */
    interface ReadCheck
    {
        /** Returns a conflict when the item changed, else null; under the commit lock. */
        Conflict validate();
    }

    private final RunId runId;
    private final Primitives primitives;
    private final Checks checks;
    private final PendingEntries entries = new PendingEntries();
    private final List<ReadCheck> reads = new ArrayList<>();
    private final Map<Key, Optional<Value>> kvWrites = new HashMap<>();
    private final Map<Key, Optional<StateValue>> cellView = new HashMap<>();
    private final Map<Key, Optional<JsonDoc>> jsonView = new HashMap<>();
    private final Map<TracePrimitive.SpanId, TracePrimitive.SpanId> ownSpanTraces = new HashMap<>();
    private long eventCount = -1;
    private boolean finished;

    TransactionImpl(final RunId runId, final Primitives primitives, final Checks checks)
    {
        this.runId = runId;
        this.primitives = primitives;
        this.checks = checks;
    }

    PendingEntries entries()
    {
        return entries;
    }

    List<Conflict> validate()
    {
        final List<Conflict> conflicts = new ArrayList<>();
        for (final ReadCheck read : reads)
        {
            final Conflict conflict = read.validate();
            if (conflict != null)
            {
                conflicts.add(conflict);
            }
        }
        return conflicts;
    }

    void finish()
    {
        finished = true;
    }

    void addRead(final ReadCheck check)
    {
        reads.add(check);
    }

    void addEntry(final int typeCode, final byte[] body)
    {
        entries.add(typeCode, body);
    }

    void checkUsable()
    {
        if (finished)
        {
            throw new IllegalStateException("transaction used after its body returned");
        }
    }

    @Override
    public Optional<Value> get(final String key)
    {
        checkUsable();
        final Key k = checks.key(key);
        final Optional<Value> own = kvWrites.get(k);
        if (own != null)
        {
            return own;
        }
        final KvPrimitive.Versioned entry = primitives.kv().get(runId, k);
        final long version = entry == null ? 0 : entry.version();
        reads.add(() ->
        {
            final KvPrimitive.Versioned now = primitives.kv().get(runId, k);
            final long actual = now == null ? 0 : now.version();
            return actual == version ? null : new Conflict("kv", key, version, actual);
        });
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    @Override
    public void put(final String key, final Value value)
    {
        checkUsable();
        final Key k = checks.key(key);
        entries.add(WalEntryType.KV_PUT.code(), KvPrimitive.putBody(k, checks.value(value)));
        kvWrites.put(k, Optional.of(value));
    }

    @Override
    public boolean delete(final String key)
    {
        checkUsable();
        final boolean existed = get(key).isPresent();
        if (existed)
        {
            final Key k = checks.key(key);
            entries.add(WalEntryType.KV_DELETE.code(), KvPrimitive.deleteBody(k));
            kvWrites.put(k, Optional.empty());
        }
        return existed;
    }

    @Override
    public long append(final String type, final Value payload)
    {
        checkUsable();
        final Key t = checks.key(type);
        final long sequence = eventCount() + 1;
        entries.add(WalEntryType.EVENT_APPEND.code(), EventPrimitive.appendBody(t,
            primitives.clock().currentTimeMicros(), checks.value(payload)));
        eventCount = sequence;
        return sequence;
    }

    @Override
    public long eventCount()
    {
        checkUsable();
        if (eventCount < 0)
        {
            final long seen = primitives.events().count(runId);
            eventCount = seen;
            reads.add(() ->
            {
                final long actual = primitives.events().count(runId);
                return actual == seen ? null : new Conflict("events", runId.toString(), seen, actual);
            });
        }
        return eventCount;
    }

    @Override
    public Optional<StateValue> cell(final String name)
    {
        checkUsable();
        final Key n = checks.key(name);
        final Optional<StateValue> own = cellView.get(n);
        if (own != null)
        {
            return own;
        }
        final StatePrimitive.Cell cell = primitives.state().get(runId, n);
        final long version = cell == null ? 0 : cell.version();
        reads.add(() ->
        {
            final StatePrimitive.Cell now = primitives.state().get(runId, n);
            final long actual = now == null ? 0 : now.version();
            return actual == version ? null : new Conflict("state", name, version, actual);
        });
        final Optional<StateValue> seen = cell == null ? Optional.empty()
            : Optional.of(new StateValue(cell.value(), cell.version()));
        cellView.put(n, seen);
        return seen;
    }

    @Override
    public long setCell(final String name, final Value value)
    {
        final Optional<StateValue> current = cell(name);
        final Key n = checks.key(name);
        final long version = current.map(StateValue::version).orElse(0L) + 1;
        entries.add(WalEntryType.STATE_SET.code(), StatePrimitive.valueBody(n, checks.value(value)));
        cellView.put(n, Optional.of(new StateValue(value, version)));
        return version;
    }

    @Override
    public boolean initCell(final String name, final Value value)
    {
        if (cell(name).isPresent())
        {
            return false;
        }
        final Key n = checks.key(name);
        entries.add(WalEntryType.STATE_INIT.code(), StatePrimitive.valueBody(n, checks.value(value)));
        cellView.put(n, Optional.of(new StateValue(value, 1)));
        return true;
    }

    @Override
    public CasResult casCell(final String name, final long expectedVersion, final Value value)
    {
        final Optional<StateValue> current = cell(name);
        if (current.isEmpty())
        {
            throw new InvalidArgumentException(ErrorCode.CELL_NOT_FOUND,
                "compare-and-set on a cell that does not exist: run=" + runId + ", name=" + name);
        }
        if (current.get().version() != expectedVersion)
        {
            return new CasResult.Conflict(expectedVersion, current.get().version());
        }
        final Key n = checks.key(name);
        entries.add(WalEntryType.STATE_TRANSITION.code(),
            StatePrimitive.transitionBody(n, expectedVersion, checks.value(value)));
        cellView.put(n, Optional.of(new StateValue(value, expectedVersion + 1)));
        return new CasResult.Success(expectedVersion + 1);
    }

    @Override
    public Optional<JsonDoc> json(final String key)
    {
        checkUsable();
        final Key k = checks.key(key);
        final Optional<JsonDoc> own = jsonView.get(k);
        if (own != null)
        {
            return own;
        }
        final JsonPrimitive.Doc doc = primitives.json().get(runId, k);
        final long version = doc == null ? 0 : doc.version();
        reads.add(() ->
        {
            final long actual = primitives.json().version(runId, k);
            return actual == version ? null : new Conflict("json", key, version, actual);
        });
        final Optional<JsonDoc> seen = doc == null ? Optional.empty()
            : Optional.of(new JsonDoc(key, doc.value(), doc.version()));
        jsonView.put(k, seen);
        return seen;
    }

    @Override
    public void createJson(final String key, final JsonValue document)
    {
        if (json(key).isPresent())
        {
            throw new InvalidArgumentException(ErrorCode.DOCUMENT_ALREADY_EXISTS,
                "document already exists: run=" + runId + ", key=" + key);
        }
        final Key k = checks.key(key);
        entries.add(WalEntryType.JSON_CREATE.code(), JsonPrimitive.createBody(k, JsonStore.canonical(checks,
            document)));
        jsonView.put(k, Optional.of(new JsonDoc(key, document, -1)));
    }

    @Override
    public void setJson(final String key, final String path, final JsonValue value)
    {
        final JsonDoc current = json(key).orElseThrow(() -> JsonStore.notFound(runId, key));
        editJson(WalEntryType.JSON_SET.code(), key, path, JsonEdits.set(current.document(), path, value));
    }

    @Override
    public void patchJson(final String key, final JsonArray patch)
    {
        final JsonDoc current = json(key).orElseThrow(() -> JsonStore.notFound(runId, key));
        final JsonValue next = JsonEdits.patch(current.document(), patch);
        editJson(WalEntryType.JSON_PATCH.code(), key, CanonicalJson.write(patch), next);
    }

    private void editJson(final int typeCode, final String key, final String operand, final JsonValue next)
    {
        final Key k = checks.key(key);
        entries.add(typeCode, JsonPrimitive.editBody(typeCode, k, operand, JsonStore.canonical(checks, next)));
        jsonView.put(k, Optional.of(new JsonDoc(key, next, -1)));
    }

    @Override
    public boolean deleteJson(final String key)
    {
        final boolean existed = json(key).isPresent();
        if (existed)
        {
            final Key k = checks.key(key);
            entries.add(WalEntryType.JSON_DELETE.code(), JsonPrimitive.deleteBody(k));
            jsonView.put(k, Optional.empty());
        }
        return existed;
    }

    /**
     * Spans are never changed or removed once recorded, so a parent found now is still there at commit and needs no
     * entry in the read set.
     */
    @Override
    public String recordSpan(final SpanRecord span)
    {
        checkUsable();
        final TracePrimitive.StoredSpan stored = TraceStore.build(checks, primitives.ids(), span, this::traceOfSpan);
        if (stored.parentId() != null && !stored.traceId().equals(traceOfSpan(stored.parentId())))
        {
            throw TraceStore.parentNotFound(runId, stored);
        }
        final byte[] body = TracePrimitive.recordBody(stored);
        checks.textLength("span", body.length);
        entries.add(WalEntryType.TRACE_RECORD.code(), body);
        ownSpanTraces.put(stored.id(), stored.traceId());
        return stored.id().hex();
    }

    private TracePrimitive.SpanId traceOfSpan(final TracePrimitive.SpanId spanId)
    {
        final TracePrimitive.SpanId own = ownSpanTraces.get(spanId);
        if (own != null)
        {
            return own;
        }
        final TracePrimitive.StoredSpan committed = primitives.traces().get(runId, spanId);
        return committed == null ? null : committed.traceId();
    }
}
