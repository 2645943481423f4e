/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh.wal;

import dev.tally.jmh.TempDirectories;
import dev.tally.jmh.Workload;
import dev.tally.core.Unmapper;
import dev.tally.wal.internal.NativeSpace;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Floors for the append path: what the hardware and the JDK give with no engine at all. Every floor writes a
 * 160-byte slot (a 100-byte record, its CRC32, length and position, padded like a WAL frame of the same record) into
 * a 64 MiB preallocated file and wraps around at its end, so no floor pays for growing or creating files.
 * <ul>
 *   <li>{@link #mmapCrc}: put and CRC32 into a {@link MappedByteBuffer}, never forced.</li>
 *   <li>{@link #channelWriteForce}: {@link FileChannel#write(ByteBuffer, long)} then {@code force(false)}.</li>
 *   <li>{@link #mmapForce}: put and CRC32, then {@link MappedByteBuffer#force(int, int)} of the slot.</li>
 * </ul>
 * The three floors above wrap around one file, so after the first pass they write to pages the kernel already holds
 * mapped and dirty: they never pay for new pages. A log never wraps. {@link #mmapCrcStreaming} is the same put and
 * CRC32 written through a fresh 64 MiB file after another, each created sparse (no preallocation at all, which the
 * WAL cannot afford), mapped, filled, then unmapped and deleted: what streaming new pages costs on this machine, with
 * nothing of the engine's safety.
 * <p>
 * Every method runs on a zero-filled file ({@code file=ZEROS}, how a WAL segment is preallocated today) and on a
 * sparse one ({@code file=SPARSE}, blocks allocated as the records reach the disk), since a force costs more on the
 * first: these are the floors of the side-by-side set with the peers in {@code dev.tally.jmh.peers}.
 * {@link #mmapCrcStreaming} makes its own sparse files and does not depend on the parameter. Two more methods are
 * experiments on the force pattern rather than floors: a header slot plus the record made durable by two msyncs, or by
 * one msync spanning both.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class FloorBenchmark
{
    /** Bytes per record slot: a 56-byte frame header plus 100 bytes, aligned to 8, as in the WAL. */
    public static final int SLOT_LENGTH = 160;
    /** File length. */
    public static final int FILE_LENGTH = 64 << 20;
    private static final int FIRST_SLOT = 64;
    private static final int HEADER_SLOT = 56;

    /** How the file is prepared: written with zeros (like a WAL segment today) by default. */
    public static final String FILE_ZEROS = "ZEROS";
    /** A sparse file: only its last byte written; blocks are allocated as the records reach the disk. */
    public static final String FILE_SPARSE = "SPARSE";

    /**
     * A file whose blocks are reserved with {@code posix_fallocate} (allocated, unwritten extents), as the WAL reserves
     * its segments: the floor of a Strict force on the WAL's own kind of file. Run on request ({@code -p
     * file=FALLOCATED}); where the call is not available, the set-up fails rather than measuring another kind.
     */
    public static final String FILE_FALLOCATED = "FALLOCATED";

    /** {@link #FILE_ZEROS}, {@link #FILE_SPARSE} or {@link #FILE_FALLOCATED}; the first two by default. */
    @Param({FILE_ZEROS, FILE_SPARSE})
    public String file;

    private Path root;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private ByteBuffer slot;
    private byte[] record;
    private final CRC32 crc = new CRC32();
    private int offset = FIRST_SLOT;
    private Path streamFile;
    private MappedByteBuffer streamMapped;
    private int streamOffset = FILE_LENGTH;
    private long streamCount;

    /**
     * Creates the temp dir and a zero-filled (or sparse), forced file, then maps it.
     *
     * @throws IOException when the file cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        root = TempDirectories.create("tally-floor");
        final Path path = root.resolve("floor.dat");
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        if (FILE_FALLOCATED.equals(file))
        {
            if (!NativeSpace.reserve(path, FILE_LENGTH))
            {
                throw new IllegalStateException("posix_fallocate is not available here: no FALLOCATED floor");
            }
        }
        else if (FILE_SPARSE.equals(file))
        {
            channel.write(ByteBuffer.allocate(1), FILE_LENGTH - 1);
        }
        else
        {
            final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long position = 0; position < FILE_LENGTH; position += zeros.capacity())
            {
                zeros.clear();
                while (zeros.hasRemaining())
                {
                    channel.write(zeros, position + zeros.position());
                }
            }
        }
        channel.force(true);
        mapped = Unmapper.map(channel, FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH);
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        record = Workload.record();
        slot = ByteBuffer.allocateDirect(SLOT_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Closes the file and deletes the temp dir.
     *
     * @throws IOException when the file cannot be closed.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        channel.close();
        Unmapper.unmap(mapped);
        mapped = null;
        Unmapper.unmap(streamMapped);
        streamMapped = null;
        TempDirectories.delete(root);
    }

    /**
     * (a) Put plus CRC32 into the mapping; no force.
     *
     * @param bh the sink for the slot offset.
     */
    @Benchmark
    public void mmapCrc(final Blackhole bh)
    {
        bh.consume(putMapped());
    }

    /**
     * (b) Positional channel write of the slot, then {@code force(false)}: one durable record per call.
     *
     * @param bh the sink for the slot offset.
     * @throws IOException when the write or the force fails.
     */
    @Benchmark
    public void channelWriteForce(final Blackhole bh) throws IOException
    {
        final int at = nextOffset();
        crc.reset();
        crc.update(record, 0, record.length);
        slot.clear();
        slot.putInt(0, 56 + record.length);
        slot.putInt(4, (int)crc.getValue());
        slot.putLong(8, at);
        slot.position(56);
        slot.put(record);
        slot.clear();
        while (slot.hasRemaining())
        {
            channel.write(slot, at + slot.position());
        }
        channel.force(false);
        bh.consume(at);
    }

    /**
     * (c) Put plus CRC32 into the mapping, then force the slot's range: one durable record per call.
     *
     * @param bh the sink for the slot offset.
     */
    @Benchmark
    public void mmapForce(final Blackhole bh)
    {
        final int at = putMapped();
        mapped.force(at, SLOT_LENGTH);
        bh.consume(at);
    }

    /**
     * Not a floor, an experiment: what the WAL's force does per batch, as separate msyncs: the slot, then the header
     * page where a durable-position slot was rewritten (two device flushes).
     *
     * @param bh the sink for the slot offset.
     */
    @Benchmark
    public void mmapForceSlotThenHeader(final Blackhole bh)
    {
        final int at = putMapped();
        mapped.putLong(HEADER_SLOT, at);
        mapped.force(at, SLOT_LENGTH);
        mapped.force(0, FIRST_SLOT);
        bh.consume(at);
    }

    /**
     * Not a floor, an experiment: the same two dirty pages made durable by one msync spanning from the header to the
     * slot's end (the pages in between are clean).
     *
     * @param bh the sink for the slot offset.
     */
    @Benchmark
    public void mmapForceSpan(final Blackhole bh)
    {
        final int at = putMapped();
        mapped.putLong(HEADER_SLOT, at);
        mapped.force(0, at + SLOT_LENGTH);
        bh.consume(at);
    }

    /**
     * (a') Put plus CRC32 into fresh sparse files, one after another, never forced; the file is switched (unmapped,
     * deleted, the next one created and mapped) inside the timed loop.
     *
     * @param bh the sink for the slot offset.
     * @throws IOException when a file cannot be created or deleted.
     */
    @Benchmark
    public void mmapCrcStreaming(final Blackhole bh) throws IOException
    {
        if (streamOffset + SLOT_LENGTH > FILE_LENGTH)
        {
            nextStreamFile();
        }
        final int at = streamOffset;
        streamOffset = at + SLOT_LENGTH;
        putSlot(streamMapped, at);
        bh.consume(at);
    }

    private void nextStreamFile() throws IOException
    {
        if (streamMapped != null)
        {
            Unmapper.unmap(streamMapped);
            streamMapped = null;
            Files.delete(streamFile);
        }
        streamFile = root.resolve("stream-" + streamCount++ + ".dat");
        try (FileChannel stream = FileChannel.open(streamFile, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            stream.write(ByteBuffer.allocate(1), FILE_LENGTH - 1);
            streamMapped = Unmapper.map(stream, FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH);
        }
        streamMapped.order(ByteOrder.LITTLE_ENDIAN);
        streamOffset = FIRST_SLOT;
    }

    private int putMapped()
    {
        final int at = nextOffset();
        putSlot(mapped, at);
        return at;
    }

    /** Writes one slot: the record, its position and CRC32, then its length last. */
    private void putSlot(final MappedByteBuffer target, final int at)
    {
        crc.reset();
        crc.update(record, 0, record.length);
        target.put(at + 56, record);
        target.putLong(at + 8, at);
        target.putInt(at + 4, (int)crc.getValue());
        target.putInt(at, 56 + record.length);
    }

    private int nextOffset()
    {
        final int at = offset;
        offset = at + SLOT_LENGTH > FILE_LENGTH - SLOT_LENGTH ? FIRST_SLOT : at + SLOT_LENGTH;
        return at;
    }
}
