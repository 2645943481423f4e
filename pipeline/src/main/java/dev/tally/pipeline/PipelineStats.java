/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters the writer thread keeps and any thread may read: appends, forces, bytes, batch sizes, segment rolls and
 * force latency as a power-of-two histogram. Written by the writer thread only.
 */
public final class PipelineStats
{
    private static final int APPENDS = 0;
    private static final int FORCES = 1;
    private static final int BYTES = 2;
    private static final int BATCHES = 3;
    private static final int BATCH_FRAMES_MAX = 4;
    private static final int FORCE_NS_TOTAL = 5;
    private static final int FORCE_NS_MAX = 6;
    private static final int RELEASE_FAILURES = 7;
    private static final int SEGMENT_ROLLS = 8;
    private static final int GROUP_WAITS = 9;
    private static final int GROUP_WAIT_TIMEOUTS = 10;
    private static final int FIELDS = 11;
    private static final int BUCKETS = 64;

    private final AtomicLongArray counters = new AtomicLongArray(FIELDS);
    private final AtomicLongArray forceLatency = new AtomicLongArray(BUCKETS);

    void onAppend(final int frameBytes)
    {
        counters.lazySet(APPENDS, counters.get(APPENDS) + 1);
        counters.lazySet(BYTES, counters.get(BYTES) + frameBytes);
    }

    void onBatch(final int frames)
    {
        counters.lazySet(BATCHES, counters.get(BATCHES) + 1);
        if (frames > counters.get(BATCH_FRAMES_MAX))
        {
            counters.lazySet(BATCH_FRAMES_MAX, frames);
        }
    }

    void onSegmentRoll()
    {
        counters.lazySet(SEGMENT_ROLLS, counters.get(SEGMENT_ROLLS) + 1);
    }

    void onGroupWait(final boolean timedOut)
    {
        counters.lazySet(GROUP_WAITS, counters.get(GROUP_WAITS) + 1);
        if (timedOut)
        {
            counters.lazySet(GROUP_WAIT_TIMEOUTS, counters.get(GROUP_WAIT_TIMEOUTS) + 1);
        }
    }

    void onReleaseFailure()
    {
        counters.lazySet(RELEASE_FAILURES, counters.get(RELEASE_FAILURES) + 1);
    }

    void onForce(final long durationNs)
    {
        // Atomic, unlike the writer-only counters: the writer thread and the helper thread (Buffered) both force.
        counters.getAndIncrement(FORCES);
        counters.getAndAdd(FORCE_NS_TOTAL, durationNs);
        counters.accumulateAndGet(FORCE_NS_MAX, durationNs, Math::max);
        final int bucket = 64 - Long.numberOfLeadingZeros(Math.max(1, durationNs));
        forceLatency.getAndIncrement(bucket - 1);
    }

    /**
     * Strict batches whose force waited for callers of the previous force to publish again (group commit); any
     * thread.
     *
     * @return the count.
     */
    public long groupWaits()
    {
        return counters.get(GROUP_WAITS);
    }

    /**
     * Of {@link #groupWaits()}, those that ended because the wait's bound passed rather than because a caller
     * published; any thread.
     *
     * @return the count.
     */
    public long groupWaitTimeouts()
    {
        return counters.get(GROUP_WAIT_TIMEOUTS);
    }

    /**
     * Requests to delete log segments no snapshot needs any more that failed (the segments stay; the next snapshot
     * retries); any thread.
     *
     * @return the count.
     */
    public long releaseFailures()
    {
        return counters.get(RELEASE_FAILURES);
    }

    /**
     * Log segments the writer moved on from since the pipeline started; any thread.
     *
     * @return the count.
     */
    public long segmentRolls()
    {
        return counters.get(SEGMENT_ROLLS);
    }

    /**
     * Frames appended; any thread.
     *
     * @return the count.
     */
    public long appends()
    {
        return counters.get(APPENDS);
    }

    /**
     * Forces completed; any thread.
     *
     * @return the count.
     */
    public long forces()
    {
        return counters.get(FORCES);
    }

    /**
     * Frame bytes appended; any thread.
     *
     * @return the byte count.
     */
    public long bytesWritten()
    {
        return counters.get(BYTES);
    }

    /**
     * Batches the writer handled; any thread.
     *
     * @return the count.
     */
    public long batches()
    {
        return counters.get(BATCHES);
    }

    /**
     * The most frames in one batch; any thread.
     *
     * @return the count.
     */
    public long batchFramesMax()
    {
        return counters.get(BATCH_FRAMES_MAX);
    }

    /**
     * Total time spent forcing; any thread.
     *
     * @return nanoseconds.
     */
    public long forceNsTotal()
    {
        return counters.get(FORCE_NS_TOTAL);
    }

    /**
     * The longest force; any thread.
     *
     * @return nanoseconds.
     */
    public long forceNsMax()
    {
        return counters.get(FORCE_NS_MAX);
    }

    /**
     * An upper bound of a force-latency percentile from the power-of-two histogram; any thread.
     *
     * @param percentile 0 to 100.
     * @return nanoseconds, or 0 when nothing was forced.
     */
    public long forceNsPercentile(final double percentile)
    {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++)
        {
            total += forceLatency.get(i);
        }
        if (total == 0)
        {
            return 0;
        }
        final long rank = (long)Math.ceil(total * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++)
        {
            seen += forceLatency.get(i);
            if (seen >= Math.max(1, rank))
            {
                return i >= 62 ? Long.MAX_VALUE : 1L << (i + 1);
            }
        }
        return Long.MAX_VALUE;
    }
}
