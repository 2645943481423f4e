/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.LoadablePrimitive;
import dev.tally.snapshot.HistoryFile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The registered primitives, found by snapshot type id and by WAL entry type code. Registration checks that type ids
 * are unique and in range, and that each primitive's codes lie in one sixteen-code block that no other primitive owns
 * and that is not the core block ({@code 0x00-0x0F}). Type id 7 is the snapshots' run history section and is refused.
 * Filled before the engine opens; read-only afterwards.
 */
public final class Registry
{
    private final PrimitiveStorageExt[] byCode = new PrimitiveStorageExt[256];
    private final PrimitiveStorageExt[] byTypeId = new PrimitiveStorageExt[256];
    private final LoadablePrimitive[] loadableByTypeId = new LoadablePrimitive[256];
    private final List<LoadablePrimitive> loadables = new ArrayList<>();
    private final List<PrimitiveStorageExt> ordered = new ArrayList<>();

    /**
     * Registers a primitive; opening thread only.
     *
     * @param ext the primitive.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_EXTENSION} when its ids clash or are out of range.
     */
    public void register(final PrimitiveStorageExt ext)
    {
        final int typeId = ext.primitiveTypeId();
        if (typeId < PrimitiveStorageExt.PRIMITIVE_TYPE_ID_MIN || typeId > PrimitiveStorageExt.PRIMITIVE_TYPE_ID_MAX)
        {
            throw invalid("primitive type id out of range: name=" + ext.name() + ", typeId=" + typeId);
        }
        if (typeId == HistoryFile.SECTION_TYPE_ID)
        {
            throw invalid("primitive type id is reserved for the run history section: name=" + ext.name()
                + ", typeId=" + typeId);
        }
        if (byTypeId[typeId] != null)
        {
            throw invalid("primitive type id already registered: typeId=" + typeId + ", by=" + byTypeId[typeId].name()
                + ", name=" + ext.name());
        }
        final int[] codes = ext.walEntryTypes();
        if (codes == null || codes.length == 0)
        {
            throw invalid("primitive owns no WAL entry types: name=" + ext.name());
        }
        final int block = codes[0] & 0xF0;
        for (final int code : codes)
        {
            if (code < 0 || code > 0xFF || (code & 0xF0) != block)
            {
                throw invalid("WAL entry types must lie in one sixteen-code block: name=" + ext.name() + ", code=0x"
                    + Integer.toHexString(code));
            }
            if (block == 0)
            {
                throw invalid("the core block 0x00-0x0F belongs to the engine: name=" + ext.name());
            }
        }
        for (int code = block; code < block + WalEntryType.BLOCK_LENGTH; code++)
        {
            if (byCode[code] != null)
            {
                throw invalid("WAL entry type block already owned: block=0x" + Integer.toHexString(block) + ", by="
                    + byCode[code].name() + ", name=" + ext.name());
            }
        }
        for (final int code : codes)
        {
            byCode[code] = ext;
        }
        byTypeId[typeId] = ext;
        loadableByTypeId[typeId] = LoadablePrimitive.of(ext);
        ordered.add(ext);
        ordered.sort(Comparator.comparingInt(PrimitiveStorageExt::primitiveTypeId));
        loadables.add(loadableByTypeId[typeId]);
        loadables.sort(Comparator.comparingInt(PrimitiveStorageExt::primitiveTypeId));
    }

    /**
     * The primitive owning a code; any thread.
     *
     * @param code the code.
     * @return the primitive, or {@code null}.
     */
    public PrimitiveStorageExt byCode(final int code)
    {
        return byCode[code & 0xFF];
    }

    /**
     * The primitive with a snapshot type id; any thread.
     *
     * @param typeId the id.
     * @return the primitive, or {@code null}.
     */
    public PrimitiveStorageExt byTypeId(final int typeId)
    {
        return typeId < 0 || typeId > 255 ? null : byTypeId[typeId];
    }

    /**
     * How the primitive with a snapshot type id is loaded; any thread.
     *
     * @param typeId the id.
     * @return the primitive as loadable (itself, or a view of an extension), or {@code null}.
     */
    public LoadablePrimitive loadable(final int typeId)
    {
        return typeId < 0 || typeId > 255 ? null : loadableByTypeId[typeId];
    }

    /**
     * Every primitive as loadable, in type id order; any thread.
     *
     * @return an unmodifiable list.
     */
    public List<LoadablePrimitive> loadables()
    {
        return Collections.unmodifiableList(loadables);
    }

    /**
     * Whether a frame type code is accepted in the log: a core code or a registered primitive's code; any thread.
     *
     * @param code the code.
     * @return whether accepted.
     */
    public boolean isKnownFrameType(final int code)
    {
        return code == WalEntryType.TRANSACTION_COMMIT.code() || (code >= 0 && code <= 0xFF && byCode[code] != null);
    }

    /**
     * Every primitive in type id order; any thread.
     *
     * @return an unmodifiable list.
     */
    public List<PrimitiveStorageExt> ordered()
    {
        return Collections.unmodifiableList(ordered);
    }

    private static InvalidArgumentException invalid(final String message)
    {
        return new InvalidArgumentException(ErrorCode.INVALID_EXTENSION, message);
    }
}
