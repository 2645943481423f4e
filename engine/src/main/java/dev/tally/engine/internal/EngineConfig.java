/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.Clock;
import dev.tally.core.IdGenerator;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.engine.DurabilityMode;
import dev.tally.pipeline.LogWriter;

import java.nio.file.Path;
import java.util.List;

/**
 * The concluded configuration of one engine, built and validated by the public builder. Immutable.
 *
 * @param directory        the database directory, or {@code null} in InMemory mode.
 * @param mode             the durability mode.
 * @param flushIntervalMs  the Buffered flush interval.
 * @param segmentLength    the WAL segment length.
 * @param ringSize         the writer ring capacity.
 * @param keyLengthMax     the longest key in encoded bytes.
 * @param valueLengthMax   the longest value in encoded bytes.
 * @param clock            the clock.
 * @param ids              the id generator.
 * @param extensions       extra primitives to register.
 * @param logWriterWrapper wraps the log writer (tests count or fail forces), or {@code null}.
 * @param recoveryPolicy   what recovery does about damage before the durable position.
 * @param segmentStorage   how WAL segment files are created, mapped and deleted (a test seam).
 * @param segmentForcer    how mapped WAL ranges are forced (a test seam).
 * @param snapshotStorage  how snapshot files are written, forced and renamed (a test seam).
 * @param snapshotAccess   whether opening copies snapshot sections or reads them in place from the file's mapping.
 * @param writerObserver   told of each force and segment roll on the writer thread, or {@code null}.
 */
public record EngineConfig(
    Path directory,
    DurabilityMode mode,
    long flushIntervalMs,
    int segmentLength,
    int ringSize,
    int keyLengthMax,
    int valueLengthMax,
    Clock clock,
    IdGenerator ids,
    List<PrimitiveStorageExt> extensions,
    java.util.function.UnaryOperator<LogWriter> logWriterWrapper,
    dev.tally.recovery.RecoveryPolicy recoveryPolicy,
    dev.tally.wal.SegmentStorage segmentStorage,
    dev.tally.wal.SegmentForcer segmentForcer,
    dev.tally.snapshot.SnapshotStorage snapshotStorage,
    dev.tally.snapshot.SectionAccess snapshotAccess,
    dev.tally.pipeline.WriterObserver writerObserver)
{
}
