/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.ReadOnlyView;
import dev.tally.engine.SnapshotConfig;
import dev.tally.replay.AsOf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay invariants P1-P6 of the storage contract: replay is a function of the stored files only (also in
 * another JVM with another timezone, locale and charset), writes nothing, is never persisted nor visible through the
 * live database, gives the same view across restarts and log reclamation, and is idempotent under concurrency.
 */
@Timeout(300)
class ReplayInvariantsTest
{
    @TempDir
    Path dir;

    @TempDir
    Path copies;

    private Database open(final Path directory, final DurabilityMode mode, final int keep)
    {
        return Database.builder().directory(directory).durability(mode).segmentLength(64 << 10)
            .snapshots(new SnapshotConfig(0, 0, false, keep)).open();
    }

    @Test
    void p1ShouldGiveTheSameViewAndHashWhenTheSameFilesAreReplayedHereAndInAnotherJvm() throws Exception
    {
        final RunId run = ReplayTesting.run(1);
        try (Database db = open(dir, DurabilityMode.STRICT, 2))
        {
            db.beginRun(run);
            ReplayTesting.writeMixed(db, run, 6, "p1");
            db.snapshot();
            ReplayTesting.writeMixed(db, run, 4, "after");
        }
        final Path copy = copies.resolve("copy");
        final Path childCopy = copies.resolve("child");
        ReplayTesting.copyDirectory(dir, copy);
        ReplayTesting.copyDirectory(dir, childCopy);
        final String hash;
        final String json;
        try (Database db = Database.open(dir))
        {
            hash = db.replayHash(run);
            json = db.replayRun(run).toJsonText();
        }
        try (Database db = Database.open(copy))
        {
            assertEquals(hash, db.replayHash(run));
            assertEquals(json, db.replayRun(run).toJsonText());
        }
        final List<String> lines = runChild(List.of("-Duser.timezone=Pacific/Kiritimati", "-Duser.language=tr",
            "-Duser.country=TR", "-Dfile.encoding=ISO-8859-1"), "hash", childCopy, run);
        assertEquals(List.of("HASH " + hash, "JSON " + sha256(json)), lines);
    }

    @Test
    void p2ShouldLeaveEveryFileAndCounterUnchangedWhenReplayingDiffingHashingAndVerifying()
    {
        final RunId a = ReplayTesting.run(1);
        final RunId b = ReplayTesting.run(2);
        try (Database db = open(dir, DurabilityMode.STRICT, 2))
        {
            db.beginRun(a);
            db.beginRun(b);
            ReplayTesting.writeMixed(db, a, 5, "a");
            db.snapshot();
            ReplayTesting.writeMixed(db, b, 5, "b");
            db.endRun(a);
            final Map<String, String> before = ReplayTesting.fingerprint(dir);
            final long appends = db.stats().appends();
            final String stateHash = db.stateHash();

            assertTrue(db.replayRun(a).changeCount() > 0);
            db.replayRun(b, AsOf.changes(3));
            db.replayRun(b, AsOf.position(1));
            assertFalse(db.diffRuns(a, b).isEmpty());
            db.replayHash(b);
            assertTrue(db.verifyReplay(a).matches());
            db.verifyReplay(b);

            assertEquals(before, ReplayTesting.fingerprint(dir), "replay changed a file");
            assertEquals(appends, db.stats().appends(), "replay appended to the log");
            assertEquals(stateHash, db.stateHash(), "replay changed the live state");
        }
    }

    @Test
    void p3p4ShouldNeitherPersistNorShowTheViewWhenTheDatabaseIsReadAndReopened()
    {
        final RunId run = ReplayTesting.run(1);
        final String stateHash;
        final List<Path> filesBefore;
        try (Database db = open(dir, DurabilityMode.STRICT, 2))
        {
            db.beginRun(run);
            db.kv().put(run, "k", Value.of("first"));
            db.kv().put(run, "k", Value.of("second"));
            db.kv().put(run, "gone", Value.of(1L));
            db.kv().delete(run, "gone");
            filesBefore = files(dir);
            final ReadOnlyView asOf = db.replayRun(run, AsOf.changes(3));
            assertEquals(Value.of("second"), asOf.kv().get("k").orElseThrow());
            assertEquals(Value.of(1L), asOf.kv().get("gone").orElseThrow());
            assertTrue(db.kv().get(run, "gone").isEmpty(), "the as-of view leaked into the live store");
            assertEquals(List.of("k"), db.kv().list(run, null));
            assertEquals(filesBefore, files(dir), "replay created or removed a file");
            stateHash = db.stateHash();
        }
        try (Database db = open(dir, DurabilityMode.STRICT, 2))
        {
            assertEquals(stateHash, db.stateHash(), "a replay left a trace in the recovered state");
            assertTrue(db.kv().get(run, "gone").isEmpty());
            assertEquals(Value.of("second"), db.kv().get(run, "k").orElseThrow());
        }
    }

    @Test
    void p5ShouldGiveTheSameViewWhenReopenedAfterSnapshotsReclaimedTheRunsLog() throws Exception
    {
        final RunId run = ReplayTesting.run(1);
        final RunId ended = ReplayTesting.run(2);
        final RunId filler = ReplayTesting.run(3);
        final String json;
        final long changeCount;
        final String endedJson;
        final String tailHash;
        final String tailJson;
        try (Database db = open(dir, DurabilityMode.BUFFERED, 1))
        {
            db.beginRun(run);
            db.beginRun(ended);
            db.beginRun(filler);
            ReplayTesting.writeMixed(db, ended, 40, "ended");
            db.endRun(ended);
            ReplayTesting.writeMixed(db, run, 300, "p5");
            final String hash = db.replayHash(run);
            final ReadOnlyView view = db.replayRun(run);
            json = view.toJsonText();
            changeCount = view.changeCount();
            endedJson = db.replayRun(ended).toJsonText();
            assertTrue(segments(dir).size() >= 3, () -> "expected several segments: " + segments(dir));
            final Path first = dir.resolve(segments(dir).get(0));
            db.snapshot();
            ReplayTesting.writeMixed(db, filler, 2, "filler");
            db.snapshot();
            db.flush();
            waitUntil(() -> !Files.exists(first));
            assertFalse(Files.exists(first), "the first segment was not reclaimed");
            assertEquals(hash, db.replayHash(run), "history from the snapshot alone");
            assertEquals(json, db.replayRun(run).toJsonText());
            ReplayTesting.writeMixed(db, run, 2, "tail");
            tailHash = db.replayHash(run);
            tailJson = db.replayRun(run).toJsonText();
            assertNotEquals(hash, tailHash);
            assertEquals(json, db.replayRun(run, AsOf.changes(changeCount)).toJsonText());
            assertEquals(endedJson, db.replayRun(ended).toJsonText());
            assertTrue(db.verifyReplay(ended).matches());
        }
        try (Database db = open(dir, DurabilityMode.BUFFERED, 1))
        {
            assertEquals(tailHash, db.replayHash(run), "history from the snapshot and the log after it");
            assertEquals(tailJson, db.replayRun(run).toJsonText());
            assertEquals(json, db.replayRun(run, AsOf.changes(changeCount)).toJsonText());
            assertEquals(endedJson, db.replayRun(ended).toJsonText());
            assertTrue(db.verifyReplay(ended).matches());
        }
    }

    @Test
    void p6ShouldGiveIdenticalViewsWithoutDisturbingWritersWhenReplayedFromManyThreads() throws Exception
    {
        final RunId fixed = ReplayTesting.run(1);
        try (Database db = open(dir, DurabilityMode.BUFFERED, 1))
        {
            db.beginRun(fixed);
            ReplayTesting.writeMixed(db, fixed, 20, "fixed");
            db.endRun(fixed);
            final String reference = db.replayRun(fixed).toJsonText();
            final String referenceHash = db.replayHash(fixed);
            final int writerCount = 2;
            final int commitsPerWriter = 400;
            final CountDownLatch start = new CountDownLatch(1);
            final AtomicBoolean writing = new AtomicBoolean(true);
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<String> views = new ConcurrentLinkedQueue<>();
            final List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writerCount; w++)
            {
                final RunId run = ReplayTesting.run(10 + w);
                db.beginRun(run);
                threads.add(new Thread(() -> guard(failures, () ->
                {
                    start.await();
                    for (int i = 0; i < commitsPerWriter; i++)
                    {
                        db.kv().put(run, "key" + i, Value.of((long)i));
                    }
                    db.endRun(run);
                })));
            }
            for (int r = 0; r < 3; r++)
            {
                threads.add(new Thread(() -> guard(failures, () ->
                {
                    start.await();
                    while (writing.get())
                    {
                        views.add(db.replayRun(fixed).toJsonText());
                        views.add(db.replayHash(fixed));
                    }
                })));
            }
            threads.add(new Thread(() -> guard(failures, () ->
            {
                start.await();
                while (writing.get())
                {
                    db.snapshot();
                    Thread.sleep(20);
                }
            })));
            threads.forEach(Thread::start);
            start.countDown();
            for (int w = 0; w < writerCount; w++)
            {
                threads.get(w).join(TimeUnit.SECONDS.toMillis(120));
            }
            writing.set(false);
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(120));
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertTrue(views.size() >= 6, "the replayers did not run");
            for (final String view : views)
            {
                assertTrue(view.equals(reference) || view.equals(referenceHash), "a replay differed");
            }
            for (int w = 0; w < writerCount; w++)
            {
                final RunId run = ReplayTesting.run(10 + w);
                assertEquals(commitsPerWriter, db.kv().list(run, null).size());
                assertEquals(Value.of(commitsPerWriter - 1L), db.kv().get(run, "key" + (commitsPerWriter - 1))
                    .orElseThrow());
                assertEquals(commitsPerWriter, db.replayRun(run).changeCount());
                assertTrue(db.verifyReplay(run).matches());
            }
        }
    }

    /** An action that may throw, for the worker threads. */
    private interface Action
    {
        void run() throws Exception;
    }

    private static void guard(final ConcurrentLinkedQueue<Throwable> failures, final Action action)
    {
        try
        {
            action.run();
        }
        catch (final Throwable ex)
        {
            failures.add(ex);
        }
    }

    static List<String> runChild(final List<String> jvmOptions, final String mode, final Path directory,
        final RunId run) throws IOException, InterruptedException
    {
        final Process process = startChild(jvmOptions, mode, directory, run);
        final List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lines.add(line);
            }
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child did not exit");
        assertEquals(0, process.exitValue(), () -> "child failed: " + lines);
        return lines;
    }

    static Process startChild(final List<String> jvmOptions, final String mode, final Path directory,
        final RunId run) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ReplayChild.class.getName());
        command.add(mode);
        command.add(directory.toString());
        command.add(run.uuid().toString());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static String sha256(final String text) throws NoSuchAlgorithmException
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
            StandardCharsets.UTF_8)));
    }

    private static List<Path> files(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(Path::getFileName).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static List<String> segments(final Path directory)
    {
        return files(directory).stream().map(Path::toString).filter(n -> n.endsWith(".wal")).toList();
    }

    private static void waitUntil(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
    }
}
