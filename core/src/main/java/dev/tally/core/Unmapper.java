/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps files and releases a mapping at once instead of when the garbage collector finds its buffer unreachable.
 *
 * <p>Design note: a mapping left to the collector keeps the pages of its file pinned: with a large heap that collects
 * rarely, the segments a log has rolled past (deleted ones included) stay mapped by the hundreds, and the kernel then
 * creates each new segment's pages many times slower (measured: writing a 64 MiB segment of zeros went from 11 ms to
 * 155 ms after 20 rolls). Java 17 has no public unmap: there the only way is the cleaner behind {@code
 * sun.misc.Unsafe#invokeCleaner}, reached by reflection (the {@code jdk.unsupported} module exports it), and any
 * {@code FileChannel.map} buffer can be released. From Java 22 the public foreign memory API unmaps: {@link #map}
 * maps the file into its own shared {@code Arena} ({@code FileChannel.map(mode, position, size, arena)}) and hands out
 * the segment's buffer, and {@link #unmap} closes that arena; {@code invokeCleaner} is never called there, since Java
 * 24 warns on standard error when it is. The Java 22 API is reached through method handles on its public classes,
 * so one jar built with {@code --release 17} takes the right path on every JDK, whichever JDK built it. A buffer mapped
 * by {@link #map} that is never unmapped is released by the next {@link #map} or {@link #unmap} call after the
 * collector found it unreachable (no thread of its own does it). When
 * neither way is available, {@link #unmap} reports {@code false} and the collector unmaps.
 *
 * <p>Safety: touching a buffer after it was unmapped crashes the JVM on Java 17 (from Java 22 the access throws
 * {@code IllegalStateException} instead), so callers unmap only a buffer no thread will touch again: the log writer
 * unmaps a segment after its roll has forced it and moved on, and on close only from the owner thread or once the
 * owner has ended; the log scanner and the snapshot reader unmap what they mapped once they have copied out what they
 * need. Any thread, under that rule.
 */
public final class Unmapper
{
    private static final Foreign FOREIGN = Foreign.find();
    private static final MethodHandle INVOKE_CLEANER = FOREIGN == null ? findInvokeCleaner() : null;

    private Unmapper()
    {
    }

    /**
     * Whether {@link #unmap} can release mappings on this JVM; any thread.
     *
     * @return {@code true} when mappings made by {@link #map} can be released now.
     */
    public static boolean isAvailable()
    {
        return FOREIGN != null || INVOKE_CLEANER != null;
    }

    /**
     * Maps a region of a file so that {@link #unmap} can release it; any thread. The mapping outlives the channel.
     *
     * @param channel  the open file.
     * @param mode     the map mode.
     * @param position where the region starts in the file.
     * @param length   the region's length in bytes, at most {@code Integer.MAX_VALUE}.
     * @return the mapping.
     * @throws IOException when the file cannot be mapped.
     */
    public static MappedByteBuffer map(final FileChannel channel, final FileChannel.MapMode mode, final long position,
        final long length) throws IOException
    {
        if (FOREIGN == null)
        {
            return channel.map(mode, position, length);
        }
        return FOREIGN.map(channel, mode, position, length);
    }

    /**
     * Unmaps a buffer returned by {@link #map} (on Java 17 also one returned by {@code FileChannel.map}); the caller
     * guarantees that no thread touches it again. Duplicates, slices and buffers of other kinds are left to the
     * collector.
     *
     * @param buffer the mapping, or {@code null}.
     * @return whether the mapping was released now.
     */
    public static boolean unmap(final MappedByteBuffer buffer)
    {
        if (buffer == null)
        {
            return false;
        }
        if (FOREIGN != null)
        {
            return FOREIGN.unmap(buffer);
        }
        if (INVOKE_CLEANER == null)
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

    /**
     * The Java 22 foreign memory API, through method handles: each mapping in its own shared arena, found again by
     * the address of its first byte. The arena of a mapping whose buffer became unreachable unmapped is closed by the
     * next call, from a reference queue.
     */
    private static final class Foreign
    {
        private static final int FEATURE_MIN = 22;

        private final MethodHandle ofShared;
        private final MethodHandle mapInArena;
        private final MethodHandle asByteBuffer;
        private final MethodHandle ofBuffer;
        private final MethodHandle address;
        private final MethodHandle close;
        private final ReferenceQueue<MappedByteBuffer> unreachable = new ReferenceQueue<>();
        private final Map<Long, Mapping> mappings = new HashMap<>();

        private Foreign(final MethodHandle ofShared, final MethodHandle mapInArena, final MethodHandle asByteBuffer,
            final MethodHandle ofBuffer, final MethodHandle address, final MethodHandle close)
        {
            this.ofShared = ofShared;
            this.mapInArena = mapInArena;
            this.asByteBuffer = asByteBuffer;
            this.ofBuffer = ofBuffer;
            this.address = address;
            this.close = close;
        }

        static Foreign find()
        {
            if (Runtime.version().feature() < FEATURE_MIN)
            {
                return null;
            }
            try
            {
                final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                final Class<?> arena = Class.forName("java.lang.foreign.Arena");
                final Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                return new Foreign(
                    lookup.findStatic(arena, "ofShared", MethodType.methodType(arena))
                        .asType(MethodType.methodType(Object.class)),
                    lookup.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                        FileChannel.MapMode.class, long.class, long.class, arena)).asType(MethodType.methodType(
                            Object.class, FileChannel.class, FileChannel.MapMode.class, long.class, long.class,
                            Object.class)),
                    lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class))
                        .asType(MethodType.methodType(ByteBuffer.class, Object.class)),
                    lookup.findStatic(segment, "ofBuffer", MethodType.methodType(segment, Buffer.class))
                        .asType(MethodType.methodType(Object.class, Buffer.class)),
                    lookup.findVirtual(segment, "address", MethodType.methodType(long.class))
                        .asType(MethodType.methodType(long.class, Object.class)),
                    lookup.findVirtual(arena, "close", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class)));
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                return null;
            }
        }

        MappedByteBuffer map(final FileChannel channel, final FileChannel.MapMode mode, final long position,
            final long length) throws IOException
        {
            releaseUnreachable();
            try
            {
                final Object arena = ofShared.invokeExact();
                final Object segment;
                try
                {
                    segment = mapInArena.invokeExact(channel, mode, position, length, arena);
                }
                catch (final Throwable ex)
                {
                    close.invokeExact(arena);
                    throw ex;
                }
                final MappedByteBuffer buffer = (MappedByteBuffer)(ByteBuffer)asByteBuffer.invokeExact(segment);
                final long base = (long)address.invokeExact(segment);
                synchronized (mappings)
                {
                    mappings.put(base, new Mapping(buffer, unreachable, arena, base));
                }
                return buffer;
            }
            catch (final IOException | RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable ex)
            {
                throw new IOException("cannot map file: " + ex, ex);
            }
        }

        boolean unmap(final MappedByteBuffer buffer)
        {
            releaseUnreachable();
            final Mapping mapping;
            try
            {
                final long base = (long)address.invokeExact(ofBuffer.invokeExact((Buffer)buffer)) - buffer.position();
                synchronized (mappings)
                {
                    final Mapping found = mappings.get(base);
                    if (found == null || found.get() != buffer)
                    {
                        return false; // not mapped here, or a duplicate or a slice: it owns no mapping of its own
                    }
                    mappings.remove(base);
                    mapping = found;
                }
            }
            catch (final Throwable ex)
            {
                return false; // the collector unmaps it later; nothing is lost
            }
            mapping.clear();
            return closeArena(mapping);
        }

        /** Closes the arenas of mappings whose buffers the collector found unreachable; bounded by their count. */
        private void releaseUnreachable()
        {
            for (Object ref = unreachable.poll(); ref != null; ref = unreachable.poll())
            {
                final Mapping mapping = (Mapping)ref;
                synchronized (mappings)
                {
                    mappings.remove(mapping.base, mapping);
                }
                closeArena(mapping);
            }
        }

        private boolean closeArena(final Mapping mapping)
        {
            try
            {
                close.invokeExact(mapping.arena);
                return true;
            }
            catch (final Throwable ex)
            {
                return false; // still in use by another thread: the caller broke the rule; it stays mapped
            }
        }
    }

    /** One mapping made by {@link Foreign#map}: a weak reference to the buffer handed out, and its arena. */
    private static final class Mapping extends WeakReference<MappedByteBuffer>
    {
        private final Object arena;
        private final long base;

        Mapping(final MappedByteBuffer buffer, final ReferenceQueue<MappedByteBuffer> queue, final Object arena,
            final long base)
        {
            super(buffer, queue);
            this.arena = arena;
            this.base = base;
        }
    }
}
