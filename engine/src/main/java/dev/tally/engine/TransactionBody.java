/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

/**
 * The work of one transaction. It may run once only; it must not start other transactions or call the database's
 * own write methods, whose effects would not be part of the transaction.
 *
 * @param <T> the result type.
 */
@FunctionalInterface
public interface TransactionBody<T>
{
    /**
     * Does the work through the transaction; runs on the thread that called {@link Database#transaction}.
     *
     * @param tx the transaction.
     * @return the result handed back in {@link TxResult.Committed}.
     */
    T run(Transaction tx);
}
