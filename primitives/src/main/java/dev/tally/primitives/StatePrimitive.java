/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.internal.Sections;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * State cells: per run, named values with a version that starts at 1 and grows by one with every change. Mutated by
 * the commit-lock holder; read lock-free by any thread.
 *
 * <pre>
 * STATE_INIT body:       name | value           (the cell must be absent; version 1)
 * STATE_SET body:        name | value           (version + 1, or 1 when absent)
 * STATE_TRANSITION body: name | expected version | value   (the version must match; version + 1)
 * section: version | run count | per run (sorted): run id | cell count | per cell (sorted): name | version | value
 * </pre>
 */
public final class StatePrimitive implements RunSections, LoadablePrimitive
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 4;

    private final Map<RunId, ConcurrentSkipListMap<Key, Cell>> byRun = new ConcurrentHashMap<>();

    /**
     * A cell's value and version.
     *
     * @param value   the value.
     * @param version 1 after creation, plus one per change.
     */
    public record Cell(Value value, long version)
    {
    }

    /** {@inheritDoc} */
    @Override
    public int primitiveTypeId()
    {
        return TYPE_ID;
    }

    /** {@inheritDoc} */
    @Override
    public String name()
    {
        return "state";
    }

    /** {@inheritDoc} */
    @Override
    public int[] walEntryTypes()
    {
        return new int[] {
            WalEntryType.STATE_INIT.code(), WalEntryType.STATE_SET.code(), WalEntryType.STATE_TRANSITION.code()};
    }

    /**
     * Encodes an init or set body; any thread.
     *
     * @param name  the cell name.
     * @param value the value.
     * @return the body.
     */
    public static byte[] valueBody(final Key name, final Value value)
    {
        return new BinaryEncoder(BinaryEncoder.encodedLength(name) + BinaryEncoder.encodedLength(value))
            .writeKey(name).writeValue(value).toByteArray();
    }

    /**
     * Encodes a transition body; any thread.
     *
     * @param name            the cell name.
     * @param expectedVersion the version the cell must have.
     * @param value           the new value.
     * @return the body.
     */
    public static byte[] transitionBody(final Key name, final long expectedVersion, final Value value)
    {
        return new BinaryEncoder(BinaryEncoder.encodedLength(name) + BinaryEncoder.varLongLength(expectedVersion)
            + BinaryEncoder.encodedLength(value))
            .writeKey(name).writeVarLong(expectedVersion).writeValue(value).toByteArray();
    }

    /**
     * A cell; any thread.
     *
     * @param runId the run.
     * @param name  the cell name.
     * @return the cell, or {@code null}.
     */
    public Cell get(final RunId runId, final Key name)
    {
        final ConcurrentSkipListMap<Key, Cell> cells = byRun.get(runId);
        return cells == null ? null : cells.get(name);
    }

    /**
     * The cell names of a run in encoded-byte order; any thread.
     *
     * @param runId the run.
     * @return the names, empty when the run has none.
     */
    public List<Key> names(final RunId runId)
    {
        final ConcurrentSkipListMap<Key, Cell> map = byRun.get(runId);
        return map == null ? List.of() : List.copyOf(map.keySet());
    }

    /** {@inheritDoc} */
    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        final BinaryDecoder decoder = Sections.body(entry);
        final Key name = decoder.readKey();
        final int code = entry.typeCode();
        final long expected = code == WalEntryType.STATE_TRANSITION.code() ? decoder.readVarLong() : -1;
        final Value value = decoder.readValue();
        decoder.expectEnd();
        final ConcurrentSkipListMap<Key, Cell> cells =
            byRun.computeIfAbsent(entry.runId(), r -> new ConcurrentSkipListMap<>());
        final Cell current = cells.get(name);
        final long version;
        if (code == WalEntryType.STATE_INIT.code())
        {
            if (current != null)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "state init of an existing cell: name=" + name);
            }
            version = 1;
        }
        else if (code == WalEntryType.STATE_SET.code())
        {
            version = current == null ? 1 : current.version() + 1;
        }
        else if (code == WalEntryType.STATE_TRANSITION.code())
        {
            if (current == null || current.version() != expected)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "state transition from a version the cell "
                    + "does not have: name=" + name + ", expected=" + expected);
            }
            version = expected + 1;
        }
        else
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE, "state cannot apply code=" + code);
        }
        cells.put(name, new Cell(value, version));
    }

    /** {@inheritDoc} */
    @Override
public byte[] snapshotSerialize()
    {
        return serialize(byRun);
    }

    /** {@inheritDoc} */
    @Override
    public byte[] serializeRun(final RunId runId)
    {
        return serialize(Sections.only(byRun, runId));
    }

    private byte[] serialize(final Map<RunId, ConcurrentSkipListMap<Key, Cell>> runs)
    {
        return Sections.writeKeyedRuns(runs, (encoder, c) -> encoder.writeVarLong(c.version()).writeValue(c.value()));
    }

    /** {@inheritDoc} */
    @Override
    public void snapshotDeserialize(final byte[] data)
    {
        byRun.clear();
        Sections.readKeyedRuns(data, 4, byRun, decoder ->
        {
            final long version = decoder.readVarLong();
            return new Cell(decoder.readValue(), version);
        });
    }
}
