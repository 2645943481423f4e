/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Configuration of a {@link WalWriter}: fluent setters, then {@link #conclude()}, which validates everything once.
 * Not thread-safe; configure on one thread, then hand it to {@link WalWriter#open}.
 */
public final class WalOptions
{
    /** System property naming the default segment length in bytes. */
    public static final String SEGMENT_LENGTH_PROP_NAME = "tally.wal.segmentLength";
    /**
     * Default segment length: 8 MiB. Design note: on the reference machine's ext4 a Strict force slows 4 to 7 times
     * once 20 to 40 MiB have been forced into one file, and a new file starts fast again, so short segments keep every
     * force on the fast part of a file (docs/PERFORMANCE.md, "Segment length").
     */
    public static final int SEGMENT_LENGTH_DEFAULT = 8 * 1024 * 1024;
    /** Shortest segment accepted: 4 KiB. */
    public static final int SEGMENT_LENGTH_MIN = 4096;
    /** Longest segment accepted: 1 GiB, so that offsets stay {@code int}. */
    public static final int SEGMENT_LENGTH_MAX = 1 << 30;
    /** System property naming the default {@link #durableSlotWindow()} in bytes. */
    public static final String DURABLE_SLOT_WINDOW_PROP_NAME = "tally.wal.durableSlotWindow";
    /** Default durable slot window: 64 KiB of frames, about 400 forces of one small record each. */
    public static final int DURABLE_SLOT_WINDOW_DEFAULT = 64 * 1024;

    private Path directory;
    private UUID databaseId;
    private int segmentLength = Integer.getInteger(SEGMENT_LENGTH_PROP_NAME, SEGMENT_LENGTH_DEFAULT);
    private SegmentForcer segmentForcer = SegmentForcer.mapped();
    private SegmentStorage segmentStorage = SegmentStorage.files();
    private int durableSlotWindow = Integer.getInteger(DURABLE_SLOT_WINDOW_PROP_NAME, DURABLE_SLOT_WINDOW_DEFAULT);
    private boolean isConcluded;

    /**
     * Creates options with defaults; any thread.
     */
    public WalOptions()
    {
    }

    /**
     * Sets the directory that holds the segments; it is created if missing.
     *
     * @param directory the directory.
     * @return this.
     */
    public WalOptions directory(final Path directory)
    {
        checkNotConcluded();
        this.directory = directory;
        return this;
    }

    /**
     * The directory that holds the segments.
     *
     * @return the directory, or {@code null} when unset.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Sets the database id written into every segment header and salted into every frame CRC.
     *
     * @param databaseId the id.
     * @return this.
     */
    public WalOptions databaseId(final UUID databaseId)
    {
        checkNotConcluded();
        this.databaseId = databaseId;
        return this;
    }

    /**
     * The database id.
     *
     * @return the id, or {@code null} when unset.
     */
    public UUID databaseId()
    {
        return databaseId;
    }

    /**
     * Sets the segment length: a power of two from {@link #SEGMENT_LENGTH_MIN} to {@link #SEGMENT_LENGTH_MAX}. It
     * must stay the same for the life of a log.
     *
     * @param segmentLength the length in bytes.
     * @return this.
     */
    public WalOptions segmentLength(final int segmentLength)
    {
        checkNotConcluded();
        this.segmentLength = segmentLength;
        return this;
    }

    /**
     * The segment length in bytes.
     *
     * @return the length.
     */
    public int segmentLength()
    {
        return segmentLength;
    }

    /**
     * Sets how mapped ranges are forced; the default is {@link SegmentForcer#mapped()}.
     *
     * @param segmentForcer the forcer.
     * @return this.
     */
    public WalOptions segmentForcer(final SegmentForcer segmentForcer)
    {
        checkNotConcluded();
        this.segmentForcer = segmentForcer;
        return this;
    }

    /**
     * How mapped ranges are forced.
     *
     * @return the forcer.
     */
    public SegmentForcer segmentForcer()
    {
        return segmentForcer;
    }

    /**
     * Sets how segment files are created, mapped and deleted; the default is {@link SegmentStorage#files()}.
     *
     * @param segmentStorage the storage.
     * @return this.
     */
    public WalOptions segmentStorage(final SegmentStorage segmentStorage)
    {
        checkNotConcluded();
        this.segmentStorage = segmentStorage;
        return this;
    }

    /**
     * How segment files are created, mapped and deleted.
     *
     * @return the storage.
     */
    public SegmentStorage segmentStorage()
    {
        return segmentStorage;
    }

    /**
     * Sets how many bytes of forced frames the active segment's durable slot may lag on the device; configuring thread
     * only. The header page is forced once the frames forced since its last force exceed it, so 0 forces it with
     * every force (an exact slot, two msyncs) and the default of 64 KiB forces it about once in 400 small forces.
     * Recovery can take damage inside the window for a torn tail instead of corruption.
     *
     * @param durableSlotWindow bytes, 0 or more; a window of a segment's length or more forces the header only when
     *                          the segment rolls and when the writer opens and closes.
     * @return this.
     */
    public WalOptions durableSlotWindow(final int durableSlotWindow)
    {
        checkNotConcluded();
        this.durableSlotWindow = durableSlotWindow;
        return this;
    }

    /**
     * The durable slot window in bytes; any thread.
     *
     * @return the window.
     */
    public int durableSlotWindow()
    {
        return durableSlotWindow;
    }

    /**
     * Whether {@link #conclude()} has run.
     *
     * @return {@code true} once concluded.
     */
    public boolean isConcluded()
    {
        return isConcluded;
    }

    /**
     * Validates every setting once and freezes the options; calling it again does nothing.
     *
     * @return this.
     * @throws ConfigurationException with {@link ErrorCode#INVALID_CONFIGURATION} naming the first bad setting.
     */
    public WalOptions conclude()
    {
        if (isConcluded)
        {
            return this;
        }
        if (directory == null)
        {
            throw invalid("directory must be set");
        }
        if (databaseId == null)
        {
            throw invalid("databaseId must be set");
        }
        if (segmentLength < SEGMENT_LENGTH_MIN || segmentLength > SEGMENT_LENGTH_MAX ||
            Integer.bitCount(segmentLength) != 1)
        {
            throw invalid("segmentLength must be a power of two from " + SEGMENT_LENGTH_MIN + " to " +
                SEGMENT_LENGTH_MAX + ": segmentLength=" + segmentLength);
        }
        if (durableSlotWindow < 0)
        {
            throw invalid("durableSlotWindow must not be negative: durableSlotWindow=" + durableSlotWindow);
        }
        if (segmentForcer == null)
        {
            throw invalid("segmentForcer must not be null");
        }
        if (segmentStorage == null)
        {
            throw invalid("segmentStorage must not be null");
        }
        isConcluded = true;
        return this;
    }

    private void checkNotConcluded()
    {
        if (isConcluded)
        {
            throw invalid("options are concluded and can no longer change");
        }
    }

    private static ConfigurationException invalid(final String message)
    {
        return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, "invalid WAL options: " + message);
    }
}
