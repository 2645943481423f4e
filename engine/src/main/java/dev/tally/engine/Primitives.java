/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.Clock;
import dev.tally.core.IdGenerator;
import dev.tally.primitives.EventPrimitive;
import dev.tally.primitives.JsonPrimitive;
import dev.tally.primitives.KvPrimitive;
import dev.tally.primitives.RunsPrimitive;
import dev.tally.primitives.StatePrimitive;
import dev.tally.primitives.TracePrimitive;

/**
 * The built-in primitives of one database, as registered. Immutable.
 *
 * @param kv     key-value.
 * @param events event logs.
 * @param state  state cells.
 * @param runs   run lifecycle.
 * @param clock  the database's clock.
 * @param json   JSON documents.
 * @param traces spans.
 * @param ids    the database's id generator.
 */
record Primitives(KvPrimitive kv, EventPrimitive events, StatePrimitive state, RunsPrimitive runs, Clock clock,
    JsonPrimitive json, TracePrimitive traces, IdGenerator ids)
{
}
