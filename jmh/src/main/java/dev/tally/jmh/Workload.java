/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one workload that Tally's write-path benchmarks and the peers' share, so that every engine is given the same
 * bytes: 16-byte ASCII keys, 84-byte values of seeded random bytes, and for the logs a 100-byte record (a key and a
 * value side by side). Each caller thread puts over its own {@link #KEYS_PER_THREAD} keys, numbered by
 * {@link ThreadKeys}, so a map stays bounded and threads contend only where the engine makes them. Not a benchmark;
 * any thread.
 */
public final class Workload
{
    /** Key length, bytes: a key is 16 ASCII characters. */
    public static final int KEY_LENGTH = 16;
    /** Value length, bytes. */
    public static final int VALUE_LENGTH = 84;
    /** Record length for the logs, bytes: one key and one value. */
    public static final int RECORD_LENGTH = KEY_LENGTH + VALUE_LENGTH;
    /** Keys each caller thread cycles over. */
    public static final int KEYS_PER_THREAD = 4096;
    /** Owner number of keys that belong to no caller thread (preloaded sets). */
    public static final int PRELOAD_OWNER = 99;
    private static final long SEED = 42;
    private static final String ZEROS = "000000000000";

    private Workload()
    {
    }

    /**
     * A 16-character ASCII key: {@code k}, a two-digit owner, a dash and a twelve-digit index.
     *
     * @param owner the thread number (0 to 98), or {@link #PRELOAD_OWNER} for a preloaded set.
     * @param index the index, non-negative.
     * @return the key.
     */
    public static String key(final int owner, final int index)
    {
        if (owner < 0 || owner > PRELOAD_OWNER || index < 0)
        {
            throw new IllegalArgumentException("key out of range: owner=" + owner + ", index=" + index);
        }
        final String digits = Integer.toString(index);
        return "k" + (owner < 10 ? "0" : "") + owner + "-" + ZEROS.substring(digits.length()) + digits;
    }

    /**
     * The same key as {@link #key(int, int)}, as its {@link #KEY_LENGTH} ASCII bytes.
     *
     * @param owner the thread number, or {@link #PRELOAD_OWNER}.
     * @param index the index, non-negative.
     * @return a fresh array.
     */
    public static byte[] keyBytes(final int owner, final int index)
    {
        return key(owner, index).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The value every put writes: {@link #VALUE_LENGTH} seeded random bytes, the same in every run.
     *
     * @return a fresh array.
     */
    public static byte[] value()
    {
        final byte[] bytes = new byte[VALUE_LENGTH];
        new SplittableRandom(SEED).nextBytes(bytes);
        return bytes;
    }

    /**
     * The record every log append writes: the first key of thread 0 followed by {@link #value()}, so a log is given
     * the same bytes a map is.
     *
     * @return a fresh array of {@link #RECORD_LENGTH} bytes.
     */
    public static byte[] record()
    {
        final byte[] bytes = new byte[RECORD_LENGTH];
        System.arraycopy(keyBytes(0, 0), 0, bytes, 0, KEY_LENGTH);
        System.arraycopy(value(), 0, bytes, KEY_LENGTH, VALUE_LENGTH);
        return bytes;
    }

    /** Numbers the caller threads of one trial 0, 1, 2 and so on, in the order they set up. */
    @State(Scope.Benchmark)
    public static class ThreadNumbers
    {
        private final AtomicInteger next = new AtomicInteger();

        /**
         * The next thread number; each caller thread takes one in its trial set-up.
         *
         * @return the number.
         */
        public int take()
        {
            return next.getAndIncrement();
        }
    }

    /**
     * One caller thread's keys, as strings and as bytes, and a cursor that cycles over them. Only the owning thread
     * touches it.
     */
    @State(Scope.Thread)
    public static class ThreadKeys
    {
        private int owner;
        private String[] keys;
        private byte[][] keyBytes;
        private int cursor;

        /**
         * Takes this thread's number and builds its keys.
         *
         * @param numbers the trial's thread numbering.
         */
        @Setup(Level.Trial)
        public void setUp(final ThreadNumbers numbers)
        {
            owner = numbers.take();
            keys = new String[KEYS_PER_THREAD];
            keyBytes = new byte[KEYS_PER_THREAD][];
            for (int i = 0; i < KEYS_PER_THREAD; i++)
            {
                keys[i] = key(owner, i);
                keyBytes[i] = keys[i].getBytes(StandardCharsets.US_ASCII);
            }
        }

        /**
         * This thread's number in the trial.
         *
         * @return 0 for the first thread to set up.
         */
        public int owner()
        {
            return owner;
        }

        /**
         * The next key, as a string.
         *
         * @return the key; the cursor moves on.
         */
        public String nextKey()
        {
            return keys[advance()];
        }

        /**
         * The next key, as bytes. The array is shared with later calls: do not change it.
         *
         * @return the key's bytes; the cursor moves on.
         */
        public byte[] nextKeyBytes()
        {
            return keyBytes[advance()];
        }

        private int advance()
        {
            final int i = cursor;
            cursor = i + 1 == KEYS_PER_THREAD ? 0 : i + 1;
            return i;
        }
    }
}
