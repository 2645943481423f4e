/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.internal.Sections;

import java.util.HexFormat;
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
 *                 [ | replay hash (length-prefixed bytes, 32: SHA-256) ]
 * section:        version | run count | per run (sorted): run id | state | reason | begin time | end time
 *                 [ | hash count (at least 1) | per run with a replay hash (sorted): run id
 *                   | replay hash (length-prefixed bytes) ]
 * </pre>
 *
 * <p>Design note: the replay hash is the SHA-256 of the run's replayed state (see {@code Database.replayHash}) over its
 * history before the end entry, computed when the run ends, so that the run's state can later be checked against what
 * it was when it ended. It is optional in both layouts: an end body or a section written before it existed simply
 * stops earlier, and decodes with no hash. Stored on disk; changing it needs a new format version.
 */
public final class RunsPrimitive implements LoadablePrimitive
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 6;

    /** State code of an active run. */
    public static final int ACTIVE = 0;
    /** State code of a completed run. */
    public static final int COMPLETED = 1;
    /** State code of an aborted run. */
    public static final int ABORTED = 2;
    /** The length of a replay hash in bytes (SHA-256). */
    public static final int REPLAY_HASH_LENGTH = 32;

    private final Map<RunId, RunRecord> runs = new ConcurrentHashMap<>();

    /**
     * One run's lifecycle.
     *
     * @param state      {@link #ACTIVE}, {@link #COMPLETED} or {@link #ABORTED}.
     * @param reason     the abort reason, or the empty string.
     * @param beginMicros when it began.
     * @param endMicros  when it ended, or 0 while active.
     * @param replayHash the replay hash recorded when it ended (64 lower-case hex digits), or {@code null}.
     */
    public record RunRecord(int state, String reason, long beginMicros, long endMicros, String replayHash)
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
     * Encodes an end body that records the run's replay hash; any thread.
     *
     * @param state      {@link #COMPLETED} or {@link #ABORTED}.
     * @param reason     the reason, or the empty string.
     * @param timeMicros the end time.
     * @param replayHash the hash, {@link #REPLAY_HASH_LENGTH} bytes.
     * @return the body.
     */
    public static byte[] endBody(final int state, final String reason, final long timeMicros,
        final byte[] replayHash)
    {
        if (replayHash.length != REPLAY_HASH_LENGTH)
        {
            throw new IllegalArgumentException("replay hash length: length=" + replayHash.length);
        }
        return new BinaryEncoder(56 + reason.length() * 3).writeByte(state).writeString(reason).writeLong(timeMicros)
            .writeBytes(replayHash).toByteArray();
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
     * Checks that a run exists and is active, as every write to it requires; the commit-lock holder.
     *
     * @param runId the run.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} when it was never begun, or {@link
     *                                  ErrorCode#RUN_NOT_ACTIVE} when it has ended.
     */
    public void checkActive(final RunId runId)
    {
        final RunRecord run = runs.get(runId);
        if (run == null)
        {
            throw new InvalidArgumentException(ErrorCode.RUN_NOT_FOUND, "run not found: run=" + runId);
        }
        if (run.state() != ACTIVE)
        {
            throw new InvalidArgumentException(ErrorCode.RUN_NOT_ACTIVE, "run is "
                + (run.state() == COMPLETED ? "completed" : "aborted") + " and takes no writes: run=" + runId);
        }
    }

    /**
     * Checks that a run was never begun, as beginning it requires; the commit-lock holder.
     *
     * @param runId the run.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_ALREADY_EXISTS} when it was.
     */
    public void checkAbsent(final RunId runId)
    {
        if (runs.get(runId) != null)
        {
            throw new InvalidArgumentException(ErrorCode.RUN_ALREADY_EXISTS, "run already exists: run=" + runId);
        }
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
            if (runs.putIfAbsent(entry.runId(), new RunRecord(ACTIVE, "", time, 0, null)) != null)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "run begun twice: run=" + entry.runId());
            }
        }
        else if (entry.typeCode() == WalEntryType.RUN_END.code())
        {
            final int state = decoder.readByte();
            final String reason = decoder.readString();
            final long time = decoder.readLong();
            final String hash = decoder.remaining() > 0 ? readHash(decoder) : null;
            decoder.expectEnd();
            final RunRecord current = runs.get(entry.runId());
            if (current == null || current.state() != ACTIVE || (state != COMPLETED && state != ABORTED))
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "invalid run end: run=" + entry.runId());
            }
            runs.put(entry.runId(), new RunRecord(state, reason, current.beginMicros(), time, hash));
        }
        else
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE, "runs cannot apply code=" + entry.typeCode());
        }
    }

    private static String readHash(final BinaryDecoder decoder)
    {
        final byte[] hash = decoder.readBytes();
        if (hash.length != REPLAY_HASH_LENGTH)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "replay hash length: length=" + hash.length);
        }
        return HexFormat.of().formatHex(hash);
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
        final List<RunId> hashed = sorted.stream().filter(r -> runs.get(r).replayHash() != null).toList();
        if (hashed.isEmpty())
        {
            // Without hashes the section stays byte for byte what it was before hashes existed.
            return encoder.toByteArray();
        }
        encoder.writeLength(hashed.size());
        for (final RunId runId : hashed)
        {
            Sections.writeRunId(encoder, runId);
            encoder.writeBytes(HexFormat.of().parseHex(runs.get(runId).replayHash()));
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
            runs.put(runId, new RunRecord(state, reason, decoder.readLong(), decoder.readLong(), null));
        }
        final int hashCount = decoder.remaining() > 0 ? decoder.readLength(16 + 1 + REPLAY_HASH_LENGTH) : 0;
        for (int i = 0; i < hashCount; i++)
        {
            final RunId runId = Sections.readRunId(decoder);
            final RunRecord run = runs.get(runId);
            if (run == null || run.state() == ACTIVE)
            {
                throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "replay hash of a run not ended: run=" + runId);
            }
            runs.put(runId, new RunRecord(run.state(), run.reason(), run.beginMicros(), run.endMicros(),
                readHash(decoder)));
        }
        decoder.expectEnd();
    }
}
