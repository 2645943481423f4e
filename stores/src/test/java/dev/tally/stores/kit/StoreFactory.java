/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

/**
 * What a contract suite needs from one implementation of a store: a fresh store, the same store after a restart, and
 * the faults it can inject. Each suite test makes one factory, calls {@link #create()} once, and closes the factory at
 * the end. Used by the test thread; the stores it returns may be called from any thread.
 *
 * @param <S> the store interface.
 */
public interface StoreFactory<S> extends AutoCloseable
{
    /**
     * Creates an empty store on fresh storage.
     *
     * @return the store.
     */
    S create();

    /**
     * Closes the current store and whatever holds its records (the database, the connection pool), then opens the
     * store again on the same records, as a process restart would. Also works after an injected failure left the
     * store failed.
     *
     * @return the reopened store.
     */
    S restart();

    /**
     * The failures this implementation can inject into its durable steps.
     *
     * @return the faults, or {@link StoreFaults#NONE} when it has none (a memory store).
     */
    StoreFaults faults();

    /**
     * Whether records survive {@link #restart()}; a memory store's survive only because restart keeps its instance.
     *
     * @return {@code true} when restart reopens from durable storage.
     */
    boolean isDurable();

    /** Closes the store and deletes nothing the test did not create; idempotent. */
    @Override
    void close();
}
