/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import jakarta.json.Json;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link CrossPrimitiveAtomicityCrashTest}: opens the database in Strict mode, begins a run, and
 * commits transactions 1, 2, 3, ... each touching KV, an event, a state cell and a JSON document, printing
 * {@code ack <n>} once transaction n returned, until it is killed.
 *
 * <p>Arguments: the database directory, the run id's two longs.
 */
public final class CrashChild
{
    private CrashChild()
    {
    }

    /**
     * Runs until killed.
     *
     * @param args directory, run id most significant bits, least significant bits.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = System.out;
        final RunId run = RunId.of(Long.parseLong(args[1]), Long.parseLong(args[2]));
        try (Database db = Database.builder().directory(Path.of(args[0])).durability(DurabilityMode.STRICT)
            .segmentLength(64 << 10).open())
        {
            db.beginRun(run);
            out.println("ready");
            out.flush();
            for (long n = 1; ; n++)
            {
                final long tx = n;
                final TxResult<Long> result = db.transaction(run, t ->
                {
                    t.put("tx/" + tx, Value.of(tx));
                    t.append("tx", Value.of(tx));
                    t.setCell("last", Value.of(tx));
                    t.createJson("doc/" + tx, Json.createObjectBuilder().add("n", tx).build());
                    return tx;
                });
                if (!result.isCommitted())
                {
                    out.println("conflict " + n);
                    out.flush();
                    System.exit(2);
                }
                out.println("ack " + n);
                out.flush();
            }
        }
    }
}
