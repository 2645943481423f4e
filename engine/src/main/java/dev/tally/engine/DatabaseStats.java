/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

/**
 * Counters an operator watches, read at one moment. Immutable. Counts are since the database was opened.
 *
 * @param appends          frames appended to the log.
 * @param forces           forces of the log.
 * @param bytesWritten     frame bytes appended.
 * @param batches          writer batches handled.
 * @param batchFramesMax   the most frames in one batch.
 * @param forceNsMean      mean force latency.
 * @param forceNsP99       99th percentile force latency (upper bound of its power-of-two bucket).
 * @param forceNsMax       the longest force.
 * @param durablePosition  the position below which every byte is durable.
 * @param durableLagBytes  bytes committed but not yet durable.
 * @param commitConflicts  transactions and compare-and-sets that lost a race.
 * @param snapshotsTaken   snapshots written, on demand and by the triggers.
 * @param snapshotFailures snapshots that failed (a failed automatic snapshot is retried by its trigger; see
 *                         {@link Database#lastSnapshotFailure()}).
 * @param releaseFailures  requests to delete the log segments no snapshot needs any more that failed (each request
 *                         covers every such segment); the segments stay on disk until the next snapshot retries.
 * @param segmentRolls     log segments the writer filled and moved on from.
 */
public record DatabaseStats(
    long appends,
    long forces,
    long bytesWritten,
    long batches,
    long batchFramesMax,
    long forceNsMean,
    long forceNsP99,
    long forceNsMax,
    long durablePosition,
    long durableLagBytes,
    long commitConflicts,
    long snapshotsTaken,
    long snapshotFailures,
    long releaseFailures,
    long segmentRolls)
{
}
