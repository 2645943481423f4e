/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.Event;
import dev.tally.engine.StateValue;
import dev.tally.engine.TxResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The committed history of a crash workload and the check that a recovered database is a prefix of it. Step i is a
 * transaction writing key {@code t<i>} and one event, both carrying i, then a state cell {@code c} set to i. A
 * recovered database must hold exactly the first j transactions (no partial one, no invented key or event), with j
 * at least the number acknowledged, and the cell at the value of step j - 1 or j - 2 as the prefix allows.
 */
public final class History
{
    private final RunId run;
    private final List<Integer> padding = new ArrayList<>();
    private final SplittableRandom random;
    private boolean runAttempted;
    private boolean runAcknowledged;
    private int txAttempted;
    private int txAcknowledged;
    private int cellAttempted;
    private int cellAcknowledged;
    private boolean buffered;

    /**
     * Creates an empty history.
     *
     * @param random the seeded source of run id and value sizes.
     */
    public History(final SplittableRandom random)
    {
        this.random = random;
        this.run = RunId.of(random.nextLong() | 1, random.nextLong());
    }

    /**
     * Switches to Buffered semantics: a returned write is acknowledged only by a later completed {@code flush()}
     * ({@link #flushed()}).
     *
     * @return this.
     */
    public History buffered()
    {
        this.buffered = true;
        return this;
    }

    /**
     * Begins the run; a failure propagates and the run counts as attempted.
     *
     * @param db the database.
     */
    public void begin(final Database db)
    {
        runAttempted = true;
        db.beginRun(run);
        runAcknowledged = !buffered;
    }

    /**
     * Runs the next transaction; a failure propagates and the transaction counts as attempted, not acknowledged.
     *
     * @param db the database.
     */
    public void transaction(final Database db)
    {
        final int i = txAttempted;
        padding.add(random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(64));
        txAttempted++;
        final TxResult<Void> result = db.transaction(run, tx ->
        {
            tx.put(key(i), value(i));
            tx.append("e", value(i));
            return null;
        });
        if (!result.isCommitted())
        {
            throw new IllegalStateException("transaction not committed: " + result);
        }
        if (!buffered)
        {
            txAcknowledged = txAttempted;
        }
    }

    /**
     * Sets the cell to the last transaction's number; only after a transaction was acknowledged.
     *
     * @param db the database.
     */
    public void cell(final Database db)
    {
        cellAttempted = txAttempted;
        db.state().set(run, "c", Value.of(txAttempted - 1));
        if (!buffered)
        {
            cellAcknowledged = cellAttempted;
        }
    }

    /**
     * Marks everything attempted so far as acknowledged, after a completed {@code flush()} (Buffered).
     */
    public void flushed()
    {
        runAcknowledged = runAttempted;
        txAcknowledged = txAttempted;
        cellAcknowledged = cellAttempted;
    }

    /**
     * The run.
     *
     * @return the run id.
     */
    public RunId run()
    {
        return run;
    }

    /**
     * The transactions acknowledged.
     *
     * @return the count.
     */
    public int acknowledged()
    {
        return txAcknowledged;
    }

    /**
     * The transactions attempted.
     *
     * @return the count.
     */
    public int attempted()
    {
        return txAttempted;
    }

    /**
     * Checks a recovered database against the history.
     *
     * @param db the recovered database.
     * @return {@code null} when it is a prefix holding every acknowledged write, else what is wrong.
     */
    public String check(final Database db)
    {
        final long events;
        try
        {
            events = db.events().count(run);
        }
        catch (final TallyException ex)
        {
            if (ex.code() != ErrorCode.RUN_NOT_FOUND)
            {
                throw ex;
            }
            if (runAcknowledged)
            {
                return "acknowledged run lost";
            }
            if (!db.orphanedRuns().isEmpty())
            {
                return "invented runs: " + db.orphanedRuns();
            }
            return null;
        }
        if (!runAttempted)
        {
            return "invented run";
        }
        final int n = (int)events;
        if (n < txAcknowledged)
        {
            return "acknowledged transactions lost: recovered=" + n + ", acknowledged=" + txAcknowledged;
        }
        if (n > txAttempted)
        {
            return "invented transactions: recovered=" + n + ", attempted=" + txAttempted;
        }
        final List<String> keys = db.kv().list(run, null);
        if (keys.size() != n)
        {
            return "partial transaction: events=" + n + ", keys=" + keys.size();
        }
        for (int i = 0; i < n; i++)
        {
            final Optional<Value> value = db.kv().get(run, key(i));
            if (value.isEmpty() || !value.get().equals(value(i)))
            {
                return "key " + key(i) + " wrong: " + value;
            }
            final Optional<Event> event = db.events().read(run, i + 1);
            if (event.isEmpty() || !event.get().payload().equals(value(i)) || !"e".equals(event.get().type()))
            {
                return "event " + (i + 1) + " wrong: " + event;
            }
        }
        final Optional<StateValue> cell = db.state().get(run, "c");
        final long cellValue = cell.map(c -> ((Value.I64)c.value()).value()).orElse(-1L);
        if (cellValue != n - 1 && cellValue != n - 2)
        {
            return "cell not a prefix: cell=" + cellValue + ", transactions=" + n;
        }
        if (cellValue == n - 2 && n - 2 >= 0 && cellValue < 0)
        {
            return "cell lost";
        }
        if (cellAcknowledged > 0 && cellValue < cellAcknowledged - 1)
        {
            return "acknowledged cell lost: cell=" + cellValue + ", acknowledged=" + (cellAcknowledged - 1);
        }
        if (cellValue == n - 2 && n >= 2 && cell.isEmpty())
        {
            return "cell missing";
        }
        return null;
    }

    private static String key(final int i)
    {
        return "t" + i;
    }

    private Value value(final int i)
    {
        return Value.of(i + "|" + "x".repeat(padding.get(i)));
    }
}
