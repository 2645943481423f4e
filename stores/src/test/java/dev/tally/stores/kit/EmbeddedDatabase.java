/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.core.Clock;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;

import java.nio.file.Path;

/**
 * The database behind an embedded store's {@link StoreFactory}: Strict, in a test's directory, with the force seam
 * wired to {@link ForceFaults}; {@link #reopen()} closes and opens it again on the same files. Used by the test
 * thread.
 */
public final class EmbeddedDatabase implements AutoCloseable
{
    private final Path directory;
    private final ForceFaults faults = new ForceFaults();
    private final DurabilityMode mode;
    private Database db;

    /**
     * A Strict database in a directory.
     *
     * @param directory the directory; created when missing.
     */
    public EmbeddedDatabase(final Path directory)
    {
        this(directory, DurabilityMode.STRICT);
    }

    /**
     * A database in a directory, in a mode.
     *
     * @param directory the directory (ignored for InMemory).
     * @param mode      the durability mode.
     */
    public EmbeddedDatabase(final Path directory, final DurabilityMode mode)
    {
        this.directory = directory;
        this.mode = mode;
    }

    /**
     * Opens the database the first time, or returns it.
     *
     * @return the open database.
     */
    public Database open()
    {
        if (db == null)
        {
            db = mode == DurabilityMode.IN_MEMORY ? Database.openInMemory() : Database.builder().directory(directory)
                .durability(mode).segmentLength(4 << 20).clock(Clock.system()).segmentForcer(faults).open();
        }
        return db;
    }

    /**
     * Closes and opens the database again on the same files, with nothing armed.
     *
     * @return the reopened database.
     */
    public Database reopen()
    {
        faults.clear();
        close();
        return open();
    }

    /**
     * The faults of this database's force seam.
     *
     * @return the faults.
     */
    public ForceFaults faults()
    {
        return faults;
    }

    /**
     * The database's directory.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    @Override
    public void close()
    {
        if (db != null)
        {
            faults.clear();
            db.close();
            db = null;
        }
    }
}
