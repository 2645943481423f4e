/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives.internal;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Entries decoded from a snapshot section in strictly ascending key order, turned into a
 * {@link ConcurrentSkipListMap} in linear time (its sorted-map constructor builds the index in one pass instead of
 * one search per key). Loading thread only.
 *
 * <p>Design note: snapshot sections are canonical, so keys arrive sorted; the order is checked as entries are added,
 * because a damaged section with keys out of order would break the skip list's invariants.
 *
 * @param <K> the key type.
 * @param <V> the value type.
 */
public final class SortedEntries<K extends Comparable<K>, V> extends AbstractMap<K, V> implements SortedMap<K, V>
{
    private final List<Map.Entry<K, V>> entries;

    /**
     * Creates an empty list with room for a number of entries.
     *
     * @param capacity the expected count.
     */
    public SortedEntries(final int capacity)
    {
        entries = new ArrayList<>(capacity);
    }

    /**
     * Adds the next entry, which must sort after the previous one.
     *
     * @param key   the key.
     * @param value the value.
     * @throws CorruptDataException when the key does not sort strictly after the previous one.
     */
    public void append(final K key, final V value)
    {
        if (!entries.isEmpty() && entries.get(entries.size() - 1).getKey().compareTo(key) >= 0)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "snapshot section keys out of order: key="
                + key);
        }
        entries.add(new SimpleImmutableEntry<>(key, value));
    }

    /**
     * Adds the next entry as it is (it must not change afterwards), which must sort after the previous one.
     *
     * @param entry the entry.
     * @throws CorruptDataException when the key does not sort strictly after the previous one.
     */
    public void appendEntry(final Map.Entry<K, V> entry)
    {
        if (!entries.isEmpty() && entries.get(entries.size() - 1).getKey().compareTo(entry.getKey()) >= 0)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_SNAPSHOT, "snapshot section keys out of order: key="
                + entry.getKey());
        }
        entries.add(entry);
    }

    /**
     * Builds the concurrent map in one pass.
     *
     * @return a new map holding the entries.
     */
    public ConcurrentSkipListMap<K, V> toConcurrentMap()
    {
        return new ConcurrentSkipListMap<>(this);
    }

    /** {@inheritDoc} */
    @Override
    public Set<Map.Entry<K, V>> entrySet()
    {
        return new AbstractSet<>()
        {
            @Override
            public Iterator<Map.Entry<K, V>> iterator()
            {
                return entries.iterator();
            }

            @Override
            public int size()
            {
                return entries.size();
            }
        };
    }

    /**
     * Natural ordering.
     *
     * @return {@code null}.
     */
    @Override
    public Comparator<? super K> comparator()
    {
        return null;
    }

    /** Not supported: only iteration is needed. */
    @Override
    public SortedMap<K, V> subMap(final K fromKey, final K toKey)
    {
        throw new UnsupportedOperationException("subMap");
    }

    /** Not supported: only iteration is needed. */
    @Override
    public SortedMap<K, V> headMap(final K toKey)
    {
        throw new UnsupportedOperationException("headMap");
    }

    /** Not supported: only iteration is needed. */
    @Override
    public SortedMap<K, V> tailMap(final K fromKey)
    {
        throw new UnsupportedOperationException("tailMap");
    }

    /** {@inheritDoc} */
    @Override
    public K firstKey()
    {
        return entries.get(0).getKey();
    }

    /** {@inheritDoc} */
    @Override
    public K lastKey()
    {
        return entries.get(entries.size() - 1).getKey();
    }
}
