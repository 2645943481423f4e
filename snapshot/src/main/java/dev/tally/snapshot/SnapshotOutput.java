/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file being written sequentially by a {@link SnapshotWriter}, made by a {@link SnapshotStorage}. One thread, the
 * writer's caller, uses it.
 */
public interface SnapshotOutput extends Closeable
{
    /**
     * Appends every remaining byte of a buffer, advancing its position to its limit.
     *
     * @param source the bytes.
     * @throws IOException when a write fails (a full disk included).
     */
    void write(ByteBuffer source) throws IOException;

    /**
     * Forces what was written, content and metadata, to the device.
     *
     * @throws IOException when the force fails.
     */
    void force() throws IOException;

    /**
     * Closes the file; idempotent.
     *
     * @throws IOException when closing fails.
     */
    @Override
    void close() throws IOException;
}
