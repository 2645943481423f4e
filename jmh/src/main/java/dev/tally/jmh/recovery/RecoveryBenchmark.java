/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.recovery;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;
import dev.tally.jmh.TempDirectories;
import dev.tally.recovery.RecoveryResult;
import dev.tally.snapshot.SectionAccess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Time to open a database of {@code keys} keys (16-byte keys, 100-byte values, written in batches of 1,000 per
 * transaction, {@code writesPerKey} times over: with more than one, the log holds each key's earlier values too, as
 * the log of a database that updates its keys does) from the log alone, and from a snapshot that covers everything,
 * read in place in its mapping (the default) or copied onto the heap.
 * Each open recovers the whole state; the setup prints the log's length and the snapshot's size, so bytes per second
 * follow from the time per open:
 * <pre>
 *   log replay rate      = logBytes / openFromLog time
 *   snapshot load rate   = snapshotBytes / openFromSnapshot time
 * </pre>
 * A recovery with no damage changes no file, so every iteration opens the same files. The heap is touched at start
 * ({@code -XX:+AlwaysPreTouch}), so an open measures recovery, not the kernel zeroing pages the heap had not used yet
 * (without it, iterations of one run differed by 2x depending on which regions the collector handed out); and the
 * warmup is long enough for the compiler to have settled, as in a process that opens after serving for a while.
 * Twenty opens are measured: an open from a snapshot runs on both cores (the CRC on a helper thread), and how soon the
 * scheduler starts that thread varies from open to open by a few milliseconds.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 8)
@Measurement(iterations = 20)
@Threads(1)
@State(Scope.Benchmark)
public class RecoveryBenchmark
{
    private static final int BATCH = 1000;

    @Param({"1000000"})
    public int keys;

    @Param({"1", "4"})
    public int writesPerKey;

    private Path root;
    private Path logOnly;
    private Path withSnapshot;

    /** Writes the two databases once per trial. */
    @Setup(Level.Trial)
    public void setUp()
    {
        root = TempDirectories.create("tally-recovery");
        logOnly = root.resolve("log-only");
        withSnapshot = root.resolve("with-snapshot");
        write(logOnly, false);
        write(withSnapshot, true);
        System.out.printf(Locale.ROOT, "%nlogBytes=%d snapshotBytes=%d (keys=%d, writesPerKey=%d)%n",
            logLength(logOnly), bytes(withSnapshot, ".snap"), keys, writesPerKey);
    }

    /** Deletes the databases. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        TempDirectories.delete(root);
    }

    /**
     * Collects the previous iterations' states before each open, outside the timed call: an open happens once, at
     * process start, on a heap that holds no earlier database. Without it, the states earlier iterations promoted fill
     * the old generation and their collection lands inside a later open, which measured the collector, not recovery
     * (iterations of one run ranged from 116 ms to 583 ms).
     */
    @Setup(Level.Iteration)
    public void collectEarlierStates()
    {
        System.gc();
        awaitUnmapped();
    }

    /**
     * Waits until no earlier open's snapshot mapping is left: a state read in place keeps its snapshot mapped until the
     * collector finds it unreachable, and the mapping is then released by a cleaner thread. Unmapping 127 MB takes the
     * process's memory-map lock, which stalls the page faults of an open running at that moment, so a release landing
     * inside the next open measured the cleaner (opens took 22 ms or 35 ms by that alone). A process opening its
     * database at start has no earlier mapping to release.
     */
    private static void awaitUnmapped()
    {
        final BufferPoolMXBean mapped = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("mapped")).findFirst().orElseThrow();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // Bounded by the deadline.
        while (mapped.getMemoryUsed() > 0 && System.nanoTime() < deadline)
        {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (mapped.getMemoryUsed() > 0)
        {
            throw new IllegalStateException("earlier mappings still held: bytes=" + mapped.getMemoryUsed());
        }
    }

    /**
     * Opens from the log alone and reports what recovery applied.
     *
     * @param blackhole consumes the result.
     */
    @Benchmark
    public void openFromLog(final Blackhole blackhole)
    {
        open(logOnly, blackhole);
    }

    /**
     * Opens from the snapshot, read in place from its mapping (the default); the log after it holds no frame.
     *
     * @param blackhole consumes the result.
     */
    @Benchmark
    public void openFromSnapshot(final Blackhole blackhole)
    {
        open(withSnapshot, SectionAccess.IN_PLACE, blackhole);
    }

    /**
     * Opens from the snapshot, copied onto the heap ({@link SectionAccess#COPIED}).
     *
     * @param blackhole consumes the result.
     */
    @Benchmark
    public void openFromSnapshotCopied(final Blackhole blackhole)
    {
        open(withSnapshot, SectionAccess.COPIED, blackhole);
    }

    private static void open(final Path directory, final Blackhole blackhole)
    {
        open(directory, SectionAccess.IN_PLACE, blackhole);
    }

    private static void open(final Path directory, final SectionAccess access, final Blackhole blackhole)
    {
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.BUFFERED)
            .snapshots(SnapshotConfig.MANUAL).snapshotAccess(access).open())
        {
            final RecoveryResult result = db.lastRecoveryResult().orElseThrow();
            blackhole.consume(result.framesApplied());
        }
    }

    private void write(final Path directory, final boolean snapshot)
    {
        final SplittableRandom random = new SplittableRandom(7);
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.BUFFERED)
            .snapshots(SnapshotConfig.MANUAL).open())
        {
            final RunId run = RunId.of(1, 1);
            db.beginRun(run);
            for (int start = 0; start < keys * writesPerKey; start += BATCH)
            {
                final int from = start;
                db.transaction(run, tx ->
                {
                    for (int i = from; i < Math.min(keys * writesPerKey, from + BATCH); i++)
                    {
                        final byte[] value = new byte[100];
                        random.nextBytes(value);
                        tx.put(String.format(Locale.ROOT, "key-%012d", i % keys), Value.of(value));
                    }
                    return null;
                });
            }
            if (snapshot)
            {
                db.snapshot();
            }
        }
    }

    /** The log's length: where the next frame would go, as recovery finds it. */
    private static long logLength(final Path directory)
    {
        try (Database db = Database.builder().directory(directory).durability(DurabilityMode.BUFFERED)
            .snapshots(SnapshotConfig.MANUAL).open())
        {
            return db.lastRecoveryResult().orElseThrow().endPosition();
        }
    }

    private static long bytes(final Path directory, final String suffix)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).mapToLong(p ->
            {
                try
                {
                    return Files.size(p);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }).sum();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
