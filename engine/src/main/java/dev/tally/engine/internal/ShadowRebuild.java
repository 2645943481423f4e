/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.HistoryFrame;
import dev.tally.primitives.Builtins;
import dev.tally.primitives.LoadablePrimitive;
import dev.tally.recovery.RebuildTarget;
import dev.tally.replay.FrameApplier;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.Snapshot;
import dev.tally.snapshot.SnapshotFile;
import dev.tally.snapshot.SnapshotReader;
import dev.tally.wal.WalFrame;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * What a snapshot rebuilds at its position, in fresh instances beside the live state: the built-in primitives and
 * every run's history. Its base is an earlier snapshot with its history file; each frame after it goes to the
 * primitives and to the history. Confined to the snapshot thread.
 */
final class ShadowRebuild implements RebuildTarget
{
    private final Path directory;
    private final UUID databaseId;
    private final IntPredicate knownFrameTypes;
    private List<LoadablePrimitive> primitives;
    private FrameApplier applier;
    private HistoryFile.Builder history;

    /**
     * An empty shadow; the snapshot thread.
     *
     * @param directory       the database directory.
     * @param databaseId      the database id.
     * @param knownFrameTypes the frame type codes the live engine accepts, extensions' included.
     */
    ShadowRebuild(final Path directory, final UUID databaseId, final IntPredicate knownFrameTypes)
    {
        this.directory = directory;
        this.databaseId = databaseId;
        this.knownFrameTypes = knownFrameTypes;
        reset();
    }

    /** The rebuilt built-in primitives, in type id order. */
    List<LoadablePrimitive> primitives()
    {
        return primitives;
    }

    /** Every run's frames before the rebuilt position. */
    HistoryFile.Builder history()
    {
        return history;
    }

    /** {@inheritDoc} The primitives collect entries until {@link #endLog()}. */
    @Override
    public void beginLog()
    {
        primitives.forEach(LoadablePrimitive::beginBulkLoad);
    }

    /** {@inheritDoc} The primitives are readable again. */
    @Override
    public void endLog()
    {
        primitives.forEach(LoadablePrimitive::endBulkLoad);
    }

    /** {@inheritDoc} */
    @Override
    public void reset()
    {
        primitives = Builtins.fresh();
        applier = new FrameApplier(primitives);
        history = new HistoryFile.Builder();
    }

    /** {@inheritDoc} The snapshot's built-in sections, and the history file of the same position. */
    @Override
    public void loadBase(final SnapshotFile file)
    {
        final Snapshot base = SnapshotReader.read(file.path(), databaseId);
        for (final LoadablePrimitive primitive : primitives)
        {
            final byte[] section = base.section(primitive.primitiveTypeId());
            if (section != null)
            {
                primitive.snapshotDeserialize(section);
            }
        }
        history.load(HistoryFile.read(HistoryFile.path(directory, file.walPosition()), databaseId));
    }

    /** {@inheritDoc} */
    @Override
    public boolean isKnownFrameType(final int typeCode)
    {
        return knownFrameTypes.test(typeCode);
    }

    /** {@inheritDoc} Every entry goes to the history; the built-in ones also to their primitive. */
    @Override
    public void applyFrame(final WalFrame frame)
    {
        final HistoryFrame decoded = HistoryFrame.decode(frame.position(), frame.txId(), frame.typeCode(),
            frame.payloadBytes());
        applier.apply(frame.runId(), decoded, Long.MAX_VALUE);
        history.append(frame.runId(), decoded);
    }
}
