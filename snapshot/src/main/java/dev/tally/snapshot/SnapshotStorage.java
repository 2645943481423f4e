/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.snapshot.internal.FileSnapshotStorage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The file operations a {@link SnapshotWriter} uses: the seam where a fault-injecting storage layer can be slotted
 * in. Called from the thread that calls the writer. Implementations throw {@link IOException}; the writer converts it
 * and cleans up.
 */
public interface SnapshotStorage
{
    /**
     * Opens a file for writing from its start, creating it or truncating what a crash left there.
     *
     * @param file the file, a temporary name.
     * @return the output; the caller closes it.
     * @throws IOException when the file cannot be created or opened.
     */
    SnapshotOutput create(Path file) throws IOException;

    /**
     * Renames a file atomically, replacing the target if it exists.
     *
     * @param source the complete, forced file.
     * @param target its final name, in the same directory.
     * @throws IOException when the rename fails; then the target is unchanged.
     */
    void moveAtomically(Path source, Path target) throws IOException;

    /**
     * Forces a directory so that a create, rename or delete in it is durable.
     *
     * @param directory the directory.
     * @throws IOException when the directory cannot be opened or forced.
     */
    void forceDirectory(Path directory) throws IOException;

    /**
     * Deletes a file if it exists, without forcing its directory.
     *
     * @param file the file.
     * @return {@code true} when a file was deleted.
     * @throws IOException when the delete fails.
     */
    boolean deleteIfExists(Path file) throws IOException;

    /**
     * The default storage on the local file system; any thread.
     *
     * @return the storage.
     */
    static SnapshotStorage files()
    {
        return FileSnapshotStorage.INSTANCE;
    }
}
