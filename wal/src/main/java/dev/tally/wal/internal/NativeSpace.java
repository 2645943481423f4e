/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reserves file space with {@code posix_fallocate(3)} through JNA, so that a segment's blocks are allocated (a full
 * disk fails here, with {@code ENOSPC}) without writing a byte of zeros. Stateless; any thread.
 * <p>
 * Design note: a force of pages written into allocated-but-unwritten extents costs, on the reference machine's ext4,
 * 40 % of one into blocks that were zero-filled through the file channel, because the zero-filled blocks are
 * overwritten in place behind a separate cache flush (docs/PERFORMANCE.md measures both). The binding is used only
 * on 64-bit Linux, and on JDK 24 and newer only when native access is enabled for JNA's module (so that loading its
 * library prints no warning); everywhere else, and whenever the call is not supported, the caller writes zeros.
 */
public final class NativeSpace
{
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;
    private static final int JDK_WARNING_ON_NATIVE_LOAD = 24;
    private static final boolean IS_AVAILABLE = load();

    private NativeSpace()
    {
    }

    /**
     * Whether {@link #reserve} can be called on this platform and JVM; any thread.
     *
     * @return {@code true} when the binding loaded.
     */
    public static boolean isAvailable()
    {
        return IS_AVAILABLE;
    }

    /**
     * Allocates the blocks of {@code [0, length)} of an existing file; any thread.
     *
     * @param file   the file, which must exist.
     * @param length the length to allocate; the file grows to it when shorter.
     * @return {@code false} when the file system does not support the call (the caller then writes zeros).
     * @throws IOException with "No space left on device" or "Disk quota exceeded" when the space is not there, or
     *                     when the file cannot be opened.
     */
    public static boolean reserve(final Path file, final long length) throws IOException
    {
        if (!IS_AVAILABLE)
        {
            return false;
        }
        final int fd = openFile(file);
        try
        {
            final int result = posix_fallocate(fd, 0, length);
            final IOException failure = noSpace(result, file, length);
            if (failure != null)
            {
                throw failure;
            }
            return result == 0;
        }
        finally
        {
            close(fd);
        }
    }

    /**
     * The failure a {@code posix_fallocate} result stands for when the space is not there; any thread.
     *
     * @param result the function's result, an error number or 0.
     * @param file   the file.
     * @param length the length asked for.
     * @return an exception whose message {@link dev.tally.core.StorageFailures#isNoSpace} recognises, or {@code null}
     *         when the result is not a lack of space.
     */
    static IOException noSpace(final int result, final Path file, final long length)
    {
        if (result == ENOSPC)
        {
            return new IOException("No space left on device: cannot reserve " + length + " bytes for " +
                file.getFileName());
        }
        if (result == EDQUOT)
        {
            return new IOException("Disk quota exceeded: cannot reserve " + length + " bytes for " +
                file.getFileName());
        }
        return null;
    }

    private static int openFile(final Path file) throws IOException
    {
        final byte[] name = file.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        final byte[] path = new byte[name.length + 1];
        System.arraycopy(name, 0, path, 0, name.length);
        try
        {
            return open(path, O_RDWR | O_CLOEXEC);
        }
        catch (final LastErrorException ex)
        {
            throw new IOException("cannot open " + file.getFileName() + " to reserve its space: errno=" +
                ex.getErrorCode(), ex);
        }
    }

    private static boolean load()
    {
        if (!Platform.isLinux() || !Platform.is64Bit() || !isNativeLoadQuiet())
        {
            return false;
        }
        try
        {
            Native.register(NativeSpace.class, Platform.C_LIBRARY_NAME);
            return true;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            return false;
        }
    }

    private static boolean isNativeLoadQuiet()
    {
        if (Runtime.version().feature() < JDK_WARNING_ON_NATIVE_LOAD)
        {
            return true;
        }
        try
        {
            final Method enabled = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean)enabled.invoke(Native.class.getModule());
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return false;
        }
    }

    private static native int open(byte[] path, int flags) throws LastErrorException;

    private static native int posix_fallocate(int fd, long offset, long length);

    private static native int close(int fd);
}
