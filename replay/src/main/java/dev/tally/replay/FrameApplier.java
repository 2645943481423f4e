/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

import dev.tally.core.ErrorCode;
import dev.tally.core.HistoryEntry;
import dev.tally.core.HistoryFrame;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;
import dev.tally.core.WalEntry;

import java.util.List;

/**
 * Applies committed frames to a set of primitives: each entry goes to the primitive owning its type code, through
 * {@code applyWalEntry}, in the order the frame holds them; entries no given primitive owns (run lifecycle entries,
 * extension entries) are skipped. The one apply step of a replay and of a snapshot's shadow rebuild. Confined to the
 * thread that owns the primitives.
 */
public final class FrameApplier
{
    private static final int CODE_COUNT = 256;

    private final PrimitiveStorageExt[] owners = new PrimitiveStorageExt[CODE_COUNT];

    /**
     * Indexes the primitives by the codes they own; the applying thread.
     *
     * @param primitives the primitives, with distinct entry type codes.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when two primitives own a code.
     */
    public FrameApplier(final List<? extends PrimitiveStorageExt> primitives)
    {
        for (final PrimitiveStorageExt ext : primitives)
        {
            for (final int code : ext.walEntryTypes())
            {
                if (owners[code & 0xFF] != null)
                {
                    throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "two primitives own code=0x"
                        + Integer.toHexString(code));
                }
                owners[code & 0xFF] = ext;
            }
        }
    }

    /**
     * Whether one of the primitives owns an entry type code; any thread.
     *
     * @param typeCode the code.
     * @return whether an entry of it would be applied.
     */
    public boolean owns(final int typeCode)
    {
        return owners[typeCode & 0xFF] != null;
    }

    /**
     * Applies a frame's owned entries, at most a limit of them, as the run's; the applying thread.
     *
     * @param runId the run the frame belongs to.
     * @param frame the frame.
     * @param limit the most entries to apply; {@code Long.MAX_VALUE} for all.
     * @return the entries applied.
     */
    public int apply(final RunId runId, final HistoryFrame frame, final long limit)
    {
        int applied = 0;
        for (final HistoryEntry entry : frame.entries())
        {
            final PrimitiveStorageExt owner = owners[entry.typeCode() & 0xFF];
            if (owner == null)
            {
                continue;
            }
            if (applied >= limit)
            {
                break;
            }
            owner.applyWalEntry(new WalEntry(entry.typeCode(), frame.txId(), runId, frame.position(), entry.body()));
            applied++;
        }
        return applied;
    }
}
