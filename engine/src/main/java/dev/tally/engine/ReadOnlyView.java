/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.HistoryFrame;
import dev.tally.core.Key;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.primitives.CanonicalJson;
import dev.tally.primitives.EventPrimitive;
import dev.tally.primitives.JsonPrimitive;
import dev.tally.primitives.KvPrimitive;
import dev.tally.primitives.StatePrimitive;
import dev.tally.primitives.TracePrimitive;
import dev.tally.replay.AsOf;
import dev.tally.replay.Replayer;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run's state rebuilt from its history, as of a bound: the five built-in primitives, readable and never
 * writable (the view types have no write methods). It lives in memory only, belongs to nobody else and is never
 * persisted; the live database does not see it. Immutable once built; any thread.
 *
 * <p>Design note: the view holds its own fresh primitive instances, filled by {@link Replayer} through the same
 * {@code applyWalEntry} code the live engine and recovery use, so a replayed run reads exactly as the run read live
 * at that point. Run lifecycle entries and extension entries are not changes of a view and are skipped.
 *
 * <p>Design note: {@link #toJson()} is the canonical rendering that diffs compare. It renders what a run wrote, not
 * where or when the log stored it: event times and the JSON documents' versions (log positions) are left out, so two
 * runs that wrote the same things render the same. State cells keep their version, which counts the cell's writes.
 * The rendering is {@code {"kv":{key:value},"events":[{"sequence","type","payload"}],"state":{name:{"value",
 * "version"}},"json":{key:document},"traces":{spanId:{"traceId","parentSpanId","name","startMicros","endMicros",
 * "attributes"}}}} with keys in UTF-8 byte order. Values: Null as null, Bool as a boolean, I64 and F64 as numbers
 * (NaN and the infinities as the strings "NaN", "Infinity", "-Infinity"), String as a string, Bytes as
 * {@code {"base64":"..."}}.
 */
public final class ReadOnlyView
{
    private final RunId runId;
    private final AsOf asOf;
    private final long changeCount;
    private final KvPrimitive kvPrimitive = new KvPrimitive();
    private final JsonPrimitive jsonPrimitive = new JsonPrimitive();
    private final EventPrimitive eventPrimitive = new EventPrimitive();
    private final StatePrimitive statePrimitive = new StatePrimitive();
    private final TracePrimitive tracePrimitive = new TracePrimitive();
    private final KvView kv = new Kv();
    private final EventView events = new Events();
    private final StateView state = new State();
    private final JsonView json = new Json();
    private final TraceView traces = new Traces();

    private ReadOnlyView(final RunId runId, final List<HistoryFrame> frames, final AsOf asOf)
    {
        this.runId = runId;
        this.asOf = asOf;
        this.changeCount = Replayer.replay(runId, frames, primitives(), asOf).changeCount();
    }

    static ReadOnlyView replay(final RunId runId, final List<HistoryFrame> frames, final AsOf asOf)
    {
        return new ReadOnlyView(runId, frames, asOf);
    }

    List<PrimitiveStorageExt> primitives()
    {
        return List.of(kvPrimitive, jsonPrimitive, eventPrimitive, statePrimitive, tracePrimitive);
    }

    String hash()
    {
        return Replayer.hash(primitives());
    }

    /**
     * The run; any thread.
     *
     * @return the run id.
     */
    public RunId runId()
    {
        return runId;
    }

    /**
     * The bound the view was replayed to; any thread.
     *
     * @return the bound.
     */
    public AsOf asOf()
    {
        return asOf;
    }

    /**
     * The number of changes (entries of the five primitives) the view applied; any thread.
     *
     * @return the count.
     */
    public long changeCount()
    {
        return changeCount;
    }

    /**
     * The run's keys and values; any thread.
     *
     * @return the read-only store.
     */
    public KvView kv()
    {
        return kv;
    }

    /**
     * The run's events; any thread.
     *
     * @return the read-only log.
     */
    public EventView events()
    {
        return events;
    }

    /**
     * The run's state cells; any thread.
     *
     * @return the read-only cells.
     */
    public StateView state()
    {
        return state;
    }

    /**
     * The run's JSON documents; any thread.
     *
     * @return the read-only store.
     */
    public JsonView json()
    {
        return json;
    }

    /**
     * The run's spans; any thread.
     *
     * @return the read-only store.
     */
    public TraceView traces()
    {
        return traces;
    }

    /**
     * The canonical JSON rendering described in the class description; any thread.
     *
     * @return a new JSON object.
     */
    public JsonObject toJson()
    {
        final JsonObjectBuilder root = CanonicalJson.PROVIDER.createObjectBuilder();
        final JsonObjectBuilder kvObject = CanonicalJson.PROVIDER.createObjectBuilder();
        for (final Key key : kvPrimitive.list(runId, null))
        {
            kvObject.add(key.text(), toJson(kvPrimitive.get(runId, key).value()));
        }
        final JsonArrayBuilder eventArray = CanonicalJson.PROVIDER.createArrayBuilder();
        for (final EventPrimitive.StoredEvent e : eventPrimitive.range(runId, 1, eventPrimitive.count(runId)))
        {
            eventArray.add(CanonicalJson.PROVIDER.createObjectBuilder().add("sequence", e.sequence())
                .add("type", e.type().text()).add("payload", toJson(e.payload())));
        }
        final JsonObjectBuilder stateObject = CanonicalJson.PROVIDER.createObjectBuilder();
        for (final Key name : statePrimitive.names(runId))
        {
            final StatePrimitive.Cell cell = statePrimitive.get(runId, name);
            stateObject.add(name.text(), CanonicalJson.PROVIDER.createObjectBuilder()
                .add("value", toJson(cell.value())).add("version", cell.version()));
        }
        final JsonObjectBuilder jsonObject = CanonicalJson.PROVIDER.createObjectBuilder();
        for (final Key key : jsonPrimitive.keys(runId))
        {
            jsonObject.add(key.text(), jsonPrimitive.get(runId, key).value());
        }
        final JsonObjectBuilder traceObject = CanonicalJson.PROVIDER.createObjectBuilder();
        for (final Span span : spans())
        {
            traceObject.add(span.spanId(), toJson(span));
        }
        return root.add("kv", kvObject).add("events", eventArray).add("state", stateObject).add("json", jsonObject)
            .add("traces", traceObject).build();
    }

    /**
     * The canonical JSON rendering as text: no insignificant whitespace, object members sorted by code point; any
     * thread. Equal views give equal text on every JVM.
     *
     * @return the text.
     */
    public String toJsonText()
    {
        return CanonicalJson.write(toJson());
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "ReadOnlyView[run=" + runId + ", " + asOf + ", changes=" + changeCount + "]";
    }

    private List<Span> spans()
    {
        final List<Span> out = new ArrayList<>();
        final List<TracePrimitive.StoredSpan> stored = tracePrimitive.startingIn(runId, Long.MIN_VALUE,
            Long.MAX_VALUE);
        for (final TracePrimitive.StoredSpan span : stored)
        {
            out.add(TraceStore.toSpan(span));
        }
        out.sort((a, b) -> a.spanId().compareTo(b.spanId()));
        return out;
    }

    private static JsonValue toJson(final Span span)
    {
        final JsonObjectBuilder attributes = CanonicalJson.PROVIDER.createObjectBuilder();
        for (final Map.Entry<String, Value> attribute : span.attributes().entrySet())
        {
            attributes.add(attribute.getKey(), toJson(attribute.getValue()));
        }
        return CanonicalJson.PROVIDER.createObjectBuilder().add("traceId", span.traceId())
            .add("parentSpanId", span.parentSpanId() == null ? JsonValue.NULL
                : CanonicalJson.PROVIDER.createValue(span.parentSpanId()))
            .add("name", span.name()).add("startMicros", span.startMicros()).add("endMicros", span.endMicros())
            .add("attributes", attributes).build();
    }

    /**
     * Renders a value as JSON, as the class description says; any thread.
     *
     * @param value the value.
     * @return its JSON rendering.
     */
    public static JsonValue toJson(final Value value)
    {
        if (value instanceof Value.Bool b)
        {
            return b.value() ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Value.I64 i)
        {
            return CanonicalJson.PROVIDER.createValue(i.value());
        }
        if (value instanceof Value.F64 f)
        {
            final double d = f.value();
            if (Double.isNaN(d))
            {
                return CanonicalJson.PROVIDER.createValue("NaN");
            }
            if (Double.isInfinite(d))
            {
                return CanonicalJson.PROVIDER.createValue(d > 0 ? "Infinity" : "-Infinity");
            }
            return CanonicalJson.PROVIDER.createValue(d);
        }
        if (value instanceof Value.String s)
        {
            return CanonicalJson.PROVIDER.createValue(s.value());
        }
        if (value instanceof Value.Bytes bytes)
        {
            return CanonicalJson.PROVIDER.createObjectBuilder()
                .add("base64", Base64.getEncoder().encodeToString(bytes.value())).build();
        }
        return JsonValue.NULL;
    }

    /** The key-value reads. */
    private final class Kv implements KvView
    {
        @Override
        public Optional<Value> get(final String key)
        {
            final KvPrimitive.Versioned entry = kvPrimitive.get(runId, Key.of(key));
            return entry == null ? Optional.empty() : Optional.of(entry.value());
        }

        @Override
        public List<String> list(final String prefix)
        {
            final Key p = prefix == null || prefix.isEmpty() ? null : Key.of(prefix);
            final List<String> out = new ArrayList<>();
            for (final Key key : kvPrimitive.list(runId, p))
            {
                out.add(key.text());
            }
            return out;
        }
    }

    /** The event reads. */
    private final class Events implements EventView
    {
        @Override
        public Optional<Event> read(final long sequence)
        {
            final EventPrimitive.StoredEvent e = eventPrimitive.read(runId, sequence);
            return e == null ? Optional.empty() : Optional.of(EventLog.toEvent(e));
        }

        @Override
        public List<Event> range(final long start, final long end)
        {
            if (end <= start)
            {
                return List.of();
            }
            final List<Event> out = new ArrayList<>();
            for (final EventPrimitive.StoredEvent e : eventPrimitive.range(runId, start, end - 1))
            {
                out.add(EventLog.toEvent(e));
            }
            return out;
        }

        @Override
        public long count()
        {
            return eventPrimitive.count(runId);
        }
    }

    /** The state cell reads. */
    private final class State implements StateView
    {
        @Override
        public Optional<StateValue> get(final String name)
        {
            final StatePrimitive.Cell cell = statePrimitive.get(runId, Key.of(name));
            return cell == null ? Optional.empty() : Optional.of(new StateValue(cell.value(), cell.version()));
        }
    }

    /** The JSON document reads. */
    private final class Json implements JsonView
    {
        @Override
        public Optional<JsonDoc> get(final String key)
        {
            final JsonPrimitive.Doc doc = jsonPrimitive.get(runId, Key.of(key));
            return doc == null ? Optional.empty() : Optional.of(new JsonDoc(key, doc.value(), doc.version()));
        }
    }

    /** The span reads. */
    private final class Traces implements TraceView
    {
        @Override
        public Optional<Span> get(final String spanId)
        {
            final TracePrimitive.StoredSpan span = tracePrimitive.get(runId, TraceStore.parseId("span id", spanId));
            return span == null ? Optional.empty() : Optional.of(TraceStore.toSpan(span));
        }

        @Override
        public List<SpanNode> trace(final String traceId)
        {
            return TraceStore.tree(tracePrimitive.trace(runId, TraceStore.parseId("trace id", traceId)));
        }

        @Override
        public List<Span> spansInRange(final long fromMicros, final long toMicros)
        {
            final List<Span> out = new ArrayList<>();
            for (final TracePrimitive.StoredSpan span : tracePrimitive.startingIn(runId, fromMicros, toMicros))
            {
                out.add(TraceStore.toSpan(span));
            }
            return out;
        }
    }
}
