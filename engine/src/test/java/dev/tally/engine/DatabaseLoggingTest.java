/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.StorageFullException;
import dev.tally.core.TallyException;
import dev.tally.core.TxId;
import dev.tally.core.Value;
import dev.tally.pipeline.LogWriter;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.snapshot.SnapshotOutput;
import dev.tally.snapshot.SnapshotStorage;
import dev.tally.wal.FrameDescriptor;
import dev.tally.wal.SegmentDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the engine logs through SLF4J, read back from a capturing backend: one INFO line per open (directory, mode,
 * recovery case and action, bytes cut, time taken) and per close; WARN for a rejected snapshot, a tolerated corrupt
 * tail and a failed automatic snapshot (with its cause); ERROR once when the log fails and stops; DEBUG for segment
 * rolls and snapshot triggers; and nothing per commit. Lines are told apart from other tests' by the directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatabaseLoggingTest
{
    private static final SnapshotConfig MANUAL = new SnapshotConfig(0, 0, false, 1);

    private final RunId run = RunId.of(0x10, 0x9);

    @Test
    void shouldLogOneInfoLineWhenADatabaseOpensAndOneWhenItCloses(@TempDir final Path dir)
    {
        final Path db = dir.resolve("db");
        try (Database database = Database.builder().directory(db).durability(DurabilityMode.BUFFERED)
            .snapshots(MANUAL).open())
        {
            database.beginRun(run);
        }
        final List<CapturingLogProvider.Line> lines = linesAbout(db, Level.INFO);
        assertEquals(2, lines.size(), lines.toString());
        final CapturingLogProvider.Line opened = lines.get(0);
        assertEquals(Level.INFO, opened.level());
        assertEquals("dev.tally.engine.Database", opened.logger());
        assertContains(opened, "database opened", "directory=" + db, "mode=BUFFERED", "recoveryCase=A_CLEAN_END",
            "action=OPEN,", "policy=STRICT_CONSISTENCY", "readOnly=false", "bytesCut=0", "durationMs=");
        final CapturingLogProvider.Line closed = lines.get(1);
        assertEquals(Level.INFO, closed.level());
        assertContains(closed, "database closed:", "directory=" + db, "mode=BUFFERED", "durablePosition=",
            "durationMs=");
    }

    @Test
    void shouldLogOpenAndCloseWithTheModeWhenInMemory()
    {
        final int before = CapturingLogProvider.lines().size();
        Database.openInMemory().close();
        final List<CapturingLogProvider.Line> lines = CapturingLogProvider.lines();
        assertTrue(lines.subList(before, lines.size()).stream().anyMatch(l -> l.level() == Level.INFO
            && l.message().startsWith("database opened: mode=IN_MEMORY, durationMs=")), lines.toString());
        assertTrue(lines.subList(before, lines.size()).stream().anyMatch(l -> l.level() == Level.INFO
            && l.message().startsWith("database closed: mode=IN_MEMORY, durationMs=")), lines.toString());
    }

    @Test
    void shouldLogNothingPerCommitWhenWriting(@TempDir final Path dir)
    {
        final Path db = dir.resolve("db");
        try (Database database = Database.builder().directory(db).snapshots(MANUAL).open())
        {
            database.beginRun(run);
            final int before = linesAbout(db, Level.TRACE).size();
            for (int i = 0; i < 500; i++)
            {
                database.kv().put(run, "k" + i, Value.of(i));
                database.transaction(run, tx ->
                {
                    tx.put("t", Value.of(1));
                    return null;
                });
            }
            database.flush();
            assertEquals(before, linesAbout(db, Level.TRACE).size(), "no line at any level per commit: "
                + linesAbout(db, Level.TRACE));
        }
    }

    @Test
    void shouldWarnAndReportTheCutWhenTheTolerantPolicyCutsACorruptTail(@TempDir final Path dir) throws IOException
    {
        final Path db = dir.resolve("db");
        final long lastFrame;
        try (Database database = Database.builder().directory(db).snapshots(MANUAL).open())
        {
            database.beginRun(run);
            for (int i = 0; i < 10; i++)
            {
                database.kv().put(run, "k" + i, Value.of(new byte[100]));
            }
            lastFrame = database.durablePosition();
            database.kv().put(run, "last", Value.of(new byte[100]));
        }
        flipByte(db.resolve(SegmentDescriptor.fileName(0)), lastFrame + FrameDescriptor.HEADER_LENGTH + 8);
        final int before = linesAbout(db, Level.INFO).size();
        try (Database database = Database.builder().directory(db).snapshots(MANUAL)
            .recoveryPolicy(RecoveryPolicy.TOLERATE_CORRUPTED_TAIL).open())
        {
            assertFalse(database.kv().get(run, "last").isPresent());
            final long bytesCut = database.lastRecoveryResult().orElseThrow().bytesCut();
            assertTrue(bytesCut > 0, "bytesCut=" + bytesCut);
            final List<CapturingLogProvider.Line> lines = linesAbout(db, Level.INFO);
            final List<CapturingLogProvider.Line> opening = lines.subList(before, lines.size());
            assertEquals(2, opening.size(), opening.toString());
            assertEquals(Level.WARN, opening.get(0).level());
            assertContains(opening.get(0), "corrupt log tail tolerated and cut", "directory=" + db,
                "recoveryCase=F_CORRUPT_TAIL_TOLERANT", "policy=TOLERATE_CORRUPTED_TAIL", "cutPosition=" + lastFrame,
                "bytesCut=" + bytesCut, "damage=");
            assertEquals(Level.INFO, opening.get(1).level());
            assertContains(opening.get(1), "database opened", "recoveryCase=F_CORRUPT_TAIL_TOLERANT",
                "action=CUT_AND_OPEN", "bytesCut=" + bytesCut, "endPosition=" + lastFrame);
        }
    }

    @Test
    void shouldWarnNamingTheFileAndReasonWhenRecoveryRejectsASnapshot(@TempDir final Path dir) throws IOException
    {
        final Path db = dir.resolve("db");
        final String snapshot;
        try (Database database = Database.builder().directory(db).snapshots(MANUAL).open())
        {
            database.beginRun(run);
            database.kv().put(run, "k", Value.of(new byte[100]));
            snapshot = database.snapshot().fileName();
        }
        final Path file = db.resolve(snapshot);
        flipByte(file, Files.size(file) / 2);
        final int before = linesAbout(db, Level.INFO).size();
        try (Database database = Database.builder().directory(db).snapshots(MANUAL).open())
        {
            assertTrue(database.kv().get(run, "k").isPresent(), "recovered from the log instead");
        }
        final List<CapturingLogProvider.Line> lines = linesAbout(db, Level.INFO);
        final List<CapturingLogProvider.Line> warnings = lines.subList(before, lines.size()).stream()
            .filter(l -> l.level() == Level.WARN).toList();
        assertEquals(1, warnings.size(), lines.toString());
        assertContains(warnings.get(0), "snapshot rejected at open", "directory=" + db, "file=" + snapshot,
            "walPosition=", "reason=");
    }

    @Test
    void shouldWarnOnceWithTheCauseWhenAutomaticSnapshotsKeepFailing(@TempDir final Path dir)
    {
        final Path db = dir.resolve("db");
        try (Database database = Database.builder().directory(db).durability(DurabilityMode.BUFFERED)
            .snapshots(new SnapshotConfig(4096, 0, false, 1)).snapshotStorage(failingSnapshots()).open())
        {
            database.beginRun(run);
            for (int i = 0; i < 100; i++)
            {
                database.kv().put(run, "k" + i, Value.of(new byte[100]));
            }
            awaitLine(db, l -> l.message().startsWith("automatic snapshot failed again"));
            final List<CapturingLogProvider.Line> warnings = linesAbout(db, Level.INFO).stream()
                .filter(l -> l.level() == Level.WARN).toList();
            assertEquals(1, warnings.size(), "a lasting failure warns once: " + warnings);
            assertContains(warnings.get(0), "automatic snapshot failed", "directory=" + db, "code=STORAGE_IO",
                "failedAttempts=1");
            final Throwable cause = warnings.get(0).cause();
            assertNotNull(cause, "the cause is logged");
            assertTrue(cause == database.lastSnapshotFailure().orElseThrow()
                || cause.getMessage().equals(database.lastSnapshotFailure().orElseThrow().getMessage()));
            assertTrue(linesAbout(db, Level.DEBUG).stream().anyMatch(l -> l.level() == Level.DEBUG
                && l.message().startsWith("snapshot triggered") && l.message().contains("trigger=walBytes")));
        }
    }

    @Test
    void shouldLogErrorOnceWhenAForceFailsAndTheLogStops(@TempDir final Path dir)
    {
        final Path db = dir.resolve("db");
        final AtomicReference<EngineTesting.InstrumentedLog> logRef = new AtomicReference<>();
        try (Database database = Database.builder().directory(db).snapshots(MANUAL).logWriterWrapper(w ->
        {
            final EngineTesting.InstrumentedLog log = new EngineTesting.InstrumentedLog(w).failAt(3, true);
            logRef.set(log);
            return log;
        }).open())
        {
            database.beginRun(run);
            database.kv().put(run, "k0", Value.of(0));
            for (int i = 1; i < 5; i++)
            {
                final int index = i;
                assertThrows(StorageException.class, () -> database.kv().put(run, "k" + index, Value.of(index)));
            }
            final List<CapturingLogProvider.Line> errors = linesAbout(db, Level.ERROR);
            assertEquals(1, errors.size(), errors.toString());
            assertEquals(Level.ERROR, errors.get(0).level());
            assertContains(errors.get(0), "log force failed,", "refuses every write until it is reopened",
                "directory=" + db, "durablePosition=" + database.durablePosition());
            assertNotNull(errors.get(0).cause());
        }
        assertEquals(1, linesAbout(db, Level.ERROR).size(), "close logs no second error");
    }

    @Test
    void shouldLogErrorOnceNamingTheFullDiskWhenAnAppendFindsNoSpace(@TempDir final Path dir)
    {
        final Path db = dir.resolve("db");
        try (Database database = Database.builder().directory(db).snapshots(MANUAL)
            .logWriterWrapper(FullDisk::new).open())
        {
            database.beginRun(run);
            final TallyException ex = assertThrows(TallyException.class,
                () -> database.kv().put(run, "full", Value.of(new byte[FullDisk.PAYLOAD_LENGTH_MIN])));
            assertEquals(ErrorCode.STORAGE_FULL, ex.code());
            assertThrows(StorageException.class, () -> database.kv().put(run, "later", Value.of(1)));
            final List<CapturingLogProvider.Line> errors = linesAbout(db, Level.ERROR);
            assertEquals(1, errors.size(), errors.toString());
            assertContains(errors.get(0), "log append failed (disk full)", "directory=" + db, "code=STORAGE_FULL");
            assertInstanceOf(StorageFullException.class, errors.get(0).cause());
        }
    }

    @Test
    void shouldLogDebugLinesWhenTheLogRollsASegmentAndASnapshotIsTaken(@TempDir final Path dir)
    {
        final Path db = dir.resolve("db");
        try (Database database = Database.builder().directory(db).durability(DurabilityMode.BUFFERED)
            .segmentLength(64 << 10).snapshots(MANUAL).open())
        {
            database.beginRun(run);
            for (int i = 0; i < 200; i++)
            {
                database.kv().put(run, "k" + i, Value.of(new byte[1000])); // about three segments
            }
            database.flush();
            final List<CapturingLogProvider.Line> rolls = linesAbout(db, Level.DEBUG).stream()
                .filter(l -> l.message().startsWith("log segment rolled")).toList();
            assertTrue(rolls.size() >= 2, rolls.toString());
            assertEquals(Level.DEBUG, rolls.get(0).level());
            assertContains(rolls.get(0), "directory=" + db, "segmentBasePosition=" + (64 << 10), "position=");
            final String file = database.snapshot().fileName();
            assertTrue(linesAbout(db, Level.DEBUG).stream().anyMatch(l -> l.level() == Level.DEBUG
                && l.message().startsWith("snapshot taken") && l.message().contains("file=" + file)));
            assertEquals(0, linesAbout(db, Level.INFO).stream().filter(l -> l.level() != Level.INFO).count());
        }
    }

    private static List<CapturingLogProvider.Line> linesAbout(final Path db, final Level atLeast)
    {
        final Predicate<CapturingLogProvider.Line> about = l -> l.message().contains("directory=" + db + ",");
        return CapturingLogProvider.lines().stream().filter(about)
            .filter(l -> l.level().toInt() >= atLeast.toInt()).toList();
    }

    private static void awaitLine(final Path db, final Predicate<CapturingLogProvider.Line> wanted)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (linesAbout(db, Level.TRACE).stream().noneMatch(wanted))
        {
            if (System.nanoTime() > deadline)
            {
                fail("no such line: " + linesAbout(db, Level.TRACE));
            }
            EngineTesting.sleep(20);
        }
    }

    private static void assertContains(final CapturingLogProvider.Line line, final String... parts)
    {
        Stream.of(parts).forEach(part -> assertTrue(line.message().contains(part),
            "missing '" + part + "' in: " + line));
    }

    private static void flipByte(final Path file, final long offset) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5a);
        }
    }

    private static SnapshotStorage failingSnapshots()
    {
        final SnapshotStorage files = SnapshotStorage.files();
        return new SnapshotStorage()
        {
            @Override
            public SnapshotOutput create(final Path file) throws IOException
            {
                throw new IOException("injected: snapshot file cannot be created");
            }

            @Override
            public void moveAtomically(final Path source, final Path target) throws IOException
            {
                files.moveAtomically(source, target);
            }

            @Override
            public void forceDirectory(final Path directory) throws IOException
            {
                files.forceDirectory(directory);
            }

            @Override
            public boolean deleteIfExists(final Path file) throws IOException
            {
                return files.deleteIfExists(file);
            }
        };
    }

    /** A log whose disk fills up: an append of a large payload fails as the WAL reports a full disk. */
    private static final class FullDisk implements LogWriter
    {
        static final int PAYLOAD_LENGTH_MIN = 10_000;

        private final LogWriter delegate;

        FullDisk(final LogWriter delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public long append(final int typeCode, final TxId txId, final RunId runId, final byte[] payload)
        {
            if (payload.length >= PAYLOAD_LENGTH_MIN)
            {
                throw new StorageFullException(ErrorCode.STORAGE_FULL, "injected: no space left on device");
            }
            return delegate.append(typeCode, txId, runId, payload);
        }

        @Override
        public void force()
        {
            delegate.force();
        }

        @Override
        public long durablePosition()
        {
            return delegate.durablePosition();
        }

        @Override
        public long nextPosition()
        {
            return delegate.nextPosition();
        }

        @Override
        public long framePosition(final long nextPosition, final int payloadLength)
        {
            return delegate.framePosition(nextPosition, payloadLength);
        }

        @Override
        public long frameEnd(final long framePosition, final int payloadLength)
        {
            return delegate.frameEnd(framePosition, payloadLength);
        }

        @Override
        public int payloadLengthMax()
        {
            return delegate.payloadLengthMax();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }
}
