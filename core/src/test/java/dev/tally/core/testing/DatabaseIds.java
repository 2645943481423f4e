/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import java.util.UUID;

/**
 * Fixed database ids for tests that write segments and snapshots by hand, so files from two tests never pass for one
 * database by accident and a failure prints an id one can recognise.
 */
public final class DatabaseIds
{
    /** The database id a test writes its files with. */
    public static final UUID DATABASE_ID = UUID.fromString("7a11e0c4-0000-4000-8000-00000000d00d");
    /** Another database's id, for files that must be rejected as foreign. */
    public static final UUID OTHER_DATABASE_ID = UUID.fromString("7a11e0c4-0000-4000-8000-00000000beef");

    private DatabaseIds()
    {
    }
}
