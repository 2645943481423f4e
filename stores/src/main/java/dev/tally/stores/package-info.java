/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Contract stores for workflow and payment services, each in its own package: {@code runstate} (the Append Authority
 * of a run's events), {@code idempotency} (Begin / Finish / Reacquire with leases) and {@code payments} (payment
 * server state with replay protection, settlement compare-and-set, claim attempts and channel locks). Each is an
 * interface whose names and semantics are its design document's, with an implementation on the embedded
 * {@link dev.tally.engine.Database}.
 */
package dev.tally.stores;
