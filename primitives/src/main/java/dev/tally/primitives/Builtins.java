/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.PrimitiveStorageExt;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in primitives: fresh empty instances for a database or for a snapshot's shadow state. Any thread.
 */
public final class Builtins
{
    private Builtins()
    {
    }

    /**
     * New empty instances of every built-in primitive, in type id order.
     *
     * @return a new mutable list.
     */
    public static List<LoadablePrimitive> fresh()
    {
        final List<LoadablePrimitive> list = new ArrayList<>();
        list.add(new KvPrimitive());
        list.add(new JsonPrimitive());
        list.add(new EventPrimitive());
        list.add(new StatePrimitive());
        list.add(new TracePrimitive());
        list.add(new RunsPrimitive());
        return list;
    }

    /**
     * Whether a primitive is one of the built-in ones.
     *
     * @param ext the primitive.
     * @return whether built in.
     */
    public static boolean isBuiltin(final PrimitiveStorageExt ext)
    {
        return ext instanceof KvPrimitive || ext instanceof JsonPrimitive || ext instanceof EventPrimitive
            || ext instanceof StatePrimitive || ext instanceof TracePrimitive || ext instanceof RunsPrimitive;
    }
}
