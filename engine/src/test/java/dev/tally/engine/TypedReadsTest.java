/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the typed reads of the key-value store, the state cells and a transaction return the stored value without a
 * cast, empty when absent, and fail with TYPE_MISMATCH naming the stored type otherwise. Method: an InMemory database
 * with one value of each kind. Nothing random to replay.
 */
@Timeout(30)
class TypedReadsTest
{
    private static final RunId RUN = RunId.of(11, 1);

    @Test
    void shouldReadIntegersAndStringsWhenTheStoredTypeMatches()
    {
        try (Database db = Database.builder().durability(DurabilityMode.IN_MEMORY).open())
        {
            db.beginRun(RUN);
            db.kv().put(RUN, "amount", Value.of(1999L));
            db.kv().put(RUN, "currency", Value.of("EUR"));
            db.state().set(RUN, "settled", Value.of(3L));

            assertEquals(OptionalLong.of(1999), db.kv().getLong(RUN, "amount"));
            assertEquals(Optional.of("EUR"), db.kv().getString(RUN, "currency"));
            assertEquals(OptionalLong.empty(), db.kv().getLong(RUN, "absent"));
            assertEquals(Optional.empty(), db.kv().getString(RUN, "absent"));
            assertEquals(OptionalLong.of(3), db.state().getLong(RUN, "settled"));
            assertEquals(OptionalLong.empty(), db.state().getLong(RUN, "absent"));

            final TxResult<Long> result = db.transaction(RUN, tx ->
            {
                final long next = tx.cellLong("settled").orElse(0) + 1;
                tx.setCell("settled", Value.of(next));
                assertEquals(OptionalLong.of(next), tx.cellLong("settled"), "the transaction sees its own write");
                assertEquals(OptionalLong.empty(), tx.cellLong("absent"));
                return next;
            });
            assertEquals(4L, assertInstanceOf(TxResult.Committed.class, result).value());
            assertEquals(OptionalLong.of(4), db.state().getLong(RUN, "settled"));
        }
    }

    @Test
    void shouldFailWithTypeMismatchNamingTheStoredTypeWhenTheTypeDiffers()
    {
        try (Database db = Database.builder().durability(DurabilityMode.IN_MEMORY).open())
        {
            db.beginRun(RUN);
            db.kv().put(RUN, "currency", Value.of("EUR"));
            db.kv().put(RUN, "amount", Value.of(1999L));
            db.state().set(RUN, "flag", Value.of(true));

            final InvalidArgumentException notLong = assertThrows(InvalidArgumentException.class,
                () -> db.kv().getLong(RUN, "currency"));
            assertEquals(ErrorCode.TYPE_MISMATCH, notLong.code());
            assertTrue(notLong.getMessage().contains("actual=string"), notLong.getMessage());
            final InvalidArgumentException notString = assertThrows(InvalidArgumentException.class,
                () -> db.kv().getString(RUN, "amount"));
            assertEquals(ErrorCode.TYPE_MISMATCH, notString.code());
            assertTrue(notString.getMessage().contains("actual=i64"), notString.getMessage());
            final InvalidArgumentException cell = assertThrows(InvalidArgumentException.class,
                () -> db.state().getLong(RUN, "flag"));
            assertEquals(ErrorCode.TYPE_MISMATCH, cell.code());
            assertTrue(cell.getMessage().contains("actual=bool"), cell.getMessage());
        }
    }
}
