/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The single-writer pipeline between the commit path and the log: committing threads publish frames into a Disruptor
 * ring in commit order ({@link dev.tally.pipeline.CommitLog}), one writer thread appends them to the log ({@link
 * dev.tally.pipeline.LogWriter}) and forces it as the {@link dev.tally.pipeline.ForcePolicy} says, with group commit
 * and fail-stop ({@link dev.tally.pipeline.LogPipeline}).
 */
package dev.tally.pipeline;
