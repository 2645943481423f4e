/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Releases a file mapping at once instead of when the garbage collector finds its buffer unreachable.
 *
 * <p>Design note: Java 17 has no public unmap. A mapping left to the collector keeps the pages of its file pinned:
 * with a large heap that collects rarely, the segments a log has rolled past (deleted ones included) stay mapped by
 * the hundreds, and the kernel then creates each new segment's pages many times slower (measured: writing a 64 MiB
 * segment of zeros went from 11 ms to 155 ms after 20 rolls). The only way to unmap on 17 is the cleaner behind {@code
 * sun.misc.Unsafe#invokeCleaner}, reached here by reflection (the {@code jdk.unsupported} module exports it). When it
 * is not available, {@link #unmap} reports {@code false} and the collector unmaps as before.
 *
 * <p>Safety: touching a buffer after it was unmapped crashes the JVM, so callers unmap only a buffer no thread will
 * touch again: the log writer unmaps a segment after its roll has forced it and moved on, and on close only from
 * the owner thread or once the owner has ended; the log scanner and the snapshot reader unmap what they mapped once
 * they have copied out what they need. Any thread, under that rule.
 */
public final class Unmapper
{
    private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

    private Unmapper()
    {
    }

    /**
     * Whether {@link #unmap} can release mappings on this JVM; any thread.
     *
     * @return {@code true} when the cleaner was found.
     */
    public static boolean isAvailable()
    {
        return INVOKE_CLEANER != null;
    }

    /**
     * Unmaps a buffer returned by {@code FileChannel.map}; the caller guarantees that no thread touches it again.
     * Duplicates, slices and buffers of other kinds are left to the collector.
     *
     * @param buffer the mapping, or {@code null}.
     * @return whether the mapping was released now.
     */
    public static boolean unmap(final MappedByteBuffer buffer)
    {
        if (buffer == null || INVOKE_CLEANER == null)
        {
            return false;
        }
        try
        {
            INVOKE_CLEANER.invokeExact((ByteBuffer)buffer);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false; // a duplicate or a slice: it owns no mapping of its own
        }
        catch (final Throwable ex)
        {
            return false; // the collector unmaps it later; nothing is lost
        }
    }

    private static MethodHandle findInvokeCleaner()
    {
        try
        {
            final Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            final Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            final Object unsafe = field.get(null);
            return MethodHandles.lookup()
                .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                .bindTo(unsafe);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }
}
