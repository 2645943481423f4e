/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.snapshot.SnapshotOutput;
import dev.tally.snapshot.SnapshotStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: under a write load that fills the byte trigger faster than a snapshot completes, the automatic snapshots do
 * not run back to back: after each one the triggers rest three times as long as it took. Method: a snapshot storage
 * whose force of a snapshot file takes 500 ms (a slow disk), a writer that never stops, and the trigger thread's
 * own clock readings at the creation and the rename of each snapshot file; without the rest the next creation
 * follows the rename within one poll of the triggers (100 ms). Deterministic; no seed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotTriggerRestTest
{
    private static final long SLOW_FORCE_MS = 500;
    private static final int SNAPSHOTS = 2;
    private static final long PUT_PAUSE_NS = TimeUnit.MICROSECONDS.toNanos(50);

    @TempDir
    Path dir;

    @Test
    void shouldRestThreeTimesASnapshotsDurationWhenTheByteTriggerIsAlwaysDue() throws Exception
    {
        final SlowSnapshots storage = new SlowSnapshots();
        final RunId run = RunId.of(18, 3);
        final AtomicBoolean stop = new AtomicBoolean();
        try (Database db = Database.builder().directory(dir.resolve("db")).durability(DurabilityMode.BUFFERED)
            .snapshots(new SnapshotConfig(4096, 0, false, 10)).snapshotStorage(storage).open())
        {
            db.beginRun(run);
            final Thread writer = new Thread(() ->
            {
                // Paced: the byte trigger is due again within milliseconds, yet the log a rebuild reads stays short, so
                // a snapshot's duration is its slow force and not a scan that grows with each snapshot.
                for (long i = 0; !stop.get(); i++)
                {
                    db.kv().put(run, "k" + (i % 10_000), Value.of(new byte[100]));
                    LockSupport.parkNanos(PUT_PAUSE_NS);
                }
            }, "test-writer");
            writer.start();
            try
            {
                storage.awaitRenamed(SNAPSHOTS + 1);
            }
            finally
            {
                stop.set(true);
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        final List<long[]> windows = storage.windows();
        assertTrue(windows.size() >= SNAPSHOTS + 1, "snapshots written: " + windows.size());
        for (int i = 0; i < SNAPSHOTS; i++)
        {
            final long written = windows.get(i)[1] - windows.get(i)[0];
            final long rest = windows.get(i + 1)[0] - windows.get(i)[1];
            assertTrue(written >= TimeUnit.MILLISECONDS.toNanos(SLOW_FORCE_MS), "the slow force: " + written);
            assertTrue(rest >= 3 * written, "snapshot " + (i + 1) + " began " + TimeUnit.NANOSECONDS.toMillis(rest)
                + " ms after the previous one, which took at least " + TimeUnit.NANOSECONDS.toMillis(written) + " ms");
        }
    }

    /** The file system, with a slow force for snapshot files, recording when each one is created and renamed. */
    private static final class SlowSnapshots implements SnapshotStorage
    {
        private final SnapshotStorage files = SnapshotStorage.files();
        private final List<long[]> windows = new ArrayList<>();

        @Override
        public SnapshotOutput create(final Path file) throws IOException
        {
            final boolean snapshot = file.getFileName().toString().endsWith(".snap.tmp");
            if (snapshot)
            {
                synchronized (windows)
                {
                    windows.add(new long[] {System.nanoTime(), 0});
                }
            }
            final SnapshotOutput output = files.create(file);
            return new SnapshotOutput()
            {
                @Override
                public void write(final ByteBuffer source) throws IOException
                {
                    output.write(source);
                }

                @Override
                public void force() throws IOException
                {
                    output.force();
                    if (snapshot)
                    {
                        sleep();
                    }
                }

                @Override
                public void close() throws IOException
                {
                    output.close();
                }
            };
        }

        @Override
        public void moveAtomically(final Path source, final Path target) throws IOException
        {
            files.moveAtomically(source, target);
            if (target.getFileName().toString().endsWith(".snap"))
            {
                synchronized (windows)
                {
                    windows.get(windows.size() - 1)[1] = System.nanoTime();
                    windows.notifyAll();
                }
            }
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

        void awaitRenamed(final int count) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (windows)
            {
                while (windows.stream().filter(w -> w[1] != 0).count() < count && System.nanoTime() < deadline)
                {
                    windows.wait(100);
                }
            }
        }

        List<long[]> windows()
        {
            synchronized (windows)
            {
                return new ArrayList<>(windows);
            }
        }

        private static void sleep() throws IOException
        {
            try
            {
                Thread.sleep(SLOW_FORCE_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
        }
    }
}
