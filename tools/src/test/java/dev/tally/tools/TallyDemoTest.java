/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the demo's promise holds on a short workload: a child JVM killed with SIGKILL at a seeded random point loses
 * no acknowledged write and invents none, in the five primitives and in the three contract stores (payments replay,
 * their handler ran once, run events stay at their runSeq, settlements are in the channel). Method: tally demo with a
 * fixed seed, two runs of 60 orders, in a directory the test owns. Replay a failure with the seed printed in the output (tally demo --seed N).
 */
@Timeout(90)
class TallyDemoTest
{
    private static final List<String> STORE_CHECKS = List.of(
        "every acknowledged payment replays and its handler ran once",
        "every acknowledged run event is at its runSeq",
        "every acknowledged settlement is in the channel",
        "the contract stores invented nothing");

    @Test
    void shouldPassEveryCheckWhenTheChildIsKilled(@TempDir final Path dir)
    {
        final TallyFixtures.Result result = tally("demo", "--dir", dir.resolve("db").toString(), "--runs", "2",
            "--orders", "60", "--seed", "7");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().contains("with SIGKILL after"), result::toString);
        assertTrue(result.out().contains("ok      every acknowledged write is present"), result::toString);
        assertTrue(result.out().contains("ok      nothing invented"), result::toString);
        for (final String check : STORE_CHECKS)
        {
            assertTrue(result.out().contains("ok      " + check + ": "), () -> check + " in " + result);
        }
        assertTrue(result.out().contains("PASS: 10 of 10 checks passed"), result::toString);
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
        final JsonObject report = Json.createReader(new StringReader(result.out())).readObject();
        assertTrue(report.getBoolean("contractStores"), result::toString);
        assertTrue(report.getJsonObject("storeAcknowledged").getInt("payments") > 0, result::toString);
        final List<String> passed = report.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
            .filter(check -> check.getBoolean("passed")).map(check -> check.getString("name")).toList();
        assertTrue(passed.containsAll(STORE_CHECKS), () -> passed + " in " + result);
        assertEquals(10, passed.size(), result::toString);
    }
}
