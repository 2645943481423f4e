/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.WalEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A primitive whose state is the entries applied to it, as {@code code:body@position}; its section joins them. */
final class RecordingPrimitive implements PrimitiveStorageExt
{
    final List<String> applied = new ArrayList<>();
    private final int typeId;
    private final int[] codes;

    RecordingPrimitive(final int typeId, final int... codes)
    {
        this.typeId = typeId;
        this.codes = codes.clone();
    }

    @Override
    public int primitiveTypeId()
    {
        return typeId;
    }

    @Override
    public String name()
    {
        return "recording-" + typeId;
    }

    @Override
    public int[] walEntryTypes()
    {
        return codes.clone();
    }

    @Override
    public byte[] snapshotSerialize()
    {
        return String.join(",", applied).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void snapshotDeserialize(final byte[] data)
    {
        throw new UnsupportedOperationException("replay never loads a section");
    }

    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        applied.add(Integer.toHexString(entry.typeCode()) + ":" + new String(entry.payload(), StandardCharsets.UTF_8)
            + "@" + entry.position());
    }
}
