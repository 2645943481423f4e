/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.integration;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.engine.SnapshotInfo;
import dev.tally.recovery.RecoveryResult;
import dev.tally.recovery.RejectedSnapshot;
import dev.tally.snapshot.SectionAccess;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshot damage seen by recovery through the engine: a database with two snapshots has its newest one truncated at
 * every length and flipped at every byte (one bit per byte, the bit rotating with the offset). Every reopen must
 * reject the damaged snapshot whole (named in {@code rejectedSnapshots}), fall back to the older one plus the log, and
 * rebuild exactly the state hash from before the damage: never a partly loaded state, never a failed open.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SnapshotDamageRecoveryTest
{
    private static final RunId RUN = RunId.of(0x5a, 0xfe);

    @TempDir
    Path dir;

    @Test
    void shouldFallBackToTheOlderSnapshotWithTheSameStateWhenTheNewestIsTruncatedOrFlippedAnywhere()
        throws IOException
    {
        final Path db = dir.resolve("db");
        final SnapshotInfo older;
        final SnapshotInfo newer;
        final String hash;
        try (Database database = open(db))
        {
            database.beginRun(RUN);
            database.kv().put(RUN, "a", Value.of(1L));
            database.events().append(RUN, "e", Value.of("one"));
            older = database.snapshot();
            database.state().set(RUN, "cell", Value.of(2L));
            database.json().create(RUN, "doc", Json.createObjectBuilder().add("x", 1).build());
            database.kv().put(RUN, "b", Value.of("two"));
            newer = database.snapshot();
            database.kv().put(RUN, "c", Value.of(3L));
            database.kv().delete(RUN, "a");
            hash = database.stateHash();
        }
        assertNotEquals(older.fileName(), newer.fileName());
        final Path newest = db.resolve(newer.fileName());
        final byte[] original = Files.readAllBytes(newest);
        final byte[] olderBytes = Files.readAllBytes(db.resolve(older.fileName()));
        try (Database database = open(db))
        {
            assertEquals(newer.fileName(), database.lastRecoveryResult().orElseThrow().snapshotFileName());
            assertEquals(hash, database.stateHash());
        }

        int reopened = 0;
        for (int length = 0; length < original.length; length++)
        {
            Files.write(newest, Arrays.copyOf(original, length));
            reopenOnOlder(db, older, newer, hash, "truncated to " + length + " of " + original.length);
            reopened++;
        }
        for (int offset = 0; offset < original.length; offset++)
        {
            final byte[] flipped = original.clone();
            flipped[offset] ^= (byte)(1 << (offset % 8));
            Files.write(newest, flipped);
            reopenOnOlder(db, older, newer, hash, "bit " + offset % 8 + " of byte " + offset + " flipped");
            reopened++;
        }
        assertEquals(2 * original.length, reopened);
        System.out.println("SnapshotDamageRecoveryTest: newest snapshot " + original.length + " bytes, " + reopened
            + " damaged reopens");
        assertArrayEquals(olderBytes, Files.readAllBytes(db.resolve(older.fileName())),
            "recovery must not change the snapshot it falls back to");

        Files.write(newest, original);
        try (Database database = open(db))
        {
            final RecoveryResult result = database.lastRecoveryResult().orElseThrow();
            assertEquals(newer.fileName(), result.snapshotFileName(), "the repaired snapshot is used again");
            assertTrue(result.rejectedSnapshots().isEmpty());
            assertEquals(hash, database.stateHash());
        }
    }

    @Test
    void shouldFallBackWhenALargeSnapshotLoadedWhileAHelperChecksumsItIsDamagedAnywhere() throws IOException
    {
        // A KV section of about 13 MB: the KV primitive checks its entries as the reader hands them over, read in
        // place or copied in chunks (alternately here), and a helper thread computes the CRC alongside. Damage
        // anywhere must still drop the snapshot whole.
        final Path db = dir.resolve("large");
        final SnapshotInfo older;
        final SnapshotInfo newer;
        final String hash;
        final SplittableRandom random = new SplittableRandom(20261202L);
        try (Database database = openLarge(db))
        {
            database.beginRun(RUN);
            putKeys(database, 0, 100_000, random);
            older = database.snapshot();
            putKeys(database, 50_000, 110_000, random);
            newer = database.snapshot();
            database.kv().delete(RUN, String.format(Locale.ROOT, "key-%08d", 7));
            hash = database.stateHash();
        }
        final Path newest = db.resolve(newer.fileName());
        final byte[] original = Files.readAllBytes(newest);
        assertTrue(original.length > 12 << 20, "large enough for the helper: " + original.length);
        final int middle = original.length / 2;
        final int[] offsets = {0, 12, 30, 49, 50, 58, 59, 60, 64 << 10, (64 << 10) + 1, middle - 1, middle, middle + 1,
            original.length - (64 << 10), original.length - 6, original.length - 5, original.length - 1,
            random.nextInt(original.length), random.nextInt(original.length), random.nextInt(original.length),
            random.nextInt(original.length), random.nextInt(original.length), random.nextInt(original.length)};
        int reopened = 0;
        for (final int offset : offsets)
        {
            final SectionAccess access = reopened % 4 == 0 ? SectionAccess.IN_PLACE : SectionAccess.COPIED;
            Files.write(newest, Arrays.copyOf(original, offset));
            reopenOnOlder(db, older, newer, hash, "truncated to " + offset + " of " + original.length + ", " + access,
                access);
            final byte[] flipped = original.clone();
            flipped[offset] ^= (byte)(1 << (offset % 8));
            Files.write(newest, flipped);
            reopenOnOlder(db, older, newer, hash, "bit " + offset % 8 + " of byte " + offset + " flipped, " + access,
                access);
            reopened += 2;
        }
        assertEquals(2 * offsets.length, reopened);

        Files.write(newest, original);
        try (Database database = openLarge(db))
        {
            final RecoveryResult result = database.lastRecoveryResult().orElseThrow();
            assertEquals(newer.fileName(), result.snapshotFileName(), "the repaired snapshot is used again");
            assertTrue(result.rejectedSnapshots().isEmpty());
            assertEquals(hash, database.stateHash());
        }
    }

    private static void putKeys(final Database database, final int from, final int to,
        final SplittableRandom random)
    {
        for (int start = from; start < to; start += 500)
        {
            final int batchFrom = start;
            database.transaction(RUN, tx ->
            {
                for (int i = batchFrom; i < Math.min(to, batchFrom + 500); i++)
                {
                    final byte[] value = new byte[100];
                    random.nextBytes(value);
                    tx.put(String.format(Locale.ROOT, "key-%08d", i), Value.of(value));
                }
                return null;
            });
        }
    }

    private static void reopenOnOlder(final Path db, final SnapshotInfo older, final SnapshotInfo newer,
        final String hash, final String damage)
    {
        reopenOnOlder(db, older, newer, hash, damage, null);
    }

    /** Reopens a small database, or a large one with the given access to snapshots when it is not null. */
    private static void reopenOnOlder(final Path db, final SnapshotInfo older, final SnapshotInfo newer,
        final String hash, final String damage, final SectionAccess largeAccess)
    {
        final Database database;
        try
        {
            database = largeAccess != null ? openLarge(db, largeAccess) : open(db);
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError("the open failed with the newest snapshot " + damage, ex);
        }
        try (database)
        {
            final RecoveryResult result = database.lastRecoveryResult().orElseThrow();
            final List<RejectedSnapshot> rejected = result.rejectedSnapshots();
            assertEquals(1, rejected.size(), damage + ": " + result.toJson());
            assertEquals(newer.fileName(), rejected.get(0).fileName(), damage);
            assertTrue(!rejected.get(0).reason().isBlank(), damage);
            assertEquals(older.fileName(), result.snapshotFileName(), damage + ": " + result.toJson());
            assertEquals(older.walPosition(), result.walStartPosition(), damage);
            assertEquals(hash, database.stateHash(), damage);
        }
    }

    private static Database openLarge(final Path path)
    {
        return openLarge(path, SectionAccess.IN_PLACE);
    }

    private static Database openLarge(final Path path, final SectionAccess access)
    {
        return Database.builder().directory(path).durability(DurabilityMode.BUFFERED).snapshots(SnapshotConfig.MANUAL)
            .snapshotAccess(access).open();
    }

    private static Database open(final Path path)
    {
        return Database.builder().directory(path).durability(DurabilityMode.BUFFERED).segmentLength(64 << 10)
            .snapshots(SnapshotConfig.MANUAL).open();
    }
}
