/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.integration;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.RunStatus;
import dev.tally.engine.StateValue;
import dev.tally.engine.TxResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example, compiled and run as written, with what it promises checked after a reopen. */
@Timeout(60)
class ReadmeExampleTest
{
    @Test
    void shouldRunTheReadmeExampleWhenCopiedVerbatim(@TempDir final Path tmp)
    {
        final Path data = tmp.resolve("data");
        final RunId run;
        final long sequence;
        final TxResult<Long> result;
        // --- the README example, with the directory moved into the test's temporary folder ---
        try (Database db = Database.builder()
            .directory(data)
            .durability(DurabilityMode.STRICT)
            .open())
        {
            run = RunId.random();
            db.beginRun(run);
            db.kv().put(run, "order/42", Value.of(1999L));
            sequence = db.events().append(run, "order.placed", Value.of("42"));
            result = db.transaction(run, tx ->
            {
                final StateValue settled = tx.cell("settled").orElse(new StateValue(Value.of(0L), 0));
                tx.setCell("settled", Value.of(settled.value().asLong() + 1));
                return tx.append("order.settled", Value.of("42"));
            });
            db.endRun(run);
        }
        // --- end of the example ---
        assertEquals(1, sequence);
        assertTrue(result.isCommitted());
        assertEquals(2L, ((TxResult.Committed<Long>)result).value());
        try (Database db = Database.open(data))
        {
            assertEquals(Optional.of(Value.of(1999L)), db.kv().get(run, "order/42"));
            assertEquals(new StateValue(Value.of(1L), 1), db.state().get(run, "settled").orElseThrow());
            assertEquals(2, db.events().count(run));
            assertEquals(RunStatus.State.COMPLETED, db.runStatus(run).state());
            assertTrue(db.verifyReplay(run).matches());
        }
    }
}
