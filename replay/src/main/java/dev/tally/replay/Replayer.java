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

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Rebuilds one run's state in fresh primitives from its history: every entry, in commit order, goes through the
 * owning primitive's {@code applyWalEntry} ({@link FrameApplier}), exactly as the live engine and recovery applied
 * it. Pure and deterministic: no I/O, no clock, no randomness; the result depends only on the history and the
 * primitives given.
 * Stateless; any thread, as long as the fresh primitives are confined to the caller.
 *
 * <p>Design note: replay never touches the live primitives. The caller passes new, empty instances; entries whose type
 * code no given primitive owns (run lifecycle entries, extension entries) are skipped and are not changes. A change is
 * one applied entry, so {@link AsOf#changes(long)} may stop inside a transaction: the view after change N is the
 * state a reader would have seen had the entries of that transaction been committed one at a time.
 */
public final class Replayer
{
    private Replayer()
    {
    }

    /**
     * What a replay applied.
     *
     * @param changeCount  the entries applied.
     * @param frameCount   the frames that contributed at least one applied entry.
     * @param positionLast the position of the last frame that contributed an entry, or -1 when none did.
     */
    public record Outcome(long changeCount, long frameCount, long positionLast)
    {
    }

    /**
     * Applies a run's history to fresh primitives up to a bound; any thread.
     *
     * @param runId  the run the history belongs to; every entry is applied as this run's.
     * @param frames the run's frames in commit order.
     * @param fresh  new, empty primitives with distinct entry type codes; they receive the entries.
     * @param asOf   how much of the history to apply.
     * @return what was applied.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when two primitives own a code or the
     *                                  frames are not in increasing position order.
     */
    public static Outcome replay(final RunId runId, final List<HistoryFrame> frames,
        final List<? extends PrimitiveStorageExt> fresh, final AsOf asOf)
    {
        final FrameApplier applier = new FrameApplier(fresh);
        final long changeLimit = asOf.kind() == AsOf.Kind.CHANGES ? asOf.bound() : Long.MAX_VALUE;
        final long positionLimit = asOf.kind() == AsOf.Kind.POSITION ? asOf.bound() : Long.MAX_VALUE;
        long changes = 0;
        long frameCount = 0;
        long positionLast = -1;
        long previous = Long.MIN_VALUE;
        for (final HistoryFrame frame : frames)
        {
            if (frame.position() <= previous)
            {
                throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "history out of order: position="
                    + frame.position() + ", previous=" + previous);
            }
            previous = frame.position();
            if (frame.position() >= positionLimit || changes >= changeLimit)
            {
                break;
            }
            final int applied = applier.apply(runId, frame, changeLimit - changes);
            if (applied > 0)
            {
                changes += applied;
                frameCount++;
                positionLast = frame.position();
            }
        }
        return new Outcome(changes, frameCount, positionLast);
    }

    /**
     * Counts the changes a full replay into these primitives would apply, without applying anything; any thread.
     *
     * @param frames the run's frames.
     * @param fresh  the primitives whose codes count.
     * @return the number of entries those primitives own.
     */
    public static long changeCount(final List<HistoryFrame> frames, final List<? extends PrimitiveStorageExt> fresh)
    {
        final FrameApplier applier = new FrameApplier(fresh);
        long count = 0;
        for (final HistoryFrame frame : frames)
        {
            for (final HistoryEntry entry : frame.entries())
            {
                if (applier.owns(entry.typeCode()))
                {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * A SHA-256 digest over the primitives' canonical sections in type id order (for each: type id as one byte,
     * section length as four big-endian bytes, section), the same layout as the database's state hash; any thread.
     * Equal states give equal digests on every JVM, timezone, locale and charset.
     *
     * @param primitives the primitives, typically just replayed.
     * @return the digest as 64 lower-case hex digits.
     */
    public static String hash(final List<? extends PrimitiveStorageExt> primitives)
    {
        final SortedMap<Integer, byte[]> sections = new TreeMap<>();
        for (final PrimitiveStorageExt ext : primitives)
        {
            sections.put(ext.primitiveTypeId(), ext.snapshotSerialize());
        }
        return HexFormat.of().formatHex(digest(sections));
    }

    /**
     * The digest {@link #hash} computes, over sections already serialized: for each in type id order, the type id
     * as one byte, the section length as four big-endian bytes, the section; any thread.
     *
     * @param sectionsByTypeId the canonical sections by primitive type id.
     * @return the 32-byte SHA-256 digest.
     */
    public static byte[] digest(final SortedMap<Integer, byte[]> sectionsByTypeId)
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required on every JVM", ex);
        }
        for (final Map.Entry<Integer, byte[]> entry : sectionsByTypeId.entrySet())
        {
            final byte[] section = entry.getValue();
            digest.update((byte)(int)entry.getKey());
            digest.update(new byte[] {(byte)(section.length >>> 24), (byte)(section.length >>> 16),
                (byte)(section.length >>> 8), (byte)section.length});
            digest.update(section);
        }
        return digest.digest();
    }
}
