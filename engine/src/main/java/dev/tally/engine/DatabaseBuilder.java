/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Clock;
import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;
import dev.tally.core.IdGenerator;
import dev.tally.core.Key;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.engine.internal.EngineConfig;
import dev.tally.pipeline.LogWriter;
import dev.tally.pipeline.WriterObserver;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.snapshot.SectionAccess;
import dev.tally.snapshot.SnapshotStorage;
import dev.tally.wal.SegmentForcer;
import dev.tally.wal.SegmentStorage;
import dev.tally.wal.WalOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Configures and opens a {@link Database}. Fluent setters record values; {@link #open()} validates them all once and
 * throws {@link ConfigurationException} before touching any file. Used by one thread.
 */
public final class DatabaseBuilder
{
    /** Default Buffered flush interval. */
    public static final long FLUSH_INTERVAL_MS_DEFAULT = 100;
    /** Default WAL segment length: the log's own, 8 MiB ({@link WalOptions#SEGMENT_LENGTH_DEFAULT} says why). */
    public static final int SEGMENT_LENGTH_DEFAULT = WalOptions.SEGMENT_LENGTH_DEFAULT;
    /** Default writer ring capacity. */
    public static final int RING_SIZE_DEFAULT = 4096;
    /** Default longest key, in encoded bytes. */
    public static final int KEY_LENGTH_MAX_DEFAULT = Key.LENGTH_MAX;
    /** Default longest value, in encoded bytes: 1 MiB. */
    public static final int VALUE_LENGTH_MAX_DEFAULT = 1 << 20;

    private Path directory;
    private DurabilityMode mode = DurabilityMode.STRICT;
    private long flushIntervalMs = FLUSH_INTERVAL_MS_DEFAULT;
    private int segmentLength = SEGMENT_LENGTH_DEFAULT;
    private int ringSize = RING_SIZE_DEFAULT;
    private int keyLengthMax = KEY_LENGTH_MAX_DEFAULT;
    private int valueLengthMax = VALUE_LENGTH_MAX_DEFAULT;
    private boolean valueLengthMaxSet;
    private Clock clock = Clock.system();
    private IdGenerator ids = IdGenerator.random();
    private final List<PrimitiveStorageExt> extensions = new ArrayList<>();
    private UnaryOperator<LogWriter> logWriterWrapper;
    private RecoveryPolicy recoveryPolicy = RecoveryPolicy.STRICT_CONSISTENCY;
    private SnapshotConfig snapshots = SnapshotConfig.DEFAULT;
    private SegmentStorage segmentStorage = SegmentStorage.files();
    private SegmentForcer segmentForcer = SegmentForcer.mapped();
    private SnapshotStorage snapshotStorage = SnapshotStorage.files();
    private SectionAccess snapshotAccess = SectionAccess.IN_PLACE;
    private WriterObserver writerObserver;

    DatabaseBuilder()
    {
    }

    /**
     * The database directory, created if absent; required unless the mode is InMemory.
     *
     * @param directory the directory.
     * @return this.
     */
    public DatabaseBuilder directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * The durability mode; Strict by default.
     *
     * @param mode the mode.
     * @return this.
     */
    public DatabaseBuilder durability(final DurabilityMode mode)
    {
        this.mode = mode;
        return this;
    }

    /**
     * The Buffered flush interval; 100 ms by default.
     *
     * @param flushIntervalMs 1 ms to 1 hour.
     * @return this.
     */
    public DatabaseBuilder flushIntervalMs(final long flushIntervalMs)
    {
        this.flushIntervalMs = flushIntervalMs;
        return this;
    }

    /**
     * The WAL segment length of a new database; 8 MiB by default ({@link #SEGMENT_LENGTH_DEFAULT}). One commit must fit
     * one segment, so a database that commits larger transactions needs longer segments. An existing database keeps
     * the length it was created with.
     *
     * @param segmentLength a power of two from 64 KiB to 1 GiB.
     * @return this.
     */
    public DatabaseBuilder segmentLength(final int segmentLength)
    {
        this.segmentLength = segmentLength;
        return this;
    }

    /**
     * The writer ring capacity; 4096 by default.
     *
     * @param ringSize a power of two from 16 to 1 Mi.
     * @return this.
     */
    public DatabaseBuilder ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    /**
     * The longest key in UTF-8 bytes; 1024 by default, which is also the most allowed.
     *
     * @param keyLengthMax 1 to 1024.
     * @return this.
     */
    public DatabaseBuilder keyLengthMax(final int keyLengthMax)
    {
        this.keyLengthMax = keyLengthMax;
        return this;
    }

    /**
     * The longest value in encoded bytes; by default 1 MiB, or a quarter of the segment length if that is less.
     *
     * @param valueLengthMax 16 bytes to 256 MiB, and less than what one segment holds.
     * @return this.
     */
    public DatabaseBuilder valueLengthMax(final int valueLengthMax)
    {
        this.valueLengthMax = valueLengthMax;
        this.valueLengthMaxSet = true;
        return this;
    }

    /**
     * The clock for recorded times; the system clock by default.
     *
     * @param clock the clock.
     * @return this.
     */
    public DatabaseBuilder clock(final Clock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * The id generator for span and transaction ids; random by default.
     *
     * @param ids the generator.
     * @return this.
     */
    public DatabaseBuilder idGenerator(final IdGenerator ids)
    {
        this.ids = ids;
        return this;
    }

    /**
     * Registers an extra primitive beside the built-in ones; see {@link PrimitiveStorageExt}.
     *
     * @param extension the primitive.
     * @return this.
     */
    public DatabaseBuilder extension(final PrimitiveStorageExt extension)
    {
        extensions.add(extension);
        return this;
    }

    /**
     * What recovery does about log damage before the durable position; {@link RecoveryPolicy#STRICT_CONSISTENCY}
     * (fail the open) by default.
     *
     * @param policy the policy.
     * @return this.
     */
    public DatabaseBuilder recoveryPolicy(final RecoveryPolicy policy)
    {
        this.recoveryPolicy = policy;
        return this;
    }

    /**
     * The automatic snapshot triggers and retention; {@link SnapshotConfig#DEFAULT} by default.
     *
     * @param config the triggers.
     * @return this.
     */
    public DatabaseBuilder snapshots(final SnapshotConfig config)
    {
        this.snapshots = config;
        return this;
    }

    /**
     * How opening takes the newest snapshot's state: {@link SectionAccess#IN_PLACE} (the default) reads the key-value
     * state in place from the snapshot file's read-only mapping, so opening reads each byte once and the state lives in
     * the page cache instead of the heap; {@link SectionAccess#COPIED} copies it onto the heap, so that no later read
     * can fault a page in from the file. Every byte is checked against the snapshot's CRC either way.
     *
     * @param access how snapshot sections are taken on open.
     * @return this.
     */
    public DatabaseBuilder snapshotAccess(final SectionAccess access)
    {
        this.snapshotAccess = access;
        return this;
    }

    /**
     * Tells an observer of each force and segment roll on the writer thread, for metrics distributions (the
     * {@code tally-micrometer} module has one); none by default, and then the writer calls nothing.
     *
     * @param observer the observer, or {@code null} for none.
     * @return this.
     */
    public DatabaseBuilder writerObserver(final WriterObserver observer)
    {
        this.writerObserver = observer;
        return this;
    }

    SnapshotConfig snapshotConfig()
    {
        return snapshots;
    }

    /**
     * Wraps the log writer, so tests can count or fail forces. Not for production use.
     *
     * @param wrapper the wrapper.
     * @return this.
     */
    public DatabaseBuilder logWriterWrapper(final UnaryOperator<LogWriter> wrapper)
    {
        this.logWriterWrapper = wrapper;
        return this;
    }

    /**
     * How WAL segment files are created, mapped and deleted; {@link SegmentStorage#files()} by default. A
     * fault-injection seam for tests (simulated power loss, full disks, crashes at a segment roll or reclaim). Not for
     * production use.
     *
     * @param storage the segment storage.
     * @return this.
     */
    public DatabaseBuilder segmentStorage(final SegmentStorage storage)
    {
        this.segmentStorage = storage;
        return this;
    }

    /**
     * How mapped WAL ranges are forced; {@link SegmentForcer#mapped()} by default. A fault-injection seam for tests
     * (failed forces, simulated power loss). Not for production use.
     *
     * @param forcer the forcer.
     * @return this.
     */
    public DatabaseBuilder segmentForcer(final SegmentForcer forcer)
    {
        this.segmentForcer = forcer;
        return this;
    }

    /**
     * How snapshot files are written, forced, renamed and their directory forced; {@link SnapshotStorage#files()} by
     * default. A fault-injection seam for tests (failed forces, full disks, crashes while a snapshot is taken). Not
     * for production use.
     *
     * @param storage the snapshot storage.
     * @return this.
     */
    public DatabaseBuilder snapshotStorage(final SnapshotStorage storage)
    {
        this.snapshotStorage = storage;
        return this;
    }

    /**
     * Validates the configuration and opens the database, recovering it from its files; any one thread.
     *
     * @return the open database.
     * @throws ConfigurationException when a value is invalid.
     */
    public Database open()
    {
        final EngineConfig config = conclude();
        return Database.open(config, snapshots);
    }

    EngineConfig conclude()
    {
        if (mode == null)
        {
            throw invalid("durability mode must not be null");
        }
        if (mode != DurabilityMode.IN_MEMORY && directory == null)
        {
            throw invalid("a directory is required unless the mode is IN_MEMORY");
        }
        if (flushIntervalMs < 1 || flushIntervalMs > 3_600_000)
        {
            throw invalid("flush interval out of range: flushIntervalMs=" + flushIntervalMs);
        }
        if (segmentLength < (64 << 10) || segmentLength > (1 << 30) || Integer.bitCount(segmentLength) != 1)
        {
            throw invalid("segment length must be a power of two from 64 KiB to 1 GiB: segmentLength="
                + segmentLength);
        }
        if (ringSize < 16 || ringSize > (1 << 20) || Integer.bitCount(ringSize) != 1)
        {
            throw invalid("ring size must be a power of two from 16 to 1 Mi: ringSize=" + ringSize);
        }
        if (keyLengthMax < 1 || keyLengthMax > Key.LENGTH_MAX)
        {
            throw invalid("key length limit out of range: keyLengthMax=" + keyLengthMax);
        }
        if (!valueLengthMaxSet)
        {
            valueLengthMax = Math.min(VALUE_LENGTH_MAX_DEFAULT, segmentLength / 4);
        }
        if (valueLengthMax < 16 || valueLengthMax > (256 << 20) || valueLengthMax > segmentLength / 2)
        {
            throw invalid("value length limit out of range: valueLengthMax=" + valueLengthMax + ", segmentLength="
                + segmentLength);
        }
        if (recoveryPolicy == null || snapshots == null || snapshotAccess == null)
        {
            throw invalid("recovery policy, snapshot config and snapshot access must not be null");
        }
        if (clock == null || ids == null)
        {
            throw invalid("clock and id generator must not be null");
        }
        if (segmentStorage == null || segmentForcer == null || snapshotStorage == null)
        {
            throw invalid("segment storage, segment forcer and snapshot storage must not be null");
        }
        return new EngineConfig(directory, mode, flushIntervalMs, segmentLength, ringSize, keyLengthMax,
            valueLengthMax, clock, ids, List.copyOf(extensions), logWriterWrapper, recoveryPolicy, segmentStorage,
            segmentForcer, snapshotStorage, snapshotAccess, writerObserver);
    }

    private static ConfigurationException invalid(final String message)
    {
        return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
