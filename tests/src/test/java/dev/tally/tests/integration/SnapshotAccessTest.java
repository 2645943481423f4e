/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.integration;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.RunStatus;
import dev.tally.engine.SnapshotConfig;
import dev.tally.engine.SnapshotInfo;
import dev.tally.snapshot.SectionAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database opens from its snapshot either by reading the KV state in place in the snapshot file's mapping (the
 * default) or by copying it onto the heap. Goal: both give the state the writes left, byte for byte (the state hash,
 * every get and list), also after more writes, another snapshot and another open; and a state read in place keeps
 * working when retention deletes the snapshot file it was read from.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotAccessTest
{
    private static final RunId[] RUNS = {RunId.of(0xacce, 1), RunId.of(0xacce, 2)};

    @TempDir
    Path dir;

    @Test
    void shouldOpenToTheSameStateWhetherTheSnapshotIsReadInPlaceOrCopied()
    {
        final TreeMap<String, Value> model = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(3);
        final String hash;
        try (Database database = open(SectionAccess.IN_PLACE, SnapshotConfig.MANUAL))
        {
            write(database, model, random, 6_000);
            database.snapshot();
            write(database, model, random, 2_000); // after the snapshot: replayed from the log over the base
            hash = database.stateHash();
        }
        for (int round = 0; round < 2; round++)
        {
            for (final SectionAccess access : SectionAccess.values())
            {
                try (Database database = open(access, SnapshotConfig.MANUAL))
                {
                    final String context = access + ", round " + round;
                    assertTrue(database.lastRecoveryResult().orElseThrow().snapshotFileName() != null, context);
                    assertEquals(hash, database.stateHash(), context);
                    check(database, model, context);
                }
            }
            try (Database database = open(SectionAccess.IN_PLACE, SnapshotConfig.MANUAL))
            {
                database.snapshot(); // written from a base read in place, with nothing written since
            }
        }
    }

    @Test
    void shouldKeepReadingAStateReadInPlaceAfterRetentionDeletesItsSnapshotFile() throws Exception
    {
        final SnapshotConfig keepOne = new SnapshotConfig(0, 0, false, 1);
        final TreeMap<String, Value> model = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(4);
        final SnapshotInfo first;
        try (Database database = open(SectionAccess.IN_PLACE, keepOne))
        {
            write(database, model, random, 5_000);
            first = database.snapshot();
        }
        try (Database database = open(SectionAccess.IN_PLACE, keepOne))
        {
            assertEquals(first.fileName(), database.lastRecoveryResult().orElseThrow().snapshotFileName());
            write(database, model, random, 500);
            final SnapshotInfo second = database.snapshot();
            assertFalse(Files.exists(dir.resolve(first.fileName())), "retention deleted the file the state was read from");
            assertTrue(Files.exists(dir.resolve(second.fileName())));
            check(database, model, "after the deletion");
            write(database, model, random, 500);
            database.snapshot(); // serialised again from the base in the deleted file's pages
            check(database, model, "after another snapshot");
        }
        try (Database database = open(SectionAccess.COPIED, keepOne))
        {
            check(database, model, "reopened");
        }
    }

    private Database open(final SectionAccess access, final SnapshotConfig snapshots)
    {
        return Database.builder().directory(dir).durability(DurabilityMode.BUFFERED).segmentLength(256 << 10)
            .snapshots(snapshots).snapshotAccess(access).open();
    }

    /** Puts, overwrites and deletes keys of several shapes: short ASCII, long, non-ASCII, with values of all kinds. */
    private static void write(final Database database, final TreeMap<String, Value> model,
        final SplittableRandom random, final int count)
    {
        for (final RunId run : RUNS)
        {
            if (RunStatus.NOT_FOUND.equals(database.runStatus(run)))
            {
                database.beginRun(run);
            }
        }
        for (int i = 0; i < count; i++)
        {
            final RunId run = RUNS[random.nextInt(RUNS.length)];
            final int n = random.nextInt(3_000);
            final String key = n % 11 == 0 ? "é/" + n : n % 13 == 0 ? "long/" + "x".repeat(150) + n :
                String.format(Locale.ROOT, "k-%05d", n);
            if (random.nextInt(6) == 0)
            {
                database.kv().delete(run, key);
                model.remove(run.uuid() + "|" + key);
                continue;
            }
            final Value value;
            switch (random.nextInt(4))
            {
                case 0:
                    value = Value.of(random.nextLong());
                    break;
                case 1:
                    value = Value.of("text " + n);
                    break;
                case 2:
                    value = Value.of(new byte[random.nextInt(300)]);
                    break;
                default:
                    value = Value.of(random.nextInt(2) == 0);
                    break;
            }
            database.kv().put(run, key, value);
            model.put(run.uuid() + "|" + key, value);
        }
    }

    private static void check(final Database database, final TreeMap<String, Value> model, final String context)
    {
        for (final RunId run : RUNS)
        {
            final String prefix = run.uuid() + "|";
            final List<String> expected = new ArrayList<>();
            for (final String entry : model.subMap(prefix, prefix + Character.MAX_VALUE).keySet())
            {
                expected.add(entry.substring(prefix.length()));
            }
            final List<String> listed = database.kv().list(run, "");
            assertEquals(expected.size(), listed.size(), context);
            assertEquals(new TreeSet<>(expected), new TreeSet<>(listed), context);
            for (final String key : expected)
            {
                assertEquals(Optional.of(model.get(prefix + key)), database.kv().get(run, key), context + ": " + key);
            }
            assertEquals(Optional.empty(), database.kv().get(run, "k-99999"), context);
        }
    }
}
