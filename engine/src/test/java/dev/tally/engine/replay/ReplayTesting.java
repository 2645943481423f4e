/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.replay;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.engine.SpanRecord;
import jakarta.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Shared helpers for the replay tests: fixed run ids, a run that writes to all five primitives, and a fingerprint of
 * every file in a directory (name, size and SHA-256 of the contents).
 */
final class ReplayTesting
{
    private ReplayTesting()
    {
    }

    static RunId run(final int n)
    {
        return new RunId(new UUID(0x7a11L, n));
    }

    /**
     * Writes {@code rounds} rounds of single writes and one transaction per round to all five primitives.
     */
    static void writeMixed(final Database db, final RunId run, final int rounds, final String tag)
    {
        for (int i = 0; i < rounds; i++)
        {
            db.kv().put(run, "k" + (i % 7), Value.of(tag + i));
            db.events().append(run, "step", Value.of((long)i));
            db.state().set(run, "counter", Value.of((long)i));
            final int round = i;
            db.transaction(run, tx ->
            {
                tx.put("tx" + (round % 5), Value.of(round * 1.5));
                tx.append("tx-step", Value.of(tag));
                tx.setCell("phase", Value.of("p" + round % 3));
                return null;
            });
            if (i % 4 == 0)
            {
                db.json().create(run, "doc" + tag + i, Json.createObjectBuilder().add("round", i).add("tag", tag)
                    .build());
                db.traces().record(run, SpanRecord.of("span" + i, 1000L * i, 1000L * i + 10));
            }
            if (i % 6 == 5)
            {
                db.kv().delete(run, "k" + (i % 7));
            }
        }
    }

    static Map<String, String> fingerprint(final Path directory)
    {
        final Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                out.put(directory.relativize(file).toString(), bytes.length + ":" + HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        return out;
    }

    static void copyDirectory(final Path from, final Path to)
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : files.toList())
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else if (!file.getFileName().toString().endsWith(".lock"))
                {
                    Files.copy(file, target);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
