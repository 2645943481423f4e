/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.internal;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.engine.Database;
import dev.tally.engine.RunStatus;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The engine run that holds one store's records: a system run, begun the first time the store opens on a database and
 * never ended. Its id is derived from the store kind and name, so reopening finds the same records and two kinds of
 * store, or two names, never share a run.
 */
public final class StoreNamespace
{
    /** The longest store name accepted. */
    public static final int NAME_LENGTH_MAX = 128;

    private StoreNamespace()
    {
    }

    /**
     * The run id of a store's namespace; pure, any thread.
     *
     * @param kind the store kind, for example {@code "idempotency"}.
     * @param name the store's name on this database.
     * @return the run id, a name-based (version 3) UUID.
     */
    public static RunId runId(final String kind, final String name)
    {
        final String text = "tally.stores/" + kind + "/" + name;
        return new RunId(UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Finds or begins a store's namespace run; any thread, usually once when the store opens.
     *
     * @param db   the database.
     * @param kind the store kind.
     * @param name the store's name; non-empty, at most {@link #NAME_LENGTH_MAX} characters.
     * @return the run id, of an active run.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} for a bad name.
     * @throws TallyException           with {@link ErrorCode#RUN_NOT_ACTIVE} when someone ended or aborted the run.
     */
    public static RunId open(final Database db, final String kind, final String name)
    {
        if (db == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "database is null");
        }
        if (name == null || name.isEmpty() || name.length() > NAME_LENGTH_MAX)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "store name must be 1 to " + NAME_LENGTH_MAX + " characters: name=" + name);
        }
        final RunId runId = runId(kind, name);
        if (db.runStatus(runId).state() == RunStatus.State.NOT_FOUND)
        {
            try
            {
                db.beginRun(runId);
            }
            catch (final TallyException ex)
            {
                if (ex.code() != ErrorCode.RUN_ALREADY_EXISTS)
                {
                    throw ex;
                }
            }
        }
        final RunStatus status = db.runStatus(runId);
        if (!status.isActive())
        {
            throw new TallyException(ErrorCode.RUN_NOT_ACTIVE, "the namespace run of store " + kind + "/" + name
                + " was ended or aborted and takes no more writes: run=" + runId + ", state=" + status.state());
        }
        return runId;
    }
}
