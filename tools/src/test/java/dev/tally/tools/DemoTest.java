/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class DemoTest
{
    @Test
    void shouldRecoverTheSameStateWhenDemoRuns(@TempDir final Path dir)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Tally.run(new String[] {"demo", dir.resolve("db").toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, () -> output + err.toString(StandardCharsets.UTF_8));
        assertTrue(output.contains("settled counter: StateValue[value=I64[value=2000], version=2001]"), output);
        assertTrue(output.contains("recovery rebuilt the same state, byte for byte"), output);
    }

    @Test
    void shouldExitWithUsageErrorWhenCommandIsUnknown()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Tally.run(new String[] {"nonsense"}, new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command: nonsense"));
    }
}
