/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ClosedException;
import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.Value;
import dev.tally.core.testing.FileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.tally.engine.EngineTesting.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rejected input names its error code and writes nothing: no frame is appended and no byte of the database's
 * files changes. Also the run lifecycle errors, use after close, a second open of a locked directory, configuration
 * errors, run status in every state and orphaned runs after reopen.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsAndErrorsTest
{
    private final RunId run = RunId.of(11, 1);
    /** Runs a rejected call and checks its code, that no frame was appended and that no file byte changed. */
    private static void assertRejectedBeforeTheLog(final Database db, final Path dir, final ErrorCode code,
        final Executable action)
    {
        final long appends = db.stats().appends();
        final Map<String, String> files = FileBytes.digests(dir);
        final InvalidArgumentException ex = assertCode(InvalidArgumentException.class, code, action);
        assertEquals(appends, db.stats().appends(), "a rejected call appended a frame: " + ex.getMessage());
        assertEquals(files, FileBytes.digests(dir), "a rejected call changed a file: " + ex.getMessage());
    }

    @Test
    void shouldRejectOverLimitKeysAndValuesBeforeTheLogWhenLimitsAreExceeded(@TempDir final Path dir)
    {
        try (Database db = Database.builder().directory(dir).keyLengthMax(16).valueLengthMax(64).open())
        {
            db.beginRun(run);
            db.kv().put(run, "k", Value.of("fits"));
            db.state().init(run, "c", Value.of(1));
            assertTrue(db.stats().appends() > 0);
            final String longKey = "k".repeat(17);
            final String sixteen = "k".repeat(16);
            final Value big = Value.of("v".repeat(100));
            final UnaryOperator<String> multiByte = s -> "\u00e9".repeat(9); // 18 UTF-8 bytes in 9 chars

            assertRejectedBeforeTheLog(db, dir, ErrorCode.KEY_TOO_LARGE, () -> db.kv().put(run, longKey, Value.NULL));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.KEY_TOO_LARGE,
                () -> db.kv().put(run, multiByte.apply(""), Value.NULL));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.KEY_TOO_LARGE, () -> db.kv().delete(run, longKey));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.KEY_TOO_LARGE, () -> db.kv().get(run, longKey));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.KEY_TOO_LARGE,
                () -> db.events().append(run, longKey, Value.NULL));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.KEY_TOO_LARGE, () -> db.state().set(run, longKey, Value.NULL));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.KEY_TOO_LARGE,
                () -> db.kv().put(run, "k".repeat(1025), Value.NULL));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.VALUE_TOO_LARGE, () -> db.kv().put(run, "k", big));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.VALUE_TOO_LARGE, () -> db.events().append(run, "e", big));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.VALUE_TOO_LARGE, () -> db.state().set(run, "c", big));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.VALUE_TOO_LARGE, () -> db.state().init(run, "d", big));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.VALUE_TOO_LARGE, () -> db.state().cas(run, "c", 1, big));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.VALUE_TOO_LARGE, () -> db.transaction(run, tx ->
            {
                tx.put("a", Value.of(1));
                tx.put("b", big);
                return null;
            }));
            assertEquals(Optional.empty(), db.kv().get(run, "a"), "a transaction whose body threw writes nothing");
            assertRejectedBeforeTheLog(db, dir, ErrorCode.VALUE_TOO_LARGE,
                () -> db.abortRun(run, "r".repeat(65)));

            // at the limits exactly, accepted
            db.kv().put(run, sixteen, Value.of(1));
            assertEquals(Optional.of(Value.of(1)), db.kv().get(run, sixteen));
            assertEquals(Optional.of(Value.of("fits")), db.kv().get(run, "k"));
            assertEquals(1, db.state().get(run, "c").orElseThrow().version());
        }
    }

    @Test
    void shouldRejectInvalidKeysWhenTheyAreEmptyNullOrMalformed(@TempDir final Path dir)
    {
        try (Database db = Database.builder().directory(dir).open())
        {
            db.beginRun(run);
            for (final String key : new String[] {"", null, "a\u0000b", "\uD800", "x\uDC00y"})
            {
                assertRejectedBeforeTheLog(db, dir, ErrorCode.INVALID_KEY, () -> db.kv().put(run, key, Value.NULL));
                assertRejectedBeforeTheLog(db, dir, ErrorCode.INVALID_KEY, () -> db.kv().get(run, key));
                assertRejectedBeforeTheLog(db, dir, ErrorCode.INVALID_KEY, () -> db.state().set(run, key, Value.NULL));
                assertRejectedBeforeTheLog(db, dir, ErrorCode.INVALID_KEY,
                    () -> db.events().append(run, key, Value.NULL));
            }
            assertRejectedBeforeTheLog(db, dir, ErrorCode.INVALID_ARGUMENT, () -> db.kv().put(run, "k", null));
            assertRejectedBeforeTheLog(db, dir, ErrorCode.INVALID_ARGUMENT, () -> db.kv().put(null, "k", Value.NULL));
        }
    }

    @Test
    void shouldEnforceTheRunLifecycleWhenRunsAreUnknownEndedOrBegunTwice()
    {
        try (Database db = Database.openInMemory())
        {
            final RunId unknown = RunId.of(99, 99);
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_FOUND, () -> db.kv().get(unknown, "k"));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_FOUND,
                () -> db.kv().put(unknown, "k", Value.NULL));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_FOUND,
                () -> db.events().append(unknown, "e", Value.NULL));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_FOUND, () -> db.endRun(unknown));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_FOUND, () -> db.transaction(unknown,
                tx -> null));
            assertEquals(RunStatus.NOT_FOUND, db.runStatus(unknown));

            db.beginRun(run);
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_ALREADY_EXISTS, () -> db.beginRun(run));
            db.kv().put(run, "k", Value.of(1));
            db.state().init(run, "c", Value.of(1));
            assertCode(InvalidArgumentException.class, ErrorCode.CELL_NOT_FOUND,
                () -> db.state().cas(run, "missing", 1, Value.of(2)));
            assertCode(InvalidArgumentException.class, ErrorCode.CELL_NOT_FOUND,
                () -> db.state().transition(run, "missing", v -> v));
            assertEquals(Optional.empty(), db.state().get(run, "missing"), "a failed CAS creates nothing");
            db.endRun(run);

            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE, () -> db.kv().put(run, "k", Value.NULL));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE, () -> db.kv().delete(run, "k"));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE,
                () -> db.events().append(run, "e", Value.NULL));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE,
                () -> db.state().set(run, "c", Value.NULL));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE,
                () -> db.state().cas(run, "c", 1, Value.NULL));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE, () -> db.endRun(run));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE, () -> db.abortRun(run, "late"));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_NOT_ACTIVE, () -> db.transaction(run, tx ->
            {
                tx.put("k", Value.of(2));
                return null;
            }));
            assertCode(InvalidArgumentException.class, ErrorCode.RUN_ALREADY_EXISTS, () -> db.beginRun(run));
            assertEquals(Optional.of(Value.of(1)), db.kv().get(run, "k"), "an ended run is still readable");
            assertEquals(new RunStatus(RunStatus.State.COMPLETED, ""), db.runStatus(run));
        }
    }

    @Test
    void shouldReportEveryRunStateAndTheOrphansWhenReopened(@TempDir final Path dir)
    {
        final RunId active = RunId.of(1, 1);
        final RunId completed = RunId.of(1, 2);
        final RunId aborted = RunId.of(1, 3);
        final RunId alsoActive = RunId.of(1, 4);
        try (Database db = Database.open(dir))
        {
            for (final RunId r : List.of(alsoActive, active, completed, aborted))
            {
                db.beginRun(r);
            }
            db.endRun(completed);
            db.abortRun(aborted, "operator said stop");
            assertEquals(new RunStatus(RunStatus.State.ACTIVE, ""), db.runStatus(active));
            assertTrue(db.runStatus(active).isActive());
            assertEquals(new RunStatus(RunStatus.State.COMPLETED, ""), db.runStatus(completed));
            assertEquals(new RunStatus(RunStatus.State.ABORTED, "operator said stop"), db.runStatus(aborted));
            assertFalse(db.runStatus(aborted).isActive());
            assertEquals(RunStatus.NOT_FOUND, db.runStatus(RunId.of(1, 5)));
            assertEquals(List.of(), db.orphanedRuns(), "runs begun in this process are not orphans");
        }
        try (Database db = Database.open(dir))
        {
            assertEquals(List.of(active, alsoActive), db.orphanedRuns(), "the runs still active, sorted");
            assertEquals(new RunStatus(RunStatus.State.ABORTED, "operator said stop"), db.runStatus(aborted));
            assertEquals(new RunStatus(RunStatus.State.COMPLETED, ""), db.runStatus(completed));
            db.abortRun(active, "orphaned");
            assertEquals(List.of(alsoActive), db.orphanedRuns(), "an ended orphan is no longer listed");
            final RunId fresh = RunId.of(1, 6);
            db.beginRun(fresh);
            assertEquals(List.of(alsoActive), db.orphanedRuns());
        }
        try (Database db = Database.open(dir))
        {
            assertEquals(List.of(alsoActive, RunId.of(1, 6)), db.orphanedRuns());
            assertEquals(new RunStatus(RunStatus.State.ABORTED, "orphaned"), db.runStatus(active));
        }
    }

    @Test
    void shouldThrowClosedWhenUsedAfterClose(@TempDir final Path dir)
    {
        final Database db = Database.open(dir);
        db.beginRun(run);
        db.close();
        db.close();
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.kv().get(run, "k"));
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.kv().put(run, "k", Value.NULL));
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.kv().list(run, null));
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.events().append(run, "e", Value.NULL));
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.state().get(run, "c"));
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.beginRun(RunId.of(2, 2)));
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.runStatus(run));
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> db.transaction(run, tx -> null));
        assertCode(ClosedException.class, ErrorCode.CLOSED, db::stateHash);
        assertCode(ClosedException.class, ErrorCode.CLOSED, db::flush);
        assertCode(ClosedException.class, ErrorCode.CLOSED, db::orphanedRuns);

        final Database memory = Database.openInMemory();
        memory.close();
        assertCode(ClosedException.class, ErrorCode.CLOSED, () -> memory.beginRun(run));
    }

    @Test
    void shouldRefuseASecondOpenWhenTheDirectoryIsLockedInThisJvm(@TempDir final Path dir)
    {
        try (Database db = Database.open(dir))
        {
            db.beginRun(run);
            assertCode(StorageException.class, ErrorCode.DIRECTORY_LOCKED, () -> Database.open(dir));
            assertCode(StorageException.class, ErrorCode.DIRECTORY_LOCKED,
                () -> Database.builder().directory(dir).durability(DurabilityMode.BUFFERED).open());
            db.kv().put(run, "still", Value.of(1));
            assertEquals(Optional.of(Value.of(1)), db.kv().get(run, "still"), "the first open is unharmed");
        }
        try (Database db = Database.open(dir))
        {
            assertEquals(Optional.of(Value.of(1)), db.kv().get(run, "still"), "the lock is released by close");
        }
    }

    @Test
    void shouldThrowConfigurationExceptionBeforeTouchingFilesWhenSettingsAreInvalid(@TempDir final Path parent)
    {
        final Path dir = parent.resolve("db");
        final List<Executable> invalid = List.of(
            () -> Database.builder().open(),
            () -> Database.builder().durability(DurabilityMode.BUFFERED).open(),
            () -> Database.builder().directory(dir).durability(null).open(),
            () -> Database.builder().directory(dir).segmentLength(100_000).open(),
            () -> Database.builder().directory(dir).segmentLength(32 << 10).open(),
            () -> Database.builder().directory(dir).segmentLength(Integer.MIN_VALUE).open(),
            () -> Database.builder().directory(dir).flushIntervalMs(0).open(),
            () -> Database.builder().directory(dir).flushIntervalMs(3_600_001).open(),
            () -> Database.builder().directory(dir).ringSize(15).open(),
            () -> Database.builder().directory(dir).ringSize(100).open(),
            () -> Database.builder().directory(dir).keyLengthMax(0).open(),
            () -> Database.builder().directory(dir).keyLengthMax(1025).open(),
            () -> Database.builder().directory(dir).valueLengthMax(15).open(),
            () -> Database.builder().directory(dir).segmentLength(64 << 10).valueLengthMax(40 << 10).open(),
            () -> Database.builder().directory(dir).clock(null).open(),
            () -> Database.builder().directory(dir).idGenerator(null).open(),
            () -> Database.builder().directory(dir).snapshots(null).open());
        for (final Executable action : invalid)
        {
            assertCode(ConfigurationException.class, ErrorCode.INVALID_CONFIGURATION, action);
            assertFalse(Files.exists(dir), "a rejected configuration created the directory");
        }
        try (Database db = Database.builder().directory(dir).segmentLength(64 << 10).valueLengthMax(32 << 10).open())
        {
            assertTrue(Files.isDirectory(dir), "the limits themselves are accepted");
        }
    }
}
