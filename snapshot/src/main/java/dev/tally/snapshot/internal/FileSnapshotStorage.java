/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot.internal;

import dev.tally.snapshot.SnapshotOutput;
import dev.tally.snapshot.SnapshotStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Snapshot files on the local file system. Stateless; any thread.
 */
public final class FileSnapshotStorage implements SnapshotStorage
{
    /** The shared instance. */
    public static final FileSnapshotStorage INSTANCE = new FileSnapshotStorage();

    private FileSnapshotStorage()
    {
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public SnapshotOutput create(final Path file) throws IOException
    {
        return new ChannelOutput(FileChannel.open(file,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void moveAtomically(final Path source, final Path target) throws IOException
    {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void forceDirectory(final Path directory) throws IOException
    {
        forceDirectoryOf(directory);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean deleteIfExists(final Path file) throws IOException
    {
        return Files.deleteIfExists(file);
    }

    /**
     * Forces a directory so that a create, rename or delete in it is durable; any thread.
     *
     * @param directory the directory.
     * @throws IOException when the directory cannot be opened or forced.
     */
    public static void forceDirectoryOf(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static final class ChannelOutput implements SnapshotOutput
    {
        private final FileChannel channel;

        ChannelOutput(final FileChannel channel)
        {
            this.channel = channel;
        }

        @Override
        public void write(final ByteBuffer source) throws IOException
        {
            // Bounded: each pass writes at least one byte or throws, and the buffer is finite.
            while (source.hasRemaining())
            {
                channel.write(source);
            }
        }

        @Override
        public void force() throws IOException
        {
            channel.force(true);
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }
}
