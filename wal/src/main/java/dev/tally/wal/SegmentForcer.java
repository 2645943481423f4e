/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * Makes a range of a mapped segment durable. Called only from the {@link WalWriter}'s owner thread; tests replace it
 * to count forces and inject failures.
 */
@FunctionalInterface
public interface SegmentForcer
{
    /**
     * Forces a range of a mapped segment to the storage device; called from the writer's owner thread.
     *
     * @param buffer the mapped segment.
     * @param offset the first offset to force.
     * @param length the number of bytes to force.
     * @throws IOException when the device reports a failure; the writer then fails stop.
     */
    void force(MappedByteBuffer buffer, int offset, int length) throws IOException;

    /**
     * The default forcer, {@link MappedByteBuffer#force(int, int)}; any thread.
     *
     * @return the forcer.
     */
    static SegmentForcer mapped()
    {
        return (buffer, offset, length) -> buffer.force(offset, length);
    }
}
