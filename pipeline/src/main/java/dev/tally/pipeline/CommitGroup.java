/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import java.util.Arrays;

/**
 * Who the last Strict force woke, so that the writer can tell a batch that is complete from one that is missing
 * callers still on their way back: a caller woken by a force commits again a few microseconds later, and a force
 * issued before it publishes covers only the callers that happened to be faster, so under several callers the
 * forces settle into two half-full groups that alternate. Waiting, for at most one force's duration, for the callers
 * of the previous force that are not in the batch yet makes each force carry every active caller.
 *
 * <p>A single caller is always complete (it is in its own batch), so one thread never waits. A caller that stopped
 * committing costs one bounded wait: the next force no longer lists it.
 *
 * <p>Threading: the writer thread only.
 */
final class CommitGroup
{
    private Thread[] previous = new Thread[16];
    private int previousCount;

    /**
     * Whether a batch lacks a caller that the previous force woke.
     *
     * @param batch the waiting callers of the batch, the first {@code count} entries.
     * @param count how many.
     * @return {@code true} when some caller of the previous force is not among them.
     */
    boolean missesCallers(final Thread[] batch, final int count)
    {
        for (int i = 0; i < previousCount; i++)
        {
            if (!contains(batch, count, previous[i]))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Records the callers a force is about to wake.
     *
     * @param batch the callers, the first {@code count} entries.
     * @param count how many.
     */
    void forced(final Thread[] batch, final int count)
    {
        if (previous.length < count)
        {
            previous = Arrays.copyOf(batch, count);
        }
        else
        {
            System.arraycopy(batch, 0, previous, 0, count);
            if (previousCount > count)
            {
                Arrays.fill(previous, count, previousCount, null);
            }
        }
        previousCount = count;
    }

    private static boolean contains(final Thread[] batch, final int count, final Thread thread)
    {
        for (int i = 0; i < count; i++)
        {
            if (batch[i] == thread)
            {
                return true;
            }
        }
        return false;
    }
}
