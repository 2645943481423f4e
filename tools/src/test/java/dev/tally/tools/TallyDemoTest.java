/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the demo's promise holds on a short workload: a child JVM killed with SIGKILL at a seeded random point loses
 * no acknowledged write and invents none. Method: tally demo with a fixed seed, two runs of 60 orders, in a directory
 * the test owns. Replay a failure with the seed printed in the output (tally demo --seed N).
 */
@Timeout(90)
class TallyDemoTest
{
    @Test
    void shouldPassEveryCheckWhenTheChildIsKilled(@TempDir final Path dir)
    {
        final TallyFixtures.Result result = tally("demo", "--dir", dir.resolve("db").toString(), "--runs", "2",
            "--orders", "60", "--seed", "7");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().contains("with SIGKILL after"), result::toString);
        assertTrue(result.out().contains("ok      every acknowledged write is present"), result::toString);
        assertTrue(result.out().contains("ok      nothing invented"), result::toString);
        assertTrue(result.out().contains("PASS: 6 of 6 checks passed"), result::toString);
        final TallyFixtures.Result describe = tally("verify", dir.resolve("db").toString());
        assertEquals(0, describe.code(), describe::toString);
    }

    @Test
    void shouldPrintOneJsonReportWhenJsonIsAsked(@TempDir final Path dir)
    {
        final TallyFixtures.Result result = tally("demo", "--dir", dir.resolve("db").toString(), "--runs", "2",
            "--orders", "40", "--seed", "11", "--json");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().startsWith("{\"seed\":11,") && result.out().strip().endsWith("\"passed\":true}"),
            result::toString);
        assertEquals(1, result.out().strip().lines().count(), result::toString);
    }
}
