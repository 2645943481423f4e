/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot file found in, or written to, a directory, with the WAL position its name states; the file's content is
 * not validated by this value. Immutable; any thread.
 *
 * @param path        the file.
 * @param walPosition the WAL position from the file name.
 */
public record SnapshotFile(Path path, long walPosition)
{
    /**
     * Checks the components; any thread.
     *
     * @param path        the file.
     * @param walPosition the WAL position from the file name, not negative.
     */
    public SnapshotFile
    {
        Objects.requireNonNull(path, "path");
        if (walPosition < 0)
        {
            throw new IllegalArgumentException("negative walPosition=" + walPosition);
        }
    }
}
