/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run lifecycle: which runs exist and whether each is active, completed or aborted (with its reason). Mutated by
 * the commit-lock holder; read lock-free by any thread.
 *
 * <pre>
 * RUN_BEGIN body: time (micros)
 * RUN_END body:   state (1 completed, 2 aborted) | reason (string) | time (micros)
 * section:        version | run count | per run (sorted): run id | state | reason | begin time | end time
 * </pre>
 */
public final class RunsPrimitive implements PrimitiveStorageExt
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 6;

    /** State code of an active run. */
    public static final int ACTIVE = 0;
    /** State code of a completed run. */
    public static final int COMPLETED = 1;
    /** State code of an aborted run. */
    public static final int ABORTED = 2;

    private final Map<RunId, RunRecord> runs = new ConcurrentHashMap<>();

    /**
     * One run's lifecycle.
     *
     * @param state      {@link #ACTIVE}, {@link #COMPLETED} or {@link #ABORTED}.
     * @param reason     the abort reason, or the empty string.
     * @param beginMicros when it began.
     * @param endMicros  when it ended, or 0 while active.
     */
    public record RunRecord(int state, String reason, long beginMicros, long endMicros)
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
        return "runs";
    }

    /** {@inheritDoc} */
    @Override
    public int[] walEntryTypes()
    {
        return new int[] {WalEntryType.RUN_BEGIN.code(), WalEntryType.RUN_END.code()};
    }

    /**
     * Encodes a begin body; any thread.
     *
     * @param timeMicros the begin time.
     * @return the body.
     */
    public static byte[] beginBody(final long timeMicros)
    {
        return new BinaryEncoder(9).writeLong(timeMicros).toByteArray();
    }

    /**
     * Encodes an end body; any thread.
     *
     * @param state      {@link #COMPLETED} or {@link #ABORTED}.
     * @param reason     the reason, or the empty string.
     * @param timeMicros the end time.
     * @return the body.
     */
    public static byte[] endBody(final int state, final String reason, final long timeMicros)
    {
        return new BinaryEncoder(16 + reason.length() * 3).writeByte(state).writeString(reason).writeLong(timeMicros)
            .toByteArray();
    }

    /**
     * A run's record; any thread.
     *
     * @param runId the run.
     * @return the record, or {@code null} if the run was never begun.
     */
    public RunRecord get(final RunId runId)
    {
        return runs.get(runId);
    }

    /**
     * The runs still active, sorted; any thread.
     *
     * @return the runs.
     */
    public List<RunId> activeRuns()
    {
        return runs.entrySet().stream().filter(e -> e.getValue().state() == ACTIVE).map(Map.Entry::getKey).sorted()
            .toList();
    }

    /** {@inheritDoc} */
    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        final BinaryDecoder decoder = Sections.body(entry);
        if (entry.typeCode() == WalEntryType.RUN_BEGIN.code())
        {
            final long time = decoder.readLong();
            decoder.expectEnd();
            if (runs.putIfAbsent(entry.runId(), new RunRecord(ACTIVE, "", time, 0)) != null)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "run begun twice: run=" + entry.runId());
            }
        }
        else if (entry.typeCode() == WalEntryType.RUN_END.code())
        {
            final int state = decoder.readByte();
            final String reason = decoder.readString();
            final long time = decoder.readLong();
            decoder.expectEnd();
            final RunRecord current = runs.get(entry.runId());
            if (current == null || current.state() != ACTIVE || (state != COMPLETED && state != ABORTED))
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "invalid run end: run=" + entry.runId());
            }
            runs.put(entry.runId(), new RunRecord(state, reason, current.beginMicros(), time));
        }
        else
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE, "runs cannot apply code=" + entry.typeCode());
        }
    }

    /** {@inheritDoc} */
    @Override
    public byte[] snapshotSerialize()
    {
        final BinaryEncoder encoder = new BinaryEncoder(256);
        encoder.writeVersion();
        final List<RunId> sorted = Sections.sortedRuns(runs);
        encoder.writeLength(sorted.size());
        for (final RunId runId : sorted)
        {
            final RunRecord run = runs.get(runId);
            Sections.writeRunId(encoder, runId);
            encoder.writeByte(run.state()).writeString(run.reason()).writeLong(run.beginMicros())
                .writeLong(run.endMicros());
        }
        return encoder.toByteArray();
    }

    /** {@inheritDoc} */
    @Override
    public void snapshotDeserialize(final byte[] data)
    {
        runs.clear();
        final BinaryDecoder decoder = new BinaryDecoder(data);
        decoder.readVersion();
        final int count = decoder.readLength(34);
        for (int i = 0; i < count; i++)
        {
            final RunId runId = Sections.readRunId(decoder);
            final int state = decoder.readByte();
            if (state > ABORTED)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "invalid run state: state=" + state);
            }
            final String reason = decoder.readString();
            runs.put(runId, new RunRecord(state, reason, decoder.readLong(), decoder.readLong()));
        }
        decoder.expectEnd();
    }
}
