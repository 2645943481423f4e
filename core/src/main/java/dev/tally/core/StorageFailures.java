/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * Converts I/O failures of the storage modules (log segments, snapshots, locks) to unchecked exceptions with stable
 * codes, telling a full disk apart from other failures. Stateless; any thread.
 */
public final class StorageFailures
{
    private static final int CAUSE_DEPTH_MAX = 16;

    private StorageFailures()
    {
    }

    /**
     * Converts a failure, keeping it as the cause; any thread.
     *
     * @param message what was being done, in {@code name=value} form.
     * @param cause   the failure.
     * @return {@link StorageFullException} with {@link ErrorCode#STORAGE_FULL} when the disk is full, otherwise
     *         {@link StorageException} with {@link ErrorCode#STORAGE_IO}.
     */
    public static StorageException storageFailure(final String message, final Throwable cause)
    {
        if (isNoSpace(cause))
        {
            return new StorageFullException(ErrorCode.STORAGE_FULL, message + ": no space left on device", cause);
        }
        return new StorageException(ErrorCode.STORAGE_IO, message, cause);
    }

    /**
     * Whether a failure or one of its causes reports a full disk or an exhausted quota; any thread.
     *
     * @param failure the failure.
     * @return {@code true} when the device is out of space.
     */
    public static boolean isNoSpace(final Throwable failure)
    {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < CAUSE_DEPTH_MAX; depth++)
        {
            final String message = current.getMessage();
            if (message != null && (message.contains("No space left on device") ||
                message.contains("Disk quota exceeded") || message.contains("There is not enough space")))
            {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }
}
