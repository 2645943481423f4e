/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

/**
 * The life of a payment channel as the server sees it. The store keeps it and compares it; it enforces no order.
 * Stored by ordinal: add new statuses at the end only.
 */
public enum ChannelStatus
{
    /** Funded and taking vouchers. */
    OPEN,
    /** A claim or close is under way on chain; no new vouchers. */
    CLOSING,
    /** Closed on chain; kept as evidence. */
    CLOSED
}
