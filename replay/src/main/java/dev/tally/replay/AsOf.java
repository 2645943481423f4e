/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.replay;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;

/**
 * How much of a run's history a replay applies: all of it, the first N changes (a change is one entry applied to one
 * primitive of the replay; 0 gives the empty view), or every frame before a log position. Immutable; any thread.
 */
public final class AsOf
{
    private static final AsOf LATEST = new AsOf(Kind.LATEST, Long.MAX_VALUE);

    /** What the bound counts. */
    public enum Kind
    {
        /** The whole history. */
        LATEST,
        /** A number of changes. */
        CHANGES,
        /** A log position: frames before it. */
        POSITION
    }

    private final Kind kind;
    private final long bound;

    private AsOf(final Kind kind, final long bound)
    {
        this.kind = kind;
        this.bound = bound;
    }

    /**
     * The whole history; any thread.
     *
     * @return the bound.
     */
    public static AsOf latest()
    {
        return LATEST;
    }

    /**
     * The state after the first {@code count} changes; any thread.
     *
     * @param count the number of changes, 0 or more.
     * @return the bound.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when negative.
     */
    public static AsOf changes(final long count)
    {
        if (count < 0)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "change count is negative: count=" + count);
        }
        return new AsOf(Kind.CHANGES, count);
    }

    /**
     * The state made by every frame whose position is below {@code position}; any thread.
     *
     * @param position the log position, 0 or more.
     * @return the bound.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when negative.
     */
    public static AsOf position(final long position)
    {
        if (position < 0)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "position is negative: position="
                + position);
        }
        return new AsOf(Kind.POSITION, position);
    }

    /**
     * What the bound counts; any thread.
     *
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * The change count or position, or {@link Long#MAX_VALUE} for {@link Kind#LATEST}; any thread.
     *
     * @return the bound.
     */
    public long bound()
    {
        return bound;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof AsOf that && that.kind == kind && that.bound == bound;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return kind.hashCode() * 31 + Long.hashCode(bound);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return kind == Kind.LATEST ? "AsOf[latest]" : "AsOf[" + kind.name().toLowerCase(java.util.Locale.ROOT) + "="
            + bound + "]";
    }
}
