/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.RunId;
import dev.tally.engine.Database;
import dev.tally.engine.ReadOnlyView;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The child JVM of the replay tests. {@code hash <dir> <run>} opens a database, prints the run's replay hash and the
 * SHA-256 of its view's JSON text, and exits; {@code orphan <dir> <run>} begins the run, writes to it in Strict mode,
 * prints {@code READY <replay hash>} and waits to be killed.
 */
public final class ReplayChild
{
    private ReplayChild()
    {
    }

    /**
     * Runs one mode.
     *
     * @param args mode, directory, run id.
     * @throws Exception when anything fails, which the parent sees as a non-zero exit.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[1]);
        final RunId run = new RunId(UUID.fromString(args[2]));
        if ("hash".equals(args[0]))
        {
            try (Database db = Database.open(dir))
            {
                final ReadOnlyView view = db.replayRun(run);
                final byte[] json = view.toJsonText().getBytes(StandardCharsets.UTF_8);
                System.out.println("HASH " + db.replayHash(run));
                System.out.println("JSON " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json)));
            }
            return;
        }
        final Database db = Database.open(dir);
        db.beginRun(run);
        ReplayTesting.writeMixed(db, run, 5, "orphan");
        System.out.println("READY " + db.replayHash(run));
        System.out.flush();
        Thread.sleep(600_000);
    }
}
