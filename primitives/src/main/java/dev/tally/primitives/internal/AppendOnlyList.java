/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import java.util.Arrays;

/**
 * A list with one writer and many lock-free readers: the writer appends under the engine's commit lock and publishes
 * the new size last, so a reader that reads the size first sees every element below it.
 *
 * @param <T> the element type.
 */
public final class AppendOnlyList<T>
{
    private volatile Object[] elements = new Object[8];
    private volatile int size;

    /**
     * Appends; commit-lock holder only.
     *
     * @param element the element.
     */
    public void add(final T element)
    {
        Object[] array = elements;
        final int n = size;
        if (n == array.length)
        {
            array = Arrays.copyOf(array, n * 2);
            elements = array;
        }
        array[n] = element;
        size = n + 1; // release: publishes the element before the size
    }

    /**
     * Removes every element; commit-lock holder only, when no reader can run (recovery, snapshot load).
     */
    public void clear()
    {
        elements = new Object[8];
        size = 0;
    }

    /**
     * The number of elements; any thread.
     *
     * @return the size.
     */
    public int size()
    {
        return size;
    }

    /**
     * An element; any thread, for an index below a size read before.
     *
     * @param index 0-based.
     * @return the element.
     */
    @SuppressWarnings("unchecked")
    public T get(final int index)
    {
        final int n = size; // acquire: the size first, then the array
        if (index < 0 || index >= n)
        {
            throw new IndexOutOfBoundsException("index=" + index + ", size=" + n);
        }
        return (T)elements[index];
    }
}
