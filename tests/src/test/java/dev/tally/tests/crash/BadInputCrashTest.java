/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.Value;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.testing.Seeds;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group K, bad input. Goal: hostile input is rejected with the right error code and writes nothing, and hostile
 * on-disk data never crashes a decoder. Method: (1) more than 50 hostile keys (null, empty, NUL, lone surrogates,
 * one byte over the length limit in one- to four-byte characters) through every keyed write (KV put, state set,
 * event type, transaction put), and values one byte over the value limit through every valued write, each checked
 * for {@link ErrorCode#INVALID_KEY}, {@link ErrorCode#KEY_TOO_LARGE} or {@link ErrorCode#VALUE_TOO_LARGE} and for
 * an unchanged log end; (2) seeded fuzzing with hostile lengths of every decoder in a child JVM with {@code -Xmx64m}
 * ({@link DecoderFuzzMain}): success or {@code CorruptDataException} only, never an out-of-memory error or another
 * exception. Replay the fuzzing: {@code mvn -pl tests -am verify -Dtest=BadInputCrashTest -Dtests.seed=<seed>} with
 * the printed seed.
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class BadInputCrashTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRejectHostileKeysAndOversizedValuesWithoutWriting()
    {
        final List<String[]> keys = hostileKeys();
        final List<String> names = List.of("kv put", "state set", "event type", "transaction put");
        final RunId run = RunId.of(3, 3);
        final int valueLimit = 1024;
        try (Database db = CrashHarness.builder(temp.resolve("db"), null, DurabilityMode.STRICT)
            .valueLengthMax(valueLimit).open())
        {
            db.beginRun(run);
            final List<BiConsumer<String, Value>> writes = List.of(
                (k, v) -> db.kv().put(run, k, v),
                (k, v) -> db.state().set(run, k, v),
                (k, v) -> db.events().append(run, k, v),
                (k, v) -> db.transaction(run, tx ->
                {
                    tx.put(k, v);
                    return null;
                }));
            final List<String> failures = new ArrayList<>();
            int cases = 0;
            for (final String[] key : keys)
            {
                for (int w = 0; w < writes.size(); w++)
                {
                    cases++;
                    final String failure = rejected(db, writes.get(w), key[0], Value.of(1),
                        ErrorCode.valueOf(key[1]));
                    if (failure != null)
                    {
                        failures.add(names.get(w) + " key " + printable(key[0]) + ": " + failure);
                    }
                }
            }
            // Values: at the limit accepted, one byte over rejected, through every valued write.
            final Value atLimit = bytesOfEncodedLength(valueLimit);
            final Value overLimit = bytesOfEncodedLength(valueLimit + 1);
            for (int w = 0; w < writes.size(); w++)
            {
                cases += 2;
                try
                {
                    writes.get(w).accept("ok" + w, atLimit);
                }
                catch (final TallyException ex)
                {
                    failures.add(names.get(w) + " value at the limit rejected: " + ex);
                }
                final String failure = rejected(db, writes.get(w), "big" + w, overLimit, ErrorCode.VALUE_TOO_LARGE);
                if (failure != null)
                {
                    failures.add(names.get(w) + " value one byte over: " + failure);
                }
            }
            failures.forEach(System.out::println);
            System.out.println("group K: cases=" + cases + " failures=" + failures.size() +
                " (K hostile keys and values one byte over each limit, " + keys.size() + " keys)");
            Figures.record("K hostile keys and oversized values", cases, failures.size(), 0, 0);
            assertTrue(keys.size() >= 50, "at least 50 hostile keys");
            assertEquals(List.of(), failures);
        }
    }

    @Test
    void shouldDecodeFuzzedAndHostileOnDiskDataWithoutCrashingInASmallHeap() throws Exception
    {
        final long seed = Seeds.givenOr(ThreadLocalRandom.current().nextLong());
        final long inputs = Figures.FULL ? 1_000_000 : 50_000;
        final long start = System.nanoTime();
        final Process child = CrashCycles.startJvm(DecoderFuzzMain.class, List.of("-Xmx64m"),
            List.of(temp.resolve("fuzz").toString(), Long.toString(seed), Long.toString(inputs)),
            temp.resolve("fuzz.err"));
        final List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lines.add(line);
                System.out.println(line);
            }
        }
        assertTrue(child.waitFor(2, TimeUnit.HOURS));
        final long millis = (System.nanoTime() - start) / 1_000_000;
        final String done = lines.stream().filter(l -> l.startsWith("DONE")).findFirst().orElse(null);
        final long failures = done == null ? -1 : Long.parseLong(done.substring(done.indexOf("failures=") + 9));
        final String line = "group K: cases=" + inputs + " failures=" + (done == null ? "child died" : failures);
        System.out.println(line + " (K decoder fuzzing with hostile lengths, -Xmx64m child, seed=" + seed + ", " +
            millis + " ms, " + Seeds.describe(seed) + ")");
        Figures.record("K decoder fuzzing with hostile lengths (-Xmx64m)", inputs, done == null ? 1 : failures, seed,
            millis);
        assertEquals(0, child.exitValue(), "the fuzzing child died: " + lines);
        assertEquals(0, failures, line);
    }

    private static String rejected(final Database db, final BiConsumer<String, Value> write, final String key,
        final Value value, final ErrorCode expected)
    {
        db.flush();
        final long before = db.durablePosition();
        try
        {
            write.accept(key, value);
            return "accepted";
        }
        catch (final InvalidArgumentException ex)
        {
            if (ex.code() != expected)
            {
                return "wrong code: expected=" + expected + ", actual=" + ex.code();
            }
        }
        catch (final RuntimeException ex)
        {
            return "unexpected exception: " + ex;
        }
        db.flush();
        final long after = db.durablePosition();
        return after == before ? null : "bytes written for a rejected input: " + (after - before);
    }

    private static Value bytesOfEncodedLength(final int encodedLength)
    {
        for (int n = encodedLength; n > 0; n--)
        {
            final Value value = Value.of(new byte[n]);
            if (BinaryEncoder.encodedLength(value) == encodedLength)
            {
                return value;
            }
        }
        throw new IllegalStateException("no bytes value encodes to " + encodedLength);
    }

    private static String printable(final String text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder out = new StringBuilder();
        text.chars().limit(40).forEach(c -> out.append(c >= 0x20 && c < 0x7F ? String.valueOf((char)c)
            : String.format("\\u%04x", c)));
        return out + " (length " + text.length() + ")";
    }

    static List<String[]> hostileKeys()
    {
        final List<String[]> keys = new ArrayList<>();
        final String invalid = ErrorCode.INVALID_KEY.name();
        final String tooLarge = ErrorCode.KEY_TOO_LARGE.name();
        keys.add(new String[] {null, invalid});
        keys.add(new String[] {"", invalid});
        for (final String s : List.of("\0", "a\0", "\0a", "a\0b", "\0\0\0", "key\0suffix", "\u0000\u0001"))
        {
            keys.add(new String[] {s, invalid});
        }
        for (final String s : List.of("\uD800", "\uDBFF", "\uDC00", "\uDFFF", "a\uD800", "\uD800a", "a\uDC00b",
            "\uDC00\uD800", "\uD83D", "\uDE00", "x\uD83Dy", "\uD800\uD800", "\uDFFF\uDFFF", "ok\uDBFF",
            "\uDC00ok"))
        {
            keys.add(new String[] {s, invalid});
        }
        final int max = Key.LENGTH_MAX;
        keys.add(new String[] {"a".repeat(max + 1), tooLarge});
        keys.add(new String[] {"a".repeat(max * 4), tooLarge});
        keys.add(new String[] {"a".repeat(max - 1) + "\u00e9", tooLarge});
        keys.add(new String[] {"a".repeat(max - 2) + "\u20ac", tooLarge});
        keys.add(new String[] {"a".repeat(max - 3) + "\uD83D\uDE00", tooLarge});
        keys.add(new String[] {"\u00e9".repeat(max / 2 + 1), tooLarge});
        keys.add(new String[] {"\u20ac".repeat(max / 3 + 1), tooLarge});
        keys.add(new String[] {"\uD83D\uDE00".repeat(max / 4 + 1), tooLarge});
        keys.add(new String[] {"/".repeat(max + 1), tooLarge});
        keys.add(new String[] {" ".repeat(max + 1), tooLarge});
        keys.add(new String[] {"\n".repeat(max + 1), tooLarge});
        keys.add(new String[] {"\uFFFF".repeat(max / 3 + 1), tooLarge});
        for (int i = 1; i <= 20; i++)
        {
            keys.add(new String[] {"k".repeat(max + i), tooLarge});
        }
        return keys;
    }

    /** The full tier, run by {@code mvn -pl tests -am verify -Pcrash -Dtally.tier=full}. */
    @Test
    @Tag("crash")
    void fullTier() throws Exception
    {
        Assumptions.assumeTrue(Figures.FULL, "the full tier runs with -Dtally.tier=full");
        shouldRejectHostileKeysAndOversizedValuesWithoutWriting();
        shouldDecodeFuzzedAndHostileOnDiskDataWithoutCrashingInASmallHeap();
    }

}
