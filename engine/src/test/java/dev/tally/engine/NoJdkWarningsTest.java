/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Unmapper;
import dev.tally.core.Value;
import dev.tally.snapshot.SectionAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A database opened, written across segment rolls, snapshotted, reopened (the log scanner and the snapshot reader,
 * copied and in place) and closed prints nothing on standard error on the newest JDK installed beside the one running
 * the tests (Java 24 and newer warn when {@code sun.misc.Unsafe::invokeCleaner} is called; from Java 22 the engine
 * unmaps through {@code Arena} instead). The child runs on the test classpath, whose SLF4J backend is the capturing
 * one, so SLF4J's own no-backend notice does not show. Skipped when no JDK 22 or newer is found; {@code
 * -Dtests.jdk=<java home>} picks one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoJdkWarningsTest
{
    private static final int FEATURE_MIN = 22;

    @Test
    void shouldPrintNothingOnStandardErrorWhenADatabaseOpensAndClosesOnTheNewestJdk(@TempDir final Path dir)
        throws IOException, InterruptedException
    {
        final Optional<Path> javaHome = newestJdk();
        assumeTrue(javaHome.isPresent(), "no JDK " + FEATURE_MIN + " or newer found beside "
            + System.getProperty("java.home"));
        final Path stdout = dir.resolve("stdout.txt");
        final Path stderr = dir.resolve("stderr.txt");
        final List<String> command = new ArrayList<>();
        command.add(javaHome.get().resolve("bin").resolve("java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Child.class.getName());
        command.add(dir.resolve("db").toString());
        final Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile()).start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the child did not finish");
        final String err = Files.readString(stderr, StandardCharsets.UTF_8);
        final String out = Files.readString(stdout, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "child failed on " + javaHome.get() + ": " + out + err);
        assertEquals("", err, "the child printed on standard error on " + javaHome.get());
        assertEquals("done unmapAvailable=true\n", out);
    }

    /**
     * The JDK to run the child on: {@code -Dtests.jdk}, else the newest JDK of at least {@link #FEATURE_MIN} beside
     * the running one (its {@code release} file names the version).
     */
    private static Optional<Path> newestJdk() throws IOException
    {
        final String chosen = System.getProperty("tests.jdk", "");
        if (!chosen.isEmpty())
        {
            return Optional.of(Path.of(chosen));
        }
        final Path home = Path.of(System.getProperty("java.home")).toRealPath();
        final Path parent = home.getParent();
        if (parent == null)
        {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(parent))
        {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin").resolve("java")))
                .filter(h -> feature(h) >= FEATURE_MIN)
                .max(Comparator.comparingInt(NoJdkWarningsTest::feature));
        }
    }

    private static int feature(final Path javaHome)
    {
        final Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release))
        {
            return -1;
        }
        final Properties properties = new Properties();
        try (var in = Files.newInputStream(release))
        {
            properties.load(in);
            final String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
            final int dot = version.indexOf('.');
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    /** The child: every path that maps or unmaps a file, then one line on standard output. */
    public static final class Child
    {
        private Child()
        {
        }

        /**
         * Runs the child.
         *
         * @param args the database directory.
         */
        public static void main(final String[] args)
        {
            final Path dir = Path.of(args[0]);
            final RunId run = RunId.of(0x25, 0x25);
            try (Database db = Database.builder().directory(dir).segmentLength(64 << 10)
                .snapshots(new SnapshotConfig(0, 0, false, 2)).open())
            {
                db.beginRun(run);
                for (int i = 0; i < 300; i++)
                {
                    db.kv().put(run, "k" + i, Value.of(new byte[1000])); // about five segments
                }
                db.snapshot();
                db.kv().put(run, "after", Value.of(1));
            }
            for (final SectionAccess access : SectionAccess.values())
            {
                try (Database db = Database.builder().directory(dir).segmentLength(64 << 10).snapshotAccess(access)
                    .snapshots(new SnapshotConfig(0, 0, false, 2)).open())
                {
                    if (db.kv().get(run, "after").isEmpty() || db.replayRun(run).kv().list("").size() != 301)
                    {
                        throw new IllegalStateException("reopened without the writes: access=" + access);
                    }
                    db.snapshot();
                }
            }
            System.out.println("done unmapAvailable=" + Unmapper.isAvailable());
        }
    }
}
