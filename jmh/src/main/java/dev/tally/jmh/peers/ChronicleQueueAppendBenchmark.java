/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.peers;

import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.posix.MSyncFlag;
import net.openhft.posix.PosixAPI;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The peer for Tally's event append: one Chronicle Queue excerpt holding the {@link Workload}'s 100-byte record per
 * call, written through {@code writingDocument()} on a binary queue with the default roll cycle and block size.
 * <ul>
 *   <li>{@code RAW}: the append alone, left in the page cache: the peer of Tally's Buffered append.</li>
 *   <li>{@code SYNC}: the append, then a synchronous msync of the pages holding the excerpt's header and record,
 *   through Chronicle's own posix binding: one durable excerpt per call, the peer of Strict.</li>
 * </ul>
 * Design note: {@code SYNC} does its own msync because the queue's built-in one does not force in this version.
 * {@code syncMode(SyncMode.SYNC)} with {@code appender.sync()} reaches {@code MappedBytesStore.syncUpTo}, which
 * records the end of each sync unrounded and starts the next msync there; the address is then not page-aligned, the
 * kernel answers EINVAL, and the return code is dropped, so after the first call nothing is forced. It stays
 * reachable as {@code -p mode=QUEUE_SYNC} to show that, and is not a peer figure. The queue's index and header pages
 * are left to the page cache in both forcing modes, as a queue that recovers by scanning its tail allows.
 * <p>
 * One caller thread: an appender belongs to its thread. Chronicle needs the module flags below on Java 17; it is a
 * peer in this module only, never on the runtime path.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Ddisable.resource.warning=true"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class ChronicleQueueAppendBenchmark
{
    /** Append only. */
    public static final String RAW = "RAW";
    /** Append, then msync the excerpt's pages. */
    public static final String SYNC = "SYNC";
    /** Append, then the queue's own {@code sync()} under {@code SyncMode.SYNC}: forces nothing, see the note. */
    public static final String QUEUE_SYNC = "QUEUE_SYNC";
    private static final long PAGE_LENGTH = 4096;
    private static final int HEADER_LENGTH = 4;

    /** {@link #RAW} or {@link #SYNC}; {@link #QUEUE_SYNC} on request. */
    @Param({RAW, SYNC})
    public String mode;

    private Path root;
    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private PosixAPI posix;
    private byte[] record;
    private boolean msyncEachAppend;
    private boolean queueSyncEachAppend;

    /** Builds a fresh queue in a temp dir and takes this thread's appender. */
    @Setup(Level.Trial)
    public void setUp()
    {
        msyncEachAppend = SYNC.equals(mode);
        queueSyncEachAppend = QUEUE_SYNC.equals(mode);
        if (!msyncEachAppend && !queueSyncEachAppend && !RAW.equals(mode))
        {
            throw new IllegalArgumentException("unknown mode: mode=" + mode);
        }
        root = TempDirectories.create("tally-peer-chronicle-queue");
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(root.resolve("queue"));
        if (queueSyncEachAppend)
        {
            builder.syncMode(SyncMode.SYNC);
        }
        queue = builder.build();
        appender = queue.acquireAppender();
        posix = PosixAPI.posix();
        record = Workload.record();
    }

    /** Closes the appender and the queue, then deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        appender.close();
        queue.close();
        queue = null;
        TempDirectories.delete(root);
    }

    /**
     * One caller thread appends one excerpt, and in the forcing modes makes it durable.
     *
     * @param bh the sink for the record's address.
     */
    @Benchmark
    public void append(final Blackhole bh)
    {
        final long address;
        try (DocumentContext document = appender.writingDocument())
        {
            final Bytes<?> bytes = document.wire().bytes();
            final long start = bytes.writePosition();
            bytes.write(record);
            address = bytes.addressForWrite(start);
        }
        if (msyncEachAppend)
        {
            msync(address);
        }
        else if (queueSyncEachAppend)
        {
            appender.sync();
        }
        bh.consume(address);
    }

    /** Forces the pages from the excerpt's header to the end of its record; the header is written on close. */
    private void msync(final long recordAddress)
    {
        final long page = (recordAddress - HEADER_LENGTH) & -PAGE_LENGTH;
        final int rc = posix.msync(page, recordAddress + record.length - page, MSyncFlag.MS_SYNC);
        if (rc != 0)
        {
            throw new IllegalStateException("msync failed: rc=" + rc);
        }
    }
}
