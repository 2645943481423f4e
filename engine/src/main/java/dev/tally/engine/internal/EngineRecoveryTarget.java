/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.primitives.LoadablePrimitive;
import dev.tally.recovery.RecoveryTarget;
import dev.tally.snapshot.HistoryFile;
import dev.tally.snapshot.SectionAccess;
import dev.tally.snapshot.SectionBytes;
import dev.tally.wal.WalFrame;

import java.util.HashMap;
import java.util.Map;

/**
 * Recovery's view of a set of registered primitives: loads snapshot sections through each primitive's
 * {@link LoadablePrimitive} view and applies frames through {@link Engine#applyFrame}. The empty state of every
 * primitive is captured at construction, so {@link #reset()} can undo a snapshot that failed half-way. Recovering
 * thread only.
 *
 * <p>Design note: the run history lives in its own {@code .hist} file ({@link HistoryFile}), which recovery never
 * reads; a snapshot holding a HISTORY section is not one this engine wrote and is rejected like any file with a
 * section no primitive owns. The live engine keeps no history in memory in file modes; replay reads it when asked.
 */
public final class EngineRecoveryTarget implements RecoveryTarget
{
    private final Engine engine;
    private final Map<Integer, byte[]> emptySections = new HashMap<>();

    /**
     * Captures the empty state of the engine's primitives; call before anything is loaded.
     *
     * @param engine the engine, with its primitives registered and empty.
     */
    public EngineRecoveryTarget(final Engine engine)
    {
        this.engine = engine;
        for (final PrimitiveStorageExt ext : engine.registry().ordered())
        {
            emptySections.put(ext.primitiveTypeId(), ext.snapshotSerialize());
        }
    }

    /** {@inheritDoc} */
    @Override
    public void reset()
    {
        for (final PrimitiveStorageExt ext : engine.registry().ordered())
        {
            ext.snapshotDeserialize(emptySections.get(ext.primitiveTypeId()));
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasPrimitive(final int typeId)
    {
        return engine.registry().byTypeId(typeId) != null;
    }

    /** {@inheritDoc} */
    @Override
    public void loadSection(final int typeId, final byte[] data)
    {
        final PrimitiveStorageExt ext = engine.registry().byTypeId(typeId);
        if (ext == null)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "no primitive for section: typeId=" + typeId);
        }
        ext.snapshotDeserialize(data);
    }

    /**
     * {@inheritDoc} Each primitive reads its section as it is taken ({@link LoadablePrimitive#snapshotDeserialize(
     * SectionBytes)}), in place when the database reads snapshots in place.
     */
    @Override
    public void loadSection(final int typeId, final SectionBytes section)
    {
        final LoadablePrimitive primitive = engine.registry().loadable(typeId);
        if (primitive == null)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "no primitive for section: typeId=" + typeId);
        }
        primitive.snapshotDeserialize(section);
    }

    /** {@inheritDoc} As the database was configured. */
    @Override
    public SectionAccess sectionAccess()
    {
        return engine.config().snapshotAccess();
    }

    /** {@inheritDoc} */
    @Override
    public boolean isKnownFrameType(final int typeCode)
    {
        return engine.registry().isKnownFrameType(typeCode);
    }

    /** {@inheritDoc} */
    @Override
    public int applyFrame(final WalFrame frame)
    {
        engine.applyFrame(frame.typeCode(), frame.txId(), frame.runId(), frame.position(), frame.payloadBytes());
        return 1;
    }
}
