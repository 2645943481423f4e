/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

/**
 * Receives the frames of a log scan and says, per frame, whether the scan goes on: a bounded read ends by returning
 * {@link Action#STOP} at the first frame it does not want, so no exception steers the scan.
 */
@FunctionalInterface
public interface ControlledFrameHandler
{
    /** What the scan does after a frame. */
    enum Action
    {
        /** The frame is taken; the scan goes on to the next one. */
        CONTINUE,
        /**
         * The frame is not taken and the scan ends at its position, with {@link ScanResult.Classification#STOPPED}:
         * nothing at or after it is read or checked.
         */
        STOP
    }

    /**
     * Called once per valid frame on the scanning thread. The frame is a flyweight valid only during the call;
     * copy what must outlive it. An exception thrown here stops the scan and propagates.
     *
     * @param frame the frame.
     * @return whether the scan goes on.
     */
    Action onFrame(WalFrame frame);
}
