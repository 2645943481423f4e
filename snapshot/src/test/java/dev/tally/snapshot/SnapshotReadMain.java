/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.CorruptDataException;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Child-JVM entry point for the hostile-length test: reads each file named on the command line as a snapshot of
 * {@link SnapshotTestSupport#DATABASE_ID} and prints one line per file, the error code or {@code LOADED}. Run with a
 * small heap, an allocation sized by an unchecked length ends the process with an {@link OutOfMemoryError}.
 */
public final class SnapshotReadMain
{
    private SnapshotReadMain()
    {
    }

    public static void main(final String[] args)
    {
        final UUID databaseId = UUID.fromString(args[0]);
        for (int i = 1; i < args.length; i++)
        {
            try
            {
                SnapshotReader.read(Path.of(args[i]), databaseId);
                System.out.println("LOADED");
            }
            catch (final CorruptDataException ex)
            {
                System.out.println(ex.code().name());
            }
        }
        System.out.flush();
    }
}
