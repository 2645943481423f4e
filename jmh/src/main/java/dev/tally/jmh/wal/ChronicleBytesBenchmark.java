/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.wal;

import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.posix.MSyncFlag;
import net.openhft.posix.PosixAPI;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The peer: the same 160-byte slot as {@link FloorBenchmark} (100-byte record, CRC32, length, position) written with
 * Chronicle Bytes {@link MappedBytes} into a 64 MiB chunk. {@link #put} wraps around inside the chunk like
 * {@code FloorBenchmark.mmapCrc}; {@link #putMsync} then forces the slot's pages with a synchronous msync through
 * Chronicle's own posix binding, like {@code FloorBenchmark.mmapForce}.
 * <p>
 * Not {@link MappedBytes#sync()}: in this version it passes the previous sync end, which is not page-aligned, as the
 * msync address and ignores the EINVAL, so after the first call it forces nothing and returns in nanoseconds.
 * <p>
 * Chronicle Bytes needs the module flags below on Java 17; it is a peer in this module only, never on the runtime
 * path.
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
public class ChronicleBytesBenchmark
{
    private static final long CHUNK_LENGTH = FloorBenchmark.FILE_LENGTH;
    private static final long FIRST_SLOT = 64;
    private static final int SLOT_LENGTH = FloorBenchmark.SLOT_LENGTH;
    private static final long PAGE_LENGTH = 4096;

    private Path root;
    private MappedBytes bytes;
    private byte[] record;
    private final CRC32 crc = new CRC32();
    private long offset = FIRST_SLOT;
    private PosixAPI posix;

    /**
     * Creates the temp dir and maps the first chunk.
     *
     * @throws FileNotFoundException when the file cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws FileNotFoundException
    {
        root = TempDirectories.create("tally-chronicle");
        final MappedFile file = MappedFile.mappedFile(root.resolve("chronicle.dat").toFile(), CHUNK_LENGTH);
        bytes = MappedBytes.mappedBytes(file);
        record = Workload.record();
        // Touch the chunk once so that put() does not pay first-touch faults the floors do not pay either.
        for (long at = 0; at < CHUNK_LENGTH - SLOT_LENGTH; at += 4096)
        {
            bytes.writeLong(at, 0L);
        }
        bytes.writePosition(FIRST_SLOT);
        posix = PosixAPI.posix();
    }

    /** Releases the mapping and deletes the temp dir. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        bytes.releaseLast();
        bytes = null;
        TempDirectories.delete(root);
    }

    /**
     * Put plus CRC32; no sync.
     *
     * @param bh the sink for the slot offset.
     */
    @Benchmark
    public void put(final Blackhole bh)
    {
        if (offset > CHUNK_LENGTH - 2 * SLOT_LENGTH)
        {
            offset = FIRST_SLOT;
        }
        bh.consume(write());
    }

    /**
     * Put plus CRC32, then a synchronous msync of the slot's pages: one durable record per call.
     *
     * @param bh the sink for the slot offset.
     */
    @Benchmark
    public void putMsync(final Blackhole bh)
    {
        if (offset > CHUNK_LENGTH - 2 * SLOT_LENGTH)
        {
            offset = FIRST_SLOT;
        }
        final long at = write();
        final long address = bytes.addressForWrite(at);
        final long page = address & -PAGE_LENGTH;
        final int rc = posix.msync(page, address + SLOT_LENGTH - page, MSyncFlag.MS_SYNC);
        if (rc != 0)
        {
            throw new IllegalStateException("msync failed: rc=" + rc);
        }
        bh.consume(at);
    }

    private long write()
    {
        final long at = offset;
        crc.reset();
        crc.update(record, 0, record.length);
        bytes.writePosition(at);
        bytes.writeInt(56 + record.length);
        bytes.writeInt((int)crc.getValue());
        bytes.writeLong(at);
        bytes.writeSkip(56 - 16);
        bytes.write(record);
        offset = at + SLOT_LENGTH;
        return at;
    }
}
