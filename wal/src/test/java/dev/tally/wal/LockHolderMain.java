/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;

import java.nio.file.Path;

/**
 * A child process for {@link DirectoryLockTest}: {@code try <dir>} prints ACQUIRED or LOCKED_OUT and exits;
 * {@code hold <dir>} acquires, prints HELD and waits to be killed (at most a minute).
 */
public final class LockHolderMain
{
    private LockHolderMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Path directory = Path.of(args[1]);
        if ("try".equals(args[0]))
        {
            try (DirectoryLock lock = DirectoryLock.acquire(directory))
            {
                System.out.println("ACQUIRED");
            }
            catch (final StorageException ex)
            {
                System.out.println(ex.code() == ErrorCode.DIRECTORY_LOCKED ? "LOCKED_OUT " + ex.getMessage() :
                    "ERROR " + ex.getMessage());
            }
            System.out.flush();
            return;
        }
        final DirectoryLock lock = DirectoryLock.acquire(directory);
        System.out.println("HELD");
        System.out.flush();
        Thread.sleep(60_000);
        lock.close();
    }
}
