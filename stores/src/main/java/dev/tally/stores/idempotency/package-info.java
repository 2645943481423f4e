/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The IdempotencyStore of the Idempotency Store Contract: {@code begin} / {@code finish} / {@code reacquire} with
 * leases and fencing, {@code deleteExpired}, and the embedded implementation on the engine.
 */
package dev.tally.stores.idempotency;
