/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.tally.tools.TallyFixtures.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: the real quick set runs end to end against the built benchmarks jar and measures every case. Method: runs
 * {@code tally bench --json FILE --plot FILE} (about two minutes; needs an idle machine, so it is tagged slow) and
 * checks that every case has a positive throughput and ordered percentiles. Build the jar first with
 * {@code mvn -q -pl jmh -am package -DskipTests}, then {@code mvn -pl tools -am test -Pslow
 * -Dtest=BenchQuickRunTest -Dsurefire.failIfNoSpecifiedTests=false}. The figures are not asserted: they are data.
 */
@Tag("slow")
class BenchQuickRunTest
{
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldMeasureEveryCaseWhenRunningTheQuickSet(@TempDir final Path dir) throws Exception
    {
        final Path jar = Path.of("..", "jmh", "target", "benchmarks.jar").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "build the benchmarks jar first: " + jar);
        final Path json = dir.resolve("bench.json");
        final Path svg = dir.resolve("bench.svg");
        final TallyFixtures.Result run = tally("bench", "--jar", jar.toString(), "--json", json.toString(), "--plot",
            svg.toString());
        assertEquals(0, run.code(), run::toString);
        final JsonObject document = Json.PROVIDER.createReader(new StringReader(Files.readString(json)))
            .readObject();
        final JsonArray results = document.getJsonArray("results");
        assertEquals(BenchSet.quick().cases().size(), results.size(), run::toString);
        for (int i = 0; i < results.size(); i++)
        {
            final JsonObject result = results.getJsonObject(i);
            assertTrue(result.getJsonNumber("opsPerSec").doubleValue() > 0, result::toString);
            final double p50 = result.getJsonNumber("p50Us").doubleValue();
            final double p99 = result.getJsonNumber("p99Us").doubleValue();
            final double p999 = result.getJsonNumber("p999Us").doubleValue();
            assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999, result::toString);
        }
        assertEquals(4, document.getJsonObject("ratios").size(), run::toString);
        assertTrue(Files.readString(svg).contains("<svg"), "the plot was written");
    }
}
