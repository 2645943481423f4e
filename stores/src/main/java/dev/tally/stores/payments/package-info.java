/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The payment server's state store ({@link dev.tally.stores.payments.ServerStateStore}): exact payments consumed once
 * per trust domain, payment identifiers, payment channels with their batch commitments under compare-and-set, and one
 * open claim attempt per channel; and the runtime channel lock
 * ({@link dev.tally.stores.payments.ChannelLockManager}). Implementations: the durable embedded one on a Strict
 * database, and {@link dev.tally.stores.payments.MemoryServerChannelStore} for tests and examples.
 */
package dev.tally.stores.payments;
