/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

/**
 * Receives the frames of a {@link WalScanner#scan}, in log order, on the scanning thread.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * Called once per valid frame on the scanning thread. The frame is a flyweight valid only during the call;
     * copy what must outlive it. An exception thrown here stops the scan and propagates.
     *
     * @param frame the frame.
     */
    void onFrame(WalFrame frame);
}
