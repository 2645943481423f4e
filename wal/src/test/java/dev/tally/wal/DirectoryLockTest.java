/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DirectoryLockTest
{
    @TempDir
    Path directory;

    @Test
    void shouldFailWithDirectoryLockedWhenAcquiredTwiceInSameJvm()
    {
        try (DirectoryLock lock = DirectoryLock.acquire(directory))
        {
            final StorageException thrown = assertThrows(StorageException.class,
                () -> DirectoryLock.acquire(directory.resolve(".").resolve("..").resolve(directory.getFileName())));
            assertEquals(ErrorCode.DIRECTORY_LOCKED, thrown.code());
            assertTrue(thrown.getMessage().contains("already open in this JVM"), thrown.getMessage());
            assertTrue(lock.directory().endsWith(directory.getFileName()));
        }
        try (DirectoryLock again = DirectoryLock.acquire(directory))
        {
            assertTrue(again.directory().isAbsolute());
        }
    }

    @Test
    void shouldLockOutChildProcessWhenThisJvmHoldsTheDirectory() throws Exception
    {
        try (DirectoryLock lock = DirectoryLock.acquire(directory))
        {
            final Process child = startChild("try");
            final String line = firstLine(child);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertTrue(line.startsWith("LOCKED_OUT") && line.contains("locked by another process"), line);
        }
        final Process child = startChild("try");
        assertEquals("ACQUIRED", firstLine(child));
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void shouldReleaseLockWhenHoldingProcessIsKilled() throws Exception
    {
        final Process holder = startChild("hold");
        try
        {
            assertEquals("HELD", firstLine(holder));
            final StorageException thrown = assertThrows(StorageException.class,
                () -> DirectoryLock.acquire(directory));
            assertEquals(ErrorCode.DIRECTORY_LOCKED, thrown.code());
            assertTrue(thrown.getMessage().contains("locked by another process"), thrown.getMessage());
        }
        finally
        {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (DirectoryLock lock = DirectoryLock.acquire(directory))
        {
            assertTrue(lock.directory().isAbsolute());
        }
    }

    private Process startChild(final String mode) throws IOException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(),
            mode, directory.toString()).redirectErrorStream(true).start();
    }

    private static String firstLine(final Process process) throws IOException
    {
        final BufferedReader reader =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final String line = reader.readLine();
        return line == null ? "<no output>" : line;
    }
}
