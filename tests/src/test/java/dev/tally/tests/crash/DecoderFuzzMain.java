/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.CorruptDataException;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;
import dev.tally.core.TxId;
import dev.tally.core.Value;
import dev.tally.core.ValueCodec;
import dev.tally.core.WalEntry;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.internal.DatabaseIdentity;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.primitives.Builtins;
import dev.tally.primitives.LoadablePrimitive;
import dev.tally.snapshot.Snapshot;
import dev.tally.snapshot.SnapshotDirectory;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.snapshot.SnapshotSection;
import dev.tally.wal.ScanMode;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.WalScanner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The child JVM of group K's decoder fuzzing, run with a small heap ({@code -Xmx64m}) so that a hostile length that
 * makes a decoder allocate what it read shows as an {@link OutOfMemoryError}. It builds a corpus from a real database
 * (every WAL frame, every snapshot section, value encodings), then feeds seeded mutations (bit flips, overwritten,
 * inserted and cut bytes) and hostile lengths (varint and fixed-width maxima written over each position) to every
 * decoder: the value codec, WAL frame splitting with each primitive's {@code applyWalEntry}, each primitive's {@code
 * snapshotDeserialize}, the snapshot reader and the WAL scanner. A decoder may succeed or throw {@link
 * CorruptDataException}; anything else is a failure. Prints {@code FUZZ decoder=<name> inputs=<n> failures=<f>} per
 * decoder and {@code FAIL} lines naming the seed and input. Arguments: directory, seed, inputs.
 */
public final class DecoderFuzzMain
{
    private static final byte[][] HOSTILE = {
        {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x07},
        {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x7F},
        {0x7F, (byte)0xFF, (byte)0xFF, (byte)0xFF},
        {(byte)0xFF, (byte)0xFF, (byte)0xFF, 0x7F},
        {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF},
        {0x7F, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF}};

    private static final Map<String, long[]> COUNTS = new HashMap<>();
    private static int printed;

    private DecoderFuzzMain()
    {
    }

    /**
     * Runs the fuzzing.
     *
     * @param args directory, seed, inputs.
     * @throws Exception when the corpus cannot be built.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final long inputs = Long.parseLong(args[2]);
        final List<int[]> frameTypes = new ArrayList<>();
        final List<byte[]> frames = new ArrayList<>();
        final List<SnapshotSection> sections = new ArrayList<>();
        buildCorpus(dir, frameTypes, frames, sections);
        final UUID databaseId = DatabaseIdentity.readOrCreate(dir, UUID.randomUUID(), 1 << 16).databaseId();
        final Path snapshotFile = SnapshotDirectory.list(dir).get(0).path();
        final byte[] snapshotBytes = Files.readAllBytes(snapshotFile);
        final Path segmentFile = dir.resolve(SegmentDescriptor.fileName(0));
        final byte[] segmentBytes = Files.readAllBytes(segmentFile);
        final List<byte[]> values = values();
        final Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Files.copy(dir.resolve(DatabaseIdentity.FILE_NAME), scratch.resolve(DatabaseIdentity.FILE_NAME));

        final SplittableRandom random = new SplittableRandom(seed);
        List<LoadablePrimitive> live = Builtins.fresh();
        for (long i = 0; i < inputs; i++)
        {
            final long caseSeed = random.nextLong();
            final SplittableRandom r = new SplittableRandom(caseSeed);
            final int which = r.nextInt(100);
            if (i % 200 == 0)
            {
                live = Builtins.fresh();
            }
            if (which < 30)
            {
                final byte[] input = mutate(values.get(r.nextInt(values.size())), r);
                run("value codec", caseSeed, () -> ValueCodec.decode(input));
            }
            else if (which < 65)
            {
                final int index = r.nextInt(frames.size());
                final int type = frameTypes.get(index)[0];
                final byte[] input = mutate(frames.get(index), r);
                final List<LoadablePrimitive> target = live;
                run("wal entries (fromFrame + applyWalEntry)", caseSeed, () -> apply(target, type, input));
            }
            else if (which < 97)
            {
                final SnapshotSection section = sections.get(r.nextInt(sections.size()));
                final byte[] input = mutate(section.data(), r);
                run("snapshot sections (snapshotDeserialize)", caseSeed, () ->
                {
                    for (final PrimitiveStorageExt ext : Builtins.fresh())
                    {
                        if (ext.primitiveTypeId() == section.typeId())
                        {
                            ext.snapshotDeserialize(input);
                        }
                    }
                });
            }
            else if (which < 99)
            {
                final byte[] input = mutate(snapshotBytes, r);
                final Path file = scratch.resolve(snapshotFile.getFileName());
                Files.write(file, input);
                run("snapshot reader", caseSeed, () -> SnapshotReader.read(file, databaseId));
            }
            else
            {
                final byte[] input = mutateInPlace(segmentBytes, r);
                Files.write(scratch.resolve(segmentFile.getFileName()), input);
                final List<LoadablePrimitive> target = Builtins.fresh();
                run("wal scan", caseSeed, () ->
                {
                    try (WalScanner scanner = new WalScanner(scratch, databaseId, WalScanner.builtInTypes()))
                    {
                        scanner.scan(0, ScanMode.READ_ONLY, frame -> apply(target, frame.typeCode(),
                            frame.payloadBytes()));
                    }
                });
            }
        }
        long failures = 0;
        for (final Map.Entry<String, long[]> entry : COUNTS.entrySet())
        {
            System.out.println("FUZZ decoder=" + entry.getKey().replace(' ', '_') + " inputs=" + entry.getValue()[0] +
                " failures=" + entry.getValue()[1]);
            failures += entry.getValue()[1];
        }
        System.out.println("DONE inputs=" + inputs + " failures=" + failures);
        System.out.flush();
    }

    private static void apply(final List<? extends PrimitiveStorageExt> primitives, final int type, final byte[] payload)
    {
        final PendingEntries entries = PendingEntries.fromFrame(type, payload);
        for (int e = 0; e < entries.count(); e++)
        {
            for (final PrimitiveStorageExt ext : primitives)
            {
                for (final int code : ext.walEntryTypes())
                {
                    if (code == entries.typeCode(e))
                    {
                        ext.applyWalEntry(new WalEntry(code, TxId.of(1, 1), RunId.of(1, 1), 64, entries.body(e)));
                    }
                }
            }
        }
    }

    /** One decoding. */
    private interface Body
    {
        void run() throws Exception;
    }

    private static void run(final String decoder, final long seed, final Body body)
    {
        final long[] counts = COUNTS.computeIfAbsent(decoder, k -> new long[2]);
        counts[0]++;
        try
        {
            body.run();
        }
        catch (final CorruptDataException expected)
        {
            // the clean outcome for bad input
        }
        catch (final Throwable ex)
        {
            counts[1]++;
            if (printed++ < 30)
            {
                final StackTraceElement[] trace = ex.getStackTrace();
                System.out.println("FAIL decoder=" + decoder + " seed=" + seed + ": " + ex + " at " +
                    (trace.length > 0 ? trace[0] : "?"));
            }
        }
    }

    static byte[] mutate(final byte[] original, final SplittableRandom r)
    {
        byte[] out = original.clone();
        final int kind = r.nextInt(6);
        if (out.length == 0)
        {
            out = new byte[1 + r.nextInt(16)];
            r.nextBytes(out);
            return out;
        }
        switch (kind)
        {
            case 0 ->
            {
                final int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++)
                {
                    final int bit = r.nextInt(out.length * 8);
                    out[bit / 8] ^= (byte)(1 << (bit % 8));
                }
            }
            case 1 ->
            {
                final int at = r.nextInt(out.length);
                final int n = Math.min(out.length - at, 1 + r.nextInt(16));
                for (int i = 0; i < n; i++)
                {
                    out[at + i] = (byte)r.nextInt(256);
                }
            }
            case 2 -> out = java.util.Arrays.copyOf(out, r.nextInt(out.length));
            case 3 ->
            {
                final int at = r.nextInt(out.length + 1);
                final byte[] extra = new byte[1 + r.nextInt(8)];
                r.nextBytes(extra);
                final byte[] grown = new byte[out.length + extra.length];
                System.arraycopy(out, 0, grown, 0, at);
                System.arraycopy(extra, 0, grown, at, extra.length);
                System.arraycopy(out, at, grown, at + extra.length, out.length - at);
                out = grown;
            }
            default ->
            {
                // A hostile length: a varint or fixed-width maximum written over a random position.
                final byte[] hostile = HOSTILE[r.nextInt(HOSTILE.length)];
                final int at = r.nextInt(out.length);
                for (int i = 0; i < hostile.length && at + i < out.length; i++)
                {
                    out[at + i] = hostile[i];
                }
            }
        }
        return out;
    }

    private static byte[] mutateInPlace(final byte[] original, final SplittableRandom r)
    {
        final byte[] out = original.clone();
        final int at = SegmentDescriptor.HEADER_LENGTH + r.nextInt(Math.min(8192, out.length -
            SegmentDescriptor.HEADER_LENGTH));
        final byte[] hostile = r.nextBoolean() ? HOSTILE[r.nextInt(HOSTILE.length)] : new byte[] {(byte)r.nextInt()};
        for (int i = 0; i < hostile.length && at + i < out.length; i++)
        {
            out[at + i] = hostile[i];
        }
        return out;
    }

    private static List<byte[]> values()
    {
        final List<byte[]> values = new ArrayList<>();
        for (final Value value : List.of(Value.of(1), Value.of(-1L << 40), Value.of("text"), Value.of("x".repeat(300)),
            Value.of(true), Value.of(2.5), Value.of(new byte[] {1, 2, 3}), Value.NULL))
        {
            values.add(ValueCodec.encode(value));
        }
        return values;
    }

    private static void buildCorpus(final Path dir, final List<int[]> frameTypes, final List<byte[]> frames,
        final List<SnapshotSection> sections) throws Exception
    {
        final RunId run = RunId.of(5, 5);
        try (Database db = CrashHarness.builder(dir, null, DurabilityMode.STRICT).open())
        {
            db.beginRun(run);
            for (int i = 0; i < 20; i++)
            {
                db.kv().put(run, "k" + i, i % 2 == 0 ? Value.of(i) : Value.of("v" + i));
                db.events().append(run, "type" + (i % 3), Value.of(i));
                db.state().set(run, "cell" + (i % 4), Value.of(i));
            }
            db.kv().delete(run, "k3");
            db.state().cas(run, "cell0", 1, Value.of("swapped"));
            db.json().create(run, "doc", jakarta.json.Json.createObjectBuilder().add("a", 1)
                .add("b", jakarta.json.Json.createArrayBuilder().add("x").add(2)).build());
            db.traces().record(run, "span", Value.of("meta"));
            db.transaction(run, tx ->
            {
                tx.put("tx-key", Value.of(7));
                tx.append("tx-event", Value.of(8));
                return null;
            });
            db.snapshot();
            db.endRun(run);
        }
        final UUID databaseId = DatabaseIdentity.readOrCreate(dir, UUID.randomUUID(), 1 << 16).databaseId();
        try (WalScanner scanner = new WalScanner(dir, databaseId, WalScanner.builtInTypes()))
        {
            scanner.scan(0, ScanMode.READ_ONLY, frame ->
            {
                frameTypes.add(new int[] {frame.typeCode()});
                frames.add(frame.payloadBytes());
            });
        }
        final Snapshot snapshot = SnapshotReader.read(SnapshotDirectory.list(dir).get(0).path(), databaseId);
        sections.addAll(snapshot.sections());
    }
}
