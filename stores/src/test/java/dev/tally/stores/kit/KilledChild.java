/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a workload in a child JVM on this test's class path and kills it with SIGKILL
 * ({@code destroyForcibly()}) after a delay, then returns the whole lines it printed: the child prints
 * {@code ready} once, then a line per acknowledged record, each only after the store call returned. The child's
 * stdout goes to a file, so every line printed before the kill is read afterwards. A killed process keeps the page
 * cache, so this checks atomic visibility and recovery, not fsync ordering. Used by the test thread.
 */
public final class KilledChild
{
    private KilledChild()
    {
    }

    /**
     * Starts the child, waits until it printed {@code ready}, sleeps, kills it and returns what it printed after
     * {@code ready} (whole lines only: a line the kill cut short acknowledges nothing).
     *
     * @param main     the child's main class.
     * @param work     a scratch directory for the child's stdout file.
     * @param delayMs  how long the child runs after it is ready.
     * @param args     the child's arguments.
     * @return the acknowledgement lines, in order.
     * @throws IOException          when the child cannot be started or its output read.
     * @throws InterruptedException when interrupted.
     */
    public static List<String> runAndKill(final Class<?> main, final Path work, final long delayMs,
        final String... args) throws IOException, InterruptedException
    {
        final Path stdout = Files.createTempFile(work, "child-", ".out");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(stdout.toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(stdout).startsWith("ready\n"))
            {
                if (!process.isAlive())
                {
                    throw new AssertionError("child died before it was ready: " + Files.readString(stdout));
                }
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("child never became ready");
                }
                Thread.sleep(5);
            }
            Thread.sleep(delayMs);
            if (!process.isAlive())
            {
                throw new AssertionError("child ended by itself before the kill: " + Files.readString(stdout));
            }
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        final String text = Files.readString(stdout, StandardCharsets.UTF_8);
        Files.delete(stdout);
        final String whole = text.substring(0, text.lastIndexOf('\n') + 1);
        final List<String> lines = new ArrayList<>(Arrays.asList(whole.split("\n")));
        lines.remove(0);
        return lines;
    }
}
