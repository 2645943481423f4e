/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

/**
 * When the writer thread forces the log: the part of a database's durability mode the pipeline carries out. The
 * engine chooses it from the mode once, when it starts the pipeline; a mode that writes no log starts no pipeline.
 */
public enum ForcePolicy
{
    /**
     * Strict mode: the writer forces at the end of every Disruptor batch, so concurrent callers share one force
     * (group commit), and a caller waiting for its frame is woken by the force that covered it.
     */
    EVERY_BATCH,
    /**
     * Buffered mode: the writer forces when the flush interval has passed, also when no write arrives, and at once
     * for a {@link LogPipeline#flush(long)} and on close.
     */
    FLUSH_INTERVAL
}
