/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import dev.tally.core.StorageFullException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.tally.snapshot.SnapshotTestSupport.DATABASE_ID;
import static dev.tally.snapshot.SnapshotTestSupport.assertSameContents;
import static dev.tally.snapshot.SnapshotTestSupport.smallContents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's failure paths, injected through {@link SnapshotStorage}: whatever fails, nothing partial is left under
 * the final name and no temporary file is left behind.
 */
@Timeout(60)
class SnapshotWriterFailureTest
{
    private static final String NO_SPACE = "No space left on device";

    @TempDir
    Path directory;

    @Test
    void shouldThrowStorageFullAndLeaveNoFileWhenDiskFillsDuringWrite() throws IOException
    {
        final FaultyStorage storage = new FaultyStorage();
        storage.writeFailureAfterBytes = 60;
        storage.writeFailureMessage = NO_SPACE;

        final StorageFullException ex = assertThrows(StorageFullException.class,
            () -> new SnapshotWriter(storage).write(directory, smallContents(4096)));

        assertEquals(ErrorCode.STORAGE_FULL, ex.code());
        assertInstanceOf(IOException.class, ex.getCause());
        assertTrue(storage.bytesWritten > 0, "the failure must come after some bytes reached the file");
        assertTrue(storage.isClosed, "the output must be closed before throwing");
        assertDirectoryEmpty();
    }

    @Test
    void shouldThrowStorageIoAndLeaveNoFileWhenWriteFailsOtherwise() throws IOException
    {
        final FaultyStorage storage = new FaultyStorage();
        storage.writeFailureAfterBytes = 0;
        storage.writeFailureMessage = "Input/output error";

        final StorageException ex = assertThrows(StorageException.class,
            () -> new SnapshotWriter(storage).write(directory, smallContents(4096)));

        assertEquals(ErrorCode.STORAGE_IO, ex.code());
        assertFalse(ex instanceof StorageFullException);
        assertDirectoryEmpty();
    }

    @Test
    void shouldLeaveNoFileWhenForceFails() throws IOException
    {
        final FaultyStorage storage = new FaultyStorage();
        storage.isForceFailing = true;

        final StorageException ex = assertThrows(StorageException.class,
            () -> new SnapshotWriter(storage).write(directory, smallContents(4096)));

        assertEquals(ErrorCode.STORAGE_IO, ex.code());
        assertDirectoryEmpty();
    }

    @Test
    void shouldKeepPreviousSnapshotAndLeaveNoTemporaryFileWhenRenameFails() throws IOException
    {
        final SnapshotFile previous = new SnapshotWriter().write(directory, smallContents(4096));
        final FaultyStorage storage = new FaultyStorage();
        storage.isMoveFailing = true;

        assertThrows(StorageException.class, () -> new SnapshotWriter(storage)
            .write(directory, SnapshotTestSupport.contents(4096, new SnapshotSection(5, new byte[] {5}))));

        assertSameContents(smallContents(4096), SnapshotReader.read(previous.path(), DATABASE_ID));
        try (Stream<Path> entries = Files.list(directory))
        {
            assertEquals(List.of(previous.path()), entries.toList());
        }
    }

    @Test
    void shouldKeepCauseAndSuppressCleanupFailureWhenDeleteAlsoFails() throws IOException
    {
        final FaultyStorage storage = new FaultyStorage();
        storage.writeFailureAfterBytes = 0;
        storage.writeFailureMessage = NO_SPACE;
        storage.isDeleteFailing = true;

        final StorageFullException ex = assertThrows(StorageFullException.class,
            () -> new SnapshotWriter(storage).write(directory, smallContents(4096)));

        assertEquals(NO_SPACE, ex.getCause().getMessage());
        assertEquals(1, ex.getCause().getSuppressed().length);
        assertEquals("delete failed", ex.getCause().getSuppressed()[0].getMessage());
    }

    @Test
    void shouldLeaveCompleteFileWhenOnlyDirectoryForceFails()
    {
        final FaultyStorage storage = new FaultyStorage();
        storage.isDirectoryForceFailing = true;

        final StorageException ex = assertThrows(StorageException.class,
            () -> new SnapshotWriter(storage).write(directory, smallContents(4096)));

        assertEquals(ErrorCode.STORAGE_IO, ex.code());
        final List<SnapshotFile> files = SnapshotDirectory.list(directory);
        assertEquals(1, files.size());
        assertSameContents(smallContents(4096), SnapshotReader.read(files.get(0).path(), DATABASE_ID));
    }

    @Test
    void shouldRethrowSameRuntimeExceptionAndCleanUpWhenStorageThrowsUnchecked() throws IOException
    {
        final IllegalStateException failure = new IllegalStateException("injected");
        final FaultyStorage storage = new FaultyStorage();
        storage.uncheckedWriteFailure = failure;

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> new SnapshotWriter(storage).write(directory, smallContents(4096)));

        assertSame(failure, ex);
        assertDirectoryEmpty();
    }

    private void assertDirectoryEmpty() throws IOException
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            assertEquals(List.of(), entries.toList());
        }
    }

    /** The local file system, with faults switched on by field. */
    private static final class FaultyStorage implements SnapshotStorage
    {
        private final SnapshotStorage files = SnapshotStorage.files();
        long writeFailureAfterBytes = -1;
        String writeFailureMessage;
        RuntimeException uncheckedWriteFailure;
        boolean isForceFailing;
        boolean isMoveFailing;
        boolean isDeleteFailing;
        boolean isDirectoryForceFailing;
        long bytesWritten;
        boolean isClosed;

        @Override
        public SnapshotOutput create(final Path file) throws IOException
        {
            final SnapshotOutput output = files.create(file);
            return new SnapshotOutput()
            {
                @Override
                public void write(final ByteBuffer source) throws IOException
                {
                    if (uncheckedWriteFailure != null)
                    {
                        throw uncheckedWriteFailure;
                    }
                    if (writeFailureAfterBytes >= 0 && bytesWritten + source.remaining() > writeFailureAfterBytes)
                    {
                        // Write what fits, as a real full disk does, then fail.
                        final int fits = (int)(writeFailureAfterBytes - bytesWritten);
                        final ByteBuffer head = source.duplicate();
                        head.limit(head.position() + fits);
                        output.write(head);
                        bytesWritten += fits;
                        throw new IOException(writeFailureMessage);
                    }
                    bytesWritten += source.remaining();
                    output.write(source);
                }

                @Override
                public void force() throws IOException
                {
                    if (isForceFailing)
                    {
                        throw new IOException("force failed");
                    }
                    output.force();
                }

                @Override
                public void close() throws IOException
                {
                    isClosed = true;
                    output.close();
                }
            };
        }

        @Override
        public void moveAtomically(final Path source, final Path target) throws IOException
        {
            if (isMoveFailing)
            {
                throw new IOException("rename failed");
            }
            files.moveAtomically(source, target);
        }

        @Override
        public void forceDirectory(final Path directory) throws IOException
        {
            if (isDirectoryForceFailing)
            {
                throw new IOException("directory force failed");
            }
            files.forceDirectory(directory);
        }

        @Override
        public boolean deleteIfExists(final Path file) throws IOException
        {
            if (isDeleteFailing)
            {
                throw new IOException("delete failed");
            }
            return files.deleteIfExists(file);
        }
    }
}
