/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Builds, from what a {@link SimulatedDisk} crash left, a directory a power loss could have left. Durable content and
 * durable names are kept. Every 4 KiB page written since its file's last force is, independently and seeded, kept,
 * lost (its durable content stays), torn at a 512-byte sector boundary (the first sectors new, the rest old), torn at
 * a byte boundary, or its changed bytes filled with garbage. Only bytes the engine changed since the last force are
 * touched, so forced data is never damaged: a device that destroys forced data is out of scope. A file that grew
 * keeps its durable length or its written length. Directory operations since the last directory force survive as a
 * random prefix, in order (a journaling file system keeps metadata operations ordered).
 */
public final class CrashImage
{
    /** The page size. */
    public static final int PAGE = 4096;
    /** The sector size. */
    public static final int SECTOR = 512;

    /** What happened to one dirty page. */
    public enum PageFate
    {
        /** The written content survived. */
        KEPT,
        /** The durable content stayed. */
        LOST,
        /** The first sectors are new, the rest old. */
        TORN_SECTOR,
        /** The first bytes are new, the rest old. */
        TORN_BYTE,
        /** The changed bytes hold random bytes. */
        GARBAGE
    }

    private final int[] fates = new int[PageFate.values().length];
    private boolean durableOnly;

    /**
     * Makes every later image the worst case: no directory operation since the last directory force and no page
     * since its file's last force survives.
     *
     * @return this.
     */
    public CrashImage durableOnly()
    {
        this.durableOnly = true;
        return this;
    }

    /**
     * Writes one crash image into an empty directory.
     *
     * @param state  what the crash left.
     * @param random the seeded source of every choice.
     * @param target the directory to fill; created if missing.
     * @return this, with its counts of page fates.
     * @throws IOException when the image cannot be written.
     */
    public CrashImage build(final SimulatedDisk.CrashState state, final SplittableRandom random, final Path target)
        throws IOException
    {
        Files.createDirectories(target);
        final Map<String, SimulatedDisk.Inode> names = new TreeMap<>(state.durableNames());
        final List<SimulatedDisk.DirOp> ops = state.pendingOps();
        final int kept = durableOnly ? 0 : random.nextInt(ops.size() + 1);
        for (int i = 0; i < kept; i++)
        {
            SimulatedDisk.apply(names, ops.get(i));
        }
        for (final Map.Entry<String, SimulatedDisk.Inode> entry : names.entrySet())
        {
            final SimulatedDisk.Inode inode = entry.getValue();
            final byte[] durable = state.durable().getOrDefault(inode, new byte[0]);
            final byte[] written = state.written().getOrDefault(inode, durable);
            Files.write(target.resolve(entry.getKey()), damage(durable, written, random));
        }
        for (final Map.Entry<String, byte[]> extra : state.extraFiles().entrySet())
        {
            Files.write(target.resolve(extra.getKey()), extra.getValue());
        }
        return this;
    }

    /**
     * How many dirty pages met a fate, over every image this instance built.
     *
     * @param fate the fate.
     * @return the count.
     */
    public int count(final PageFate fate)
    {
        return fates[fate.ordinal()];
    }

    /**
     * The content a crash leaves of one file.
     *
     * @param durable what was forced.
     * @param written what was written.
     * @param random  the choices.
     * @return the surviving content.
     */
    byte[] damage(final byte[] durable, final byte[] written, final SplittableRandom random)
    {
        if (durableOnly)
        {
            return durable.clone();
        }
        final int length = written.length > durable.length && random.nextBoolean() ? written.length : durable.length;
        final byte[] out = Arrays.copyOf(durable, length);
        for (int page = 0; page < length; page += PAGE)
        {
            final int end = Math.min(length, page + PAGE);
            if (!isDirty(durable, written, page, end))
            {
                continue;
            }
            final PageFate fate = PageFate.values()[random.nextInt(PageFate.values().length)];
            fates[fate.ordinal()]++;
            final int newUpTo = switch (fate)
            {
                case KEPT -> end;
                case LOST -> page;
                case TORN_SECTOR -> Math.min(end, page + SECTOR * random.nextInt(PAGE / SECTOR));
                case TORN_BYTE -> page + random.nextInt(end - page);
                case GARBAGE -> -1;
            };
            for (int i = page; i < end; i++)
            {
                final byte old = i < durable.length ? durable[i] : 0;
                final byte now = i < written.length ? written[i] : 0;
                if (old == now)
                {
                    continue;
                }
                if (newUpTo < 0)
                {
                    out[i] = (byte)random.nextInt(256);
                }
                else
                {
                    out[i] = i < newUpTo ? now : old;
                }
            }
        }
        return out;
    }

    private static boolean isDirty(final byte[] durable, final byte[] written, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final byte old = i < durable.length ? durable[i] : 0;
            final byte now = i < written.length ? written[i] : 0;
            if (old != now)
            {
                return true;
            }
        }
        return false;
    }
}
