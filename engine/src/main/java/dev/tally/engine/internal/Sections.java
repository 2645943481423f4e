/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

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
final class Sections
{
    /**
     * Bytes that cover a run's id and the count that follows it (16 + a varint of at most 10), and the section's
     * version and run count: what {@link #readRuns(SectionBytes, Map, RunReader)} fills before reading them.
     */
    private static final int RUN_HEADER_LENGTH_MAX = 32;

    private Sections()
    {
    }

    static List<RunId> sortedRuns(final Map<RunId, ?> byRun)
    {
        final List<RunId> runs = new ArrayList<>(byRun.keySet());
        runs.sort(null);
        return runs;
    }

    static void writeRunId(final BinaryEncoder encoder, final RunId runId)
    {
        encoder.writeUuid(runId.uuid());
    }

    static RunId readRunId(final BinaryDecoder decoder)
    {
        return new RunId(decoder.readUuid());
    }

    /** Writes the value part of one keyed entry of a section. */
    @FunctionalInterface
    interface EntryWriter<V>
    {
        void write(BinaryEncoder encoder, V value);
    }

    /** Reads the value part of one keyed entry of a section. */
    @FunctionalInterface
    interface EntryReader<V>
    {
        V read(BinaryDecoder decoder);
    }

    /** Writes one run's part of a section, after its run id. */
    @FunctionalInterface
    interface RunWriter<R>
    {
        void write(BinaryEncoder encoder, R run);
    }

    /** Reads one run's part of a section, after its run id. */
    @FunctionalInterface
    interface RunReader<R>
    {
        R read(BinaryDecoder decoder);
    }

    /** Serializes per-run state canonically: version | run count | per run (sorted by run id): run id | its part. */
    static <R> byte[] writeRuns(final Map<RunId, R> byRun, final RunWriter<R> writer)
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

    /** Reads what {@link #writeRuns} wrote into an empty map; every byte must be consumed. */
    static <R> void readRuns(final byte[] data, final Map<RunId, R> into, final RunReader<R> reader)
    {
        readRuns(SectionBytes.of(0, data), into, reader);
    }

    /**
     * Reads what {@link #writeRuns} wrote into an empty map from a section being copied in, filling the section
     * header's bytes and each run id before reading them; a run reader that reads further fills what it reads (or
     * the whole section). Every byte must be consumed.
     */
    static <R> void readRuns(final SectionBytes section, final Map<RunId, R> into, final RunReader<R> reader)
    {
        final BinaryDecoder decoder = new BinaryDecoder(section.array());
        section.fill(RUN_HEADER_LENGTH_MAX);
        decoder.readVersion();
        final int runs = decoder.readLength(17);
        for (int r = 0; r < runs; r++)
        {
            section.fill((long)decoder.offset() + RUN_HEADER_LENGTH_MAX);
            final RunId runId = readRunId(decoder);
            into.put(runId, reader.read(decoder));
        }
        section.fillAll();
        decoder.expectEnd();
    }

    /**
     * Serializes per-run sorted maps canonically: version | run count | per run (sorted): run id | entry count | per
     * entry (sorted by key): key | the entry's own fields.
     */
    static <V> byte[] writeKeyedRuns(final Map<RunId, ConcurrentSkipListMap<Key, V>> byRun,
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
    static <V> void readKeyedRuns(final byte[] data, final int entryLengthMin,
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

    static BinaryDecoder body(final WalEntry entry)
    {
        return new BinaryDecoder(entry.payload());
    }
}
