/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.WalEntry;
import dev.tally.primitives.LoadablePrimitive;

/**
 * An extension primitive seen as {@link LoadablePrimitive}: its section is taken whole, its entries applied one by
 * one, every call forwarded unchanged. Confined to the loading thread, as the primitive is.
 */
public final class LoadableExtension implements LoadablePrimitive
{
    private final PrimitiveStorageExt ext;

    /**
     * Wraps an extension primitive; the opening thread.
     *
     * @param ext the primitive.
     */
    public LoadableExtension(final PrimitiveStorageExt ext)
    {
        this.ext = ext;
    }

    /** {@inheritDoc} */
    @Override
    public int primitiveTypeId()
    {
        return ext.primitiveTypeId();
    }

    /** {@inheritDoc} */
    @Override
    public String name()
    {
        return ext.name();
    }

    /** {@inheritDoc} */
    @Override
    public int[] walEntryTypes()
    {
        return ext.walEntryTypes();
    }

    /** {@inheritDoc} */
    @Override
    public byte[] snapshotSerialize()
    {
        return ext.snapshotSerialize();
    }

    /** {@inheritDoc} */
    @Override
    public void snapshotDeserialize(final byte[] data)
    {
        ext.snapshotDeserialize(data);
    }

    /** {@inheritDoc} */
    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        ext.applyWalEntry(entry);
    }
}
