/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The RunStateStore of the Run State Store contract (v2.0.0, with v1.0's watermark fetch, snapshots, gaps and
 * retention): the Append Authority of workflow runs' events, {@link dev.tally.stores.runstate.RunProjection} (the one
 * fold of a run's snapshot), {@link dev.tally.stores.runstate.RunWatermarkReader} (a projector that resyncs on a
 * non-contiguous observation) and the embedded implementation on the engine.
 */
package dev.tally.stores.runstate;
