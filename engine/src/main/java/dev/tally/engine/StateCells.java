/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.core.WalEntryType;
import dev.tally.engine.internal.CommitAction;
import dev.tally.engine.internal.Engine;
import dev.tally.engine.internal.JfrEvents;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.primitives.StatePrimitive;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Versioned state cells scoped by run, with compare-and-set. Safe for any number of threads.
 */
public final class StateCells
{
    private static final int TRANSITION_ATTEMPTS_MAX = 10_000;

    private final Engine engine;
    private final StatePrimitive state;
    private final Checks checks;
    private final LongAdder conflicts;

    StateCells(final Engine engine, final StatePrimitive state, final Checks checks, final LongAdder conflicts)
    {
        this.engine = engine;
        this.state = state;
        this.checks = checks;
        this.conflicts = conflicts;
    }

    /**
     * Reads a cell; any thread.
     *
     * @param runId the run, which must exist.
     * @param name  the cell name.
     * @return the value and version, or empty.
     */
    public Optional<StateValue> get(final RunId runId, final String name)
    {
        checks.runExists(runId);
        final StatePrimitive.Cell cell = state.get(runId, checks.key(name));
        return cell == null ? Optional.empty() : Optional.of(new StateValue(cell.value(), cell.version()));
    }

    /**
     * Reads the integer of a cell that holds only integers, without its version; any thread.
     *
     * @param runId the run, which must exist.
     * @param name  the cell name.
     * @return the integer, or empty when the cell is absent.
     * @throws InvalidArgumentException with {@link ErrorCode#TYPE_MISMATCH} naming the stored type when the cell does
     *                                  not hold an integer.
     */
    public OptionalLong getLong(final RunId runId, final String name)
    {
        final Optional<StateValue> cell = get(runId, name);
        return cell.isEmpty() ? OptionalLong.empty() : OptionalLong.of(cell.get().value().asLong());
    }

    /**
     * Sets a cell, creating it when absent; any thread.
     *
     * @param runId the run, which must be active.
     * @param name  the cell name.
     * @param value the value.
     * @return the new version.
     */
    public long set(final RunId runId, final String name, final Value value)
    {
        final Key n = checks.key(name);
        final PendingEntries entries = new PendingEntries()
            .add(WalEntryType.STATE_SET.code(), StatePrimitive.valueBody(n, checks.value(value)));
        return engine.commit(checks.run(runId), entries, position -> state.get(runId, n).version());
    }

    /**
     * Creates a cell with version 1 if it does not exist; any thread.
     *
     * @param runId the run, which must be active.
     * @param name  the cell name.
     * @param value the initial value.
     * @return {@code true} if created, {@code false} if the cell existed (then nothing is written).
     */
    public boolean init(final RunId runId, final String name, final Value value)
    {
        final Key n = checks.key(name);
        final PendingEntries entries = new PendingEntries()
            .add(WalEntryType.STATE_INIT.code(), StatePrimitive.valueBody(n, checks.value(value)));
        return engine.commit(checks.run(runId), entries, new CommitAction<Boolean>()
        {
            @Override
            public Boolean check()
            {
                return state.get(runId, n) != null ? Boolean.FALSE : null;
            }

            @Override
            public Boolean applied(final long position)
            {
                return Boolean.TRUE;
            }
        });
    }

    /**
     * Sets a cell only if it has the expected version; any thread.
     *
     * @param runId           the run, which must be active.
     * @param name            the cell name; the cell must exist.
     * @param expectedVersion the version the caller read.
     * @param value           the new value.
     * @return the new version, or a conflict with the version found.
     * @throws InvalidArgumentException with {@link ErrorCode#CELL_NOT_FOUND} when the cell does not exist.
     */
    public CasResult cas(final RunId runId, final String name, final long expectedVersion, final Value value)
    {
        final Key n = checks.key(name);
        final PendingEntries entries = new PendingEntries().add(WalEntryType.STATE_TRANSITION.code(),
            StatePrimitive.transitionBody(n, expectedVersion, checks.value(value)));
        final CasResult result = engine.commit(checks.run(runId), entries, new CommitAction<CasResult>()
        {
            @Override
            public CasResult check()
            {
                final StatePrimitive.Cell cell = state.get(runId, n);
                if (cell == null)
                {
                    throw new InvalidArgumentException(ErrorCode.CELL_NOT_FOUND,
                        "compare-and-set on a cell that does not exist: run=" + runId + ", name=" + name);
                }
                return cell.version() == expectedVersion ? null : new CasResult.Conflict(expectedVersion,
                    cell.version());
            }

            @Override
            public CasResult applied(final long position)
            {
                return new CasResult.Success(expectedVersion + 1);
            }
        });
        if (!result.isSuccess())
        {
            conflicts.increment();
            final JfrEvents.CommitConflictEvent event = new JfrEvents.CommitConflictEvent();
            event.primitive = "state";
            event.conflicts = 1;
            event.commit();
        }
        return result;
    }

    /**
     * Applies a function to a cell's value atomically, retrying when another writer got there first; any thread. The
     * function runs outside the commit lock and may run more than once, so it must have no side effects.
     *
     * @param runId    the run, which must be active.
     * @param name     the cell name; the cell must exist.
     * @param function computes the new value from the current one.
     * @return the new value and version.
     * @throws InvalidArgumentException with {@link ErrorCode#CELL_NOT_FOUND} when the cell does not exist.
     */
    public StateValue transition(final RunId runId, final String name, final UnaryOperator<Value> function)
    {
        for (int attempt = 0; attempt < TRANSITION_ATTEMPTS_MAX; attempt++)
        {
            final StateValue current = get(runId, name).orElseThrow(() -> new InvalidArgumentException(
                ErrorCode.CELL_NOT_FOUND, "transition of a cell that does not exist: run=" + runId + ", name="
                + name));
            final Value next = function.apply(current.value());
            final CasResult result = cas(runId, name, current.version(), next);
            if (result instanceof CasResult.Success success)
            {
                return new StateValue(next, success.newVersion());
            }
            Thread.onSpinWait();
        }
        throw new dev.tally.core.ConflictException(ErrorCode.VERSION_CONFLICT,
            "transition lost the race too many times: attempts=" + TRANSITION_ATTEMPTS_MAX + ", name=" + name);
    }
}
