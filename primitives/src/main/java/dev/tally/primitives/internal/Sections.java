/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.RunId;
import dev.tally.core.WalEntry;
import dev.tally.snapshot.SectionBytes;

import dev.tally.core.Key;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Helpers shared by the primitives' snapshot sections and entry bodies. Stateless; any thread.
 */
public final class Sections
{
    /** The fewest bytes a run takes in a section: its 16-byte id and a count. */
    private static final int RUN_BYTES_MIN = 17;

    private Sections()
    {
    }

    /**
     * The runs of a per-run map in run id order, the order every section lists them in; any thread.
     *
     * @param byRun the per-run map.
     * @return a new list of its run ids, ascending.
     */
    public static List<RunId> sortedRuns(final Map<RunId, ?> byRun)
    {
        final List<RunId> runs = new ArrayList<>(byRun.keySet());
        runs.sort(null);
        return runs;
    }

    /**
     * Writes a run id as a section or an entry body stores it: its 16 bytes; any thread.
     *
     * @param encoder the encoder.
     * @param runId   the run.
     */
    public static void writeRunId(final BinaryEncoder encoder, final RunId runId)
    {
        encoder.writeUuid(runId.uuid());
    }

    /**
     * Reads a run id written by {@link #writeRunId}; any thread.
     *
     * @param decoder the decoder.
     * @return the run.
     */
    public static RunId readRunId(final BinaryDecoder decoder)
    {
        return new RunId(decoder.readUuid());
    }

    /** Writes the value part of one keyed entry of a section. */
    @FunctionalInterface
    public interface EntryWriter<V>
    {
        /**
         * Writes one entry's value part; the serializing thread.
         *
         * @param encoder the encoder.
         * @param value   the entry's value.
         */
        void write(BinaryEncoder encoder, V value);
    }

    /** Reads the value part of one keyed entry of a section. */
    @FunctionalInterface
    public interface EntryReader<V>
    {
        /**
         * Reads one entry's value part; the deserializing thread.
         *
         * @param decoder the decoder, after the entry's key.
         * @return the value.
         */
        V read(BinaryDecoder decoder);
    }

    /** Writes one run's part of a section, after its run id. */
    @FunctionalInterface
    public interface RunWriter<R>
    {
        /**
         * Writes one run's part; the serializing thread.
         *
         * @param encoder the encoder, after the run id.
         * @param run     the run's state.
         */
        void write(BinaryEncoder encoder, R run);
    }

    /** Reads one run's part of a section, after its run id. */
    @FunctionalInterface
    public interface RunReader<R>
    {
        /**
         * Reads one run's part; the deserializing thread.
         *
         * @param decoder the decoder, after the run id.
         * @return the run's state.
         */
        R read(BinaryDecoder decoder);
    }

    /** Serializes per-run state canonically: version | run count | per run (sorted by run id): run id | its part. */
    public static <R> byte[] writeRuns(final Map<RunId, R> byRun, final RunWriter<R> writer)
    {
        final BinaryEncoder encoder = new BinaryEncoder(1024);
        encoder.writeVersion();
        final List<RunId> runs = sortedRuns(byRun);
        encoder.writeLength(runs.size());
        for (final RunId runId : runs)
        {
            writeRunId(encoder, runId);
            writer.write(encoder, byRun.get(runId));
        }
        return encoder.toByteArray();
    }

    /**
     * One run's entry of a per-run map, as a map of its own (empty when the run has none): what a section of that run
     * alone is written from.
     */
    public static <R> Map<RunId, R> only(final Map<RunId, R> byRun, final RunId runId)
    {
        final R run = byRun.get(runId);
        return run == null ? Map.of() : Map.of(runId, run);
    }

    /** Reads what {@link #writeRuns} wrote into an empty map; every byte must be consumed. */
    public static <R> void readRuns(final byte[] data, final Map<RunId, R> into, final RunReader<R> reader)
    {
        final BinaryDecoder decoder = new BinaryDecoder(data);
        decoder.readVersion();
        final int runs = decoder.readLength(RUN_BYTES_MIN);
        for (int r = 0; r < runs; r++)
        {
            final RunId runId = readRunId(decoder);
            into.put(runId, reader.read(decoder));
        }
        decoder.expectEnd();
    }

    /** Reads one run's part of a section where its bytes lie, after its run id, leaving the cursor after it. */
    @FunctionalInterface
    public interface SectionRunReader<R>
    {
        /**
         * Reads one run's part where it lies; the opening thread.
         *
         * @param cursor the cursor, after the run id; to be left after the run's part.
         * @return the run's state.
         */
        R read(SectionCursor cursor);
    }

    /**
     * Reads what {@link #writeRuns} wrote into an empty map from a section taken on demand (copied in, or read in
     * place), filling the section as far as it reads; a run reader fills what it reads. Every byte must be consumed.
     */
    public static <R> void readRuns(final SectionBytes section, final Map<RunId, R> into,
        final SectionRunReader<R> reader)
    {
        final SectionCursor cursor = new SectionCursor(section);
        cursor.readVersion();
        final int runs = cursor.readLength(RUN_BYTES_MIN);
        for (int r = 0; r < runs; r++)
        {
            final RunId runId = new RunId(cursor.readUuid());
            into.put(runId, reader.read(cursor));
        }
        section.fillAll();
        cursor.expectEnd();
    }

    /**
     * Serializes per-run sorted maps canonically: version | run count | per run (sorted): run id | entry count | per
     * entry (sorted by key): key | the entry's own fields.
     */
    public static <V> byte[] writeKeyedRuns(final Map<RunId, ConcurrentSkipListMap<Key, V>> byRun,
        final EntryWriter<V> writer)
    {
        return writeRuns(byRun, (encoder, map) ->
        {
            encoder.writeLength(map.size());
            for (final Map.Entry<Key, V> e : map.entrySet())
            {
                encoder.writeKey(e.getKey());
                writer.write(encoder, e.getValue());
            }
        });
    }

    /**
     * Reads what {@link #writeKeyedRuns} wrote into an empty map, checking that keys ascend and building each run's
     * skip list in one pass.
     */
    public static <V> void readKeyedRuns(final byte[] data, final int entryLengthMin,
        final Map<RunId, ConcurrentSkipListMap<Key, V>> into, final EntryReader<V> reader)
    {
        readRuns(data, into, decoder ->
        {
            final int count = decoder.readLength(entryLengthMin);
            final SortedEntries<Key, V> sorted = new SortedEntries<>(count);
            for (int i = 0; i < count; i++)
            {
                final Key key = decoder.readKey();
                sorted.append(key, reader.read(decoder));
            }
            return sorted.toConcurrentMap();
        });
    }

    /**
     * A decoder over a log entry's body; any thread.
     *
     * @param entry the entry.
     * @return a decoder at the body's first byte.
     */
    public static BinaryDecoder body(final WalEntry entry)
    {
        return new BinaryDecoder(entry.payload());
    }
}
