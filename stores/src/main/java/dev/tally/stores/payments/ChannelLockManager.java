/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import java.util.function.Supplier;

/**
 * Runtime serialisation of a payment server's work on one channel (verify a voucher, run the handler, commit the
 * settlement), so two requests on a channel do not both build on the same state. It is a separate contract from the
 * store: the store's compare-and-set keeps state correct without it, the lock keeps contenders from wasting work.
 * Deployments with several server processes need a shared implementation; {@link InProcessChannelLockManager}
 * serves one process.
 */
public interface ChannelLockManager
{
    /**
     * Runs a function while holding the key's lock; any thread. At most one function per key runs at a time,
     * functions under different keys run in parallel, waiters are served in about the order they came, and the lock is
     * released when the function returns or throws (its exception propagates unchanged).
     *
     * @param key the key, usually a channel id; non-empty.
     * @param fn  the function.
     * @param <T> its result type.
     * @return what the function returned.
     */
    <T> T runExclusive(String key, Supplier<T> fn);
}
