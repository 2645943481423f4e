/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.tally.engine.EngineTesting.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension contract: a sixth primitive (a per-run counter, type id 0x80, entry codes 0x80-0x81 in the reserved
 * future block) registered through the builder writes through the same log and commit path, survives reopen and a
 * snapshot with a fresh instance registered, and leaves the built-in primitives untouched. Registration rejects
 * clashing or out-of-range ids and codes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExtensionTest
{
    private static final int TYPE_ID = 0x80;
    private static final int ADD = 0x80;
    private static final int RESET = 0x81;

    private final RunId run = RunId.of(0x80, 1);
    private final RunId other = RunId.of(0x80, 2);
    /** A per-run counter: its first code adds an 8-byte amount, its second resets. Mutated under the commit lock only. */
    static final class CounterExt implements PrimitiveStorageExt
    {
        private final int typeId;
        private final int[] codes;
        private final TreeMap<RunId, Long> counts = new TreeMap<>();

        CounterExt()
        {
            this(TYPE_ID, new int[] {ADD, RESET});
        }

        CounterExt(final int typeId, final int[] codes)
        {
            this.typeId = typeId;
            this.codes = codes;
        }

        synchronized long count(final RunId runId)
        {
            return counts.getOrDefault(runId, 0L);
        }

        static byte[] add(final long amount)
        {
            return ByteBuffer.allocate(8).putLong(amount).array();
        }

        @Override
        public int primitiveTypeId()
        {
            return typeId;
        }

        @Override
        public String name()
        {
            return "counter";
        }

        @Override
        public int[] walEntryTypes()
        {
            return codes.clone();
        }

        @Override
        public synchronized byte[] snapshotSerialize()
        {
            final ByteBuffer buffer = ByteBuffer.allocate(4 + counts.size() * 24);
            buffer.putInt(counts.size());
            for (final Map.Entry<RunId, Long> e : counts.entrySet())
            {
                buffer.putLong(e.getKey().uuid().getMostSignificantBits())
                    .putLong(e.getKey().uuid().getLeastSignificantBits()).putLong(e.getValue());
            }
            return buffer.array();
        }

        @Override
        public synchronized void snapshotDeserialize(final byte[] data)
        {
            counts.clear();
            final ByteBuffer buffer = ByteBuffer.wrap(data);
            final int n = buffer.getInt();
            for (int i = 0; i < n; i++)
            {
                counts.put(RunId.of(buffer.getLong(), buffer.getLong()), buffer.getLong());
            }
        }

        @Override
        public synchronized void applyWalEntry(final WalEntry entry)
        {
            if (entry.typeCode() == codes[0])
            {
                counts.merge(entry.runId(), ByteBuffer.wrap(entry.payload()).getLong(), Long::sum);
            }
            else if (codes.length > 1 && entry.typeCode() == codes[1])
            {
                counts.remove(entry.runId());
            }
            else
            {
                throw new IllegalStateException("not a counter code: " + entry.typeCode());
            }
        }
    }

    private void writeBuiltins(final Database db)
    {
        db.kv().put(run, "k", Value.of(1));
        db.events().append(run, "e", Value.of(2));
        db.state().set(run, "c", Value.of(3));
        db.json().create(run, "doc", Json.createObjectBuilder().add("a", 1).build());
    }

    @Test
    void shouldSurviveReopenAndSnapshotWhenAnExtensionWritesThroughTheLog(@TempDir final Path dir)
    {
        final Path plain = dir.resolve("plain");
        final Path extended = dir.resolve("extended");
        final String builtinsOnlyHash;
        try (Database db = Database.builder().directory(plain).open())
        {
            db.beginRun(run);
            writeBuiltins(db);
            builtinsOnlyHash = db.stateHash();
        }
        final String hash;
        final CounterExt first = new CounterExt();
        try (Database db = Database.builder().directory(extended).extension(first).open())
        {
            db.beginRun(run);
            db.beginRun(other);
            final long appends = db.stats().appends();
            final long p1 = db.writeExtensionEntry(run, ADD, CounterExt.add(5));
            writeBuiltins(db);
            final long p2 = db.writeExtensionEntry(run, ADD, CounterExt.add(7));
            db.writeExtensionEntry(other, ADD, CounterExt.add(100));
            db.writeExtensionEntry(other, RESET, new byte[0]);
            db.writeExtensionEntry(other, ADD, CounterExt.add(1));
            assertTrue(p2 > p1, "extension entries take log positions in commit order");
            assertEquals(9, db.stats().appends() - appends, "one frame per write, extension or not");
            assertEquals(12, first.count(run));
            assertEquals(1, first.count(other));
            assertTrue(db.durablePosition() > p2, "Strict extension writes are durable at return");
            hash = db.stateHash();
        }
        final CounterExt second = new CounterExt();
        try (Database db = Database.builder().directory(extended).extension(second).open())
        {
            assertEquals(12, second.count(run), "the extension's state is rebuilt from the log");
            assertEquals(1, second.count(other));
            assertEquals(hash, db.stateHash());
            assertEquals(Optional.of(Value.of(1)), db.kv().get(run, "k"), "built-ins unaffected");
            assertEquals(1, db.events().count(run));
            assertEquals(1, db.state().get(run, "c").orElseThrow().version());
            assertTrue(db.json().get(run, "doc").isPresent());
            db.snapshot();
            db.writeExtensionEntry(run, ADD, CounterExt.add(30));
        }
        final CounterExt third = new CounterExt();
        try (Database db = Database.builder().directory(extended).extension(third).open())
        {
            assertEquals(42, third.count(run), "snapshot section plus the log after it");
            assertEquals(1, third.count(other));
            assertEquals(0, third.count(RunId.of(9, 9)));
        }
        // the built-in state of the extended database equals the plain one's: only the extension's section differs
        try (Database db = Database.builder().directory(plain).open())
        {
            assertEquals(builtinsOnlyHash, db.stateHash());
            assertNotEquals(hash, db.stateHash());
        }
    }

    @Test
    void shouldRejectExtensionWritesWhenTheCodeIsNotAnExtensionsOrTheRunIsNotActive(@TempDir final Path dir)
    {
        try (Database db = Database.builder().directory(dir).extension(new CounterExt()).open())
        {
            db.beginRun(run);
            assertCode(InvalidArgumentException.class, ErrorCode.INVALID_EXTENSION,
                () -> db.writeExtensionEntry(run, WalEntryType.KV_PUT.code(), new byte[1]));
            assertCode(InvalidArgumentException.class, ErrorCode.INVALID_EXTENSION,
                () -> db.writeExtensionEntry(run, 0x82, CounterExt.add(1)));
            assertCode(InvalidArgumentException.class, ErrorCode.INVALID_EXTENSION,
                () -> db.writeExtensionEntry(run, 0x90, CounterExt.add(1)));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_FOUND,
                () -> db.writeExtensionEntry(other, ADD, CounterExt.add(1)));
            db.endRun(run);
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE,
                () -> db.writeExtensionEntry(run, ADD, CounterExt.add(1)));
        }
    }

    @Test
    void shouldRejectRegistrationWhenIdsOrCodesClash()
    {
        final CounterExt[] invalid = {
            new CounterExt(TYPE_ID, new int[] {ADD}), // paired with the valid one below: duplicate type id
            new CounterExt(0, new int[] {0x90}),
            new CounterExt(256, new int[] {0x90}),
            new CounterExt(0x81, new int[] {0x8F, 0x90}),
            new CounterExt(0x81, new int[] {0x05}),
            new CounterExt(0x81, new int[] {0x10}),
            new CounterExt(0x81, new int[] {0x1A}),
            new CounterExt(0x81, new int[] {0x85}), // paired with the valid one: the block 0x80 is owned
            new CounterExt(0x81, new int[] {}),
            new CounterExt(0x81, new int[] {0x100}),
            new CounterExt(1, new int[] {0x90}), // type id 1 is the key-value store's
        };
        for (final CounterExt ext : invalid)
        {
            assertCode(InvalidArgumentException.class, ErrorCode.INVALID_EXTENSION,
                () -> Database.builder().durability(DurabilityMode.IN_MEMORY).extension(new CounterExt())
                    .extension(ext).open().close());
        }
        try (Database db = Database.builder().durability(DurabilityMode.IN_MEMORY).extension(new CounterExt())
            .extension(new CounterExt(0x81, new int[] {0x90, 0x9F})).open())
        {
            db.beginRun(run);
            db.writeExtensionEntry(run, 0x90, CounterExt.add(1));
            db.writeExtensionEntry(run, ADD, CounterExt.add(1));
            assertEquals(0, db.stats().appends(), "InMemory writes append no frame");
        }
    }
}
