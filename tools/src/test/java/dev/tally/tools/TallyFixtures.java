/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.engine.SnapshotConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Real database directories for the command tests, the commands run in-process, and file damage. */
final class TallyFixtures
{
    static final RunId RUN_A = RunId.parse("00000000-0000-4000-8000-00000000000a");
    static final RunId RUN_B = RunId.parse("00000000-0000-4000-8000-00000000000b");

    record Result(int code, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    private TallyFixtures()
    {
    }

    static Result tally(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Tally.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Two runs over several 64 KiB segments, a snapshot part-way, more writes after it; closed cleanly. */
    static Path database(final Path dir, final boolean withSnapshot)
    {
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).segmentLength(64 << 10)
            .snapshots(SnapshotConfig.MANUAL).open())
        {
            db.beginRun(RUN_A);
            db.beginRun(RUN_B);
            db.state().init(RUN_A, "count", Value.of(0L));
            write(db, 0, 150);
            if (withSnapshot)
            {
                db.snapshot();
            }
            write(db, 150, 300);
            db.endRun(RUN_A);
        }
        return dir;
    }

    private static void write(final Database db, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final int order = i;
            db.transaction(RUN_A, tx ->
            {
                tx.put("order/" + order, Value.of("x".repeat(200) + order));
                tx.append("placed", Value.of((long)order));
                tx.casCell("count", tx.cell("count").orElseThrow().version(), Value.of((long)order + 1));
                return null;
            });
            db.kv().put(RUN_B, "order/" + order, Value.of((long)order * 2));
        }
    }

    static List<Path> files(final Path dir, final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static List<Long> framePositions(final Path dir)
    {
        final Result dump = tally("dump", dir.toString(), "--json");
        final Matcher matcher = Pattern.compile("\"position\":(\\d+)").matcher(dump.out());
        final java.util.ArrayList<Long> positions = new java.util.ArrayList<>();
        while (matcher.find())
        {
            positions.add(Long.parseLong(matcher.group(1)));
        }
        return positions;
    }

    static void flipBit(final Path file, final long offset) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x10);
        }
    }

    static void writeBytes(final Path file, final long offset, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            raf.write(bytes);
        }
    }

    /** A digest of every file's name and bytes, to prove a command changed nothing. */
    static String hashDirectory(final Path dir) throws Exception
    {
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.filter(Files::isRegularFile).sorted().toList())
            {
                digest.update(dir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
                digest.update((byte)0);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
