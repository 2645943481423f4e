/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.engine.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static dev.tally.tools.TallyFixtures.RUN_A;
import static dev.tally.tools.TallyFixtures.hashDirectory;
import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the operator commands name damage precisely and never make it worse. Method: build a real database, damage
 * it by hand (a flipped bit in a frame and in a snapshot, a truncated segment, a foreign segment, a torn tail, a
 * damaged bundle), and run the commands on it. No randomness: every damage is at a fixed place.
 */
@Timeout(60)
class TallyDamageCrashTest
{
    @Test
    void shouldNameFileOffsetPositionAndCrcsWhenAFrameHasAFlippedBit(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final List<Long> positions = TallyFixtures.framePositions(db);
        final long position = positions.get(20);
        final Path segment = TallyFixtures.files(db, ".wal").get(0);
        TallyFixtures.flipBit(segment, position + 40);
        final String before = hashDirectory(db);
        final TallyFixtures.Result verify = tally("verify", db.toString());
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("corrupt at position " + position + ": file " + segment.getFileName()
            + ", offset " + position + ", CRC_MISMATCH, expected CRC 0x"), verify::toString);
        final TallyFixtures.Result json = tally("verify", db.toString(), "--json");
        assertTrue(json.out().contains("\"reason\":\"CRC_MISMATCH\"") && json.out().contains("\"actualCrc\":\"0x"),
            json::toString);
        final TallyFixtures.Result recover = tally("recover", db.toString(), "--dry-run");
        assertEquals(3, recover.code(), recover::toString);
        assertTrue(recover.err().contains("recovery would refuse to open"), recover::toString);
        final TallyFixtures.Result tolerant = tally("recover", db.toString(), "--dry-run", "--policy",
            "point_in_time");
        assertEquals(0, tolerant.code(), tolerant::toString);
        final TallyFixtures.Result truncate = tally("truncate-tail", db.toString(), "--confirm");
        assertEquals(3, truncate.code(), truncate::toString);
        assertTrue(truncate.err().contains("not a torn tail, refusing to cut"), truncate::toString);
        assertEquals(3, tally("describe", db.toString()).code());
        assertEquals(before, hashDirectory(db));
    }

    @Test
    void shouldShowThenCutATornTailWhenConfirmed(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final List<Path> segments = TallyFixtures.files(db, ".wal");
        final Path last = segments.get(segments.size() - 1);
        final long base = Long.parseLong(last.getFileName().toString().substring(0, 20));
        final TallyFixtures.Result described = tally("describe", db.toString(), "--json");
        final long end = Long.parseLong(described.out().replaceAll(".*\"endPosition\":(\\d+).*", "$1").strip());
        TallyFixtures.writeBytes(last, end - base, new byte[] {0x40, 0, 0, 0, 0x63, 1, 2, 3});
        final String before = hashDirectory(db);
        final TallyFixtures.Result verify = tally("verify", db.toString());
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("torn tail of"), verify::toString);
        final TallyFixtures.Result dryRun = tally("recover", db.toString(), "--dry-run");
        assertEquals(0, dryRun.code(), dryRun::toString);
        assertTrue(dryRun.out().contains("would cut from position " + end), dryRun::toString);
        final TallyFixtures.Result shown = tally("truncate-tail", db.toString());
        assertEquals(2, shown.code(), shown::toString);
        assertTrue(shown.out().contains("torn tail: ") && shown.out().contains("add --confirm"), shown::toString);
        assertEquals(before, hashDirectory(db));
        final TallyFixtures.Result cut = tally("truncate-tail", db.toString(), "--confirm");
        assertEquals(0, cut.code(), cut::toString);
        assertTrue(cut.out().contains("the log now ends at position " + end), cut::toString);
        assertEquals(0, tally("verify", db.toString()).code());
    }

    @Test
    void shouldFailVerifyWhenASegmentIsTruncated(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final Path first = TallyFixtures.files(db, ".wal").get(0);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(first,
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(Files.size(first) / 2);
        }
        final TallyFixtures.Result verify = tally("verify", db.toString());
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("verify: FAILED: corrupt at position"), verify::toString);
        assertTrue(verify.out().contains(first.getFileName().toString()), verify::toString);
    }

    @Test
    void shouldNameTheSnapshotWhenItHasAFlippedBit(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), true);
        final Path snapshot = TallyFixtures.files(db, ".snap").get(0);
        TallyFixtures.flipBit(snapshot, Files.size(snapshot) / 2);
        final TallyFixtures.Result verify = tally("verify", db.toString());
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("1 bad") && verify.out().contains("bad      " + snapshot.getFileName()),
            verify::toString);
        assertTrue(verify.out().contains("verify: FAILED: " + snapshot.getFileName()), verify::toString);
    }

    @Test
    void shouldReportForeignDatabaseWhenASegmentComesFromAnotherDatabase(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final Path other = TallyFixtures.database(dir.resolve("other"), false);
        final Path segment = TallyFixtures.files(db, ".wal").get(0);
        Files.copy(TallyFixtures.files(other, ".wal").get(0), segment, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(db.resolve("notes.txt"), "not ours");
        final TallyFixtures.Result verify = tally("verify", db.toString());
        assertEquals(1, verify.code(), verify::toString);
        assertTrue(verify.out().contains("FOREIGN_DATABASE"), verify::toString);
        final TallyFixtures.Result describe = tally("describe", db.toString());
        assertTrue(describe.out().contains("other files  notes.txt"), describe::toString);
    }

    @Test
    void shouldRefuseTheWholeBundleWhenAPartIsDamaged(@TempDir final Path dir) throws Exception
    {
        final Path db = TallyFixtures.database(dir.resolve("db"), false);
        final Path bundle = dir.resolve("run.bundle");
        assertEquals(0, tally("export", db.toString(), RUN_A.toString(), bundle.toString()).code());
        final Path damaged = dir.resolve("damaged.bundle");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(bundle));
            ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(damaged)))
        {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry())
            {
                final byte[] bytes = in.readAllBytes();
                if (entry.getName().equals(RunBundle.HISTORY))
                {
                    bytes[bytes.length / 2] ^= 1;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        final Path target = TallyFixtures.database(dir.resolve("target"), false);
        final String before = hashDirectory(target);
        final TallyFixtures.Result imported = tally("import", dir.resolve("target").toString(), damaged.toString());
        assertEquals(3, imported.code(), imported::toString);
        assertTrue(imported.err().contains("history.bin fails its checksum"), imported::toString);
        assertEquals(before, hashDirectory(target));
        final Path garbage = dir.resolve("garbage.bundle");
        Files.writeString(garbage, "not a zip", StandardCharsets.UTF_8);
        assertEquals(3, tally("import", dir.resolve("fresh").toString(), garbage.toString()).code());
        assertFalse(Files.exists(dir.resolve("fresh")));
        try (Database check = Database.open(target))
        {
            assertEquals(dev.tally.engine.RunStatus.State.COMPLETED, check.runStatus(RUN_A).state());
        }
    }
}
