/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds for seeded property, fuzz and simulation tests.
 *
 * <p>With {@code -Dtests.seed=<seed>} (decimal, may be negative, or {@code 0x} and up to 16 hex digits) every seeded
 * test runs that one seed, which replays a failure; {@link #parse(String)} is the one parser every test uses.
 * Without it (absent or empty) a test runs its fixed seeds, which make every run cover the same ground, plus one
 * fresh random seed, which widens coverage over time. Put {@link #describe(long)} into every assertion message so
 * a failure names the seed that reproduces it.
 *
 * <pre>
 *   static List&lt;Long&gt; seeds()
 *   {
 *       return Seeds.seeds(1L, 42L);
 *   }
 *
 *   &#64;ParameterizedTest
 *   &#64;MethodSource("seeds")
 *   void shouldRoundTripWhenValuesAreRandom(final long seed) { ... assertEquals(a, b, Seeds.describe(seed)); }
 * </pre>
 */
public final class Seeds
{
    /** The system property that replays one seed. */
    public static final String PROPERTY = "tests.seed";

    private Seeds()
    {
    }

    /**
     * The seeds to run: only the {@code tests.seed} property's seed when it is set, else the fixed seeds and one
     * random seed.
     *
     * @param fixed the seeds always run when no seed is given.
     * @return a new modifiable list, never empty.
     * @throws IllegalArgumentException when the property is set but is not a seed {@link #parse(String)} accepts.
     */
    public static List<Long> seeds(final long... fixed)
    {
        return seeds(System.getProperty(PROPERTY), ThreadLocalRandom.current().nextLong(), fixed);
    }

    /**
     * The seeds to run for a given property value; {@link #seeds(long...)} without the global state, for tests.
     *
     * @param property   the property value, or {@code null}; blank means not set.
     * @param randomSeed the extra seed to add when the property is not set.
     * @param fixed      the seeds always run when the property is not set.
     * @return a new modifiable list, never empty.
     * @throws IllegalArgumentException when the property is set but is not a seed {@link #parse(String)} accepts.
     */
    public static List<Long> seeds(final String property, final long randomSeed, final long... fixed)
    {
        final List<Long> seeds = new ArrayList<>();
        if (property != null && !property.isBlank())
        {
            seeds.add(parse(property));
            return seeds;
        }
        for (final long seed : fixed)
        {
            seeds.add(seed);
        }
        seeds.add(randomSeed);
        return seeds;
    }

    /**
     * The seed given with {@code -Dtests.seed}, if any: what a test that runs one seed at a time (a crash cycle, a
     * child process) replays.
     *
     * @return the parsed seed, or empty when the property is absent or blank.
     * @throws IllegalArgumentException when the property is set but is not a seed {@link #parse(String)} accepts.
     */
    public static OptionalLong given()
    {
        final String property = System.getProperty(PROPERTY);
        return property == null || property.isBlank() ? OptionalLong.empty() : OptionalLong.of(parse(property));
    }

    /**
     * The seed given with {@code -Dtests.seed}, or a fallback.
     *
     * @param fallback the seed when none is given.
     * @return the given seed or the fallback.
     * @throws IllegalArgumentException when the property is set but is not a seed {@link #parse(String)} accepts.
     */
    public static long givenOr(final long fallback)
    {
        final OptionalLong given = given();
        return given.isPresent() ? given.getAsLong() : fallback;
    }

    /**
     * Parses a seed: a decimal {@code long} (may be negative), or {@code 0x}/{@code 0X} followed by 1 to 16 hex digits
     * read as the long's 64 bits (so {@code 0xffffffffffffffff} is -1). Surrounding blanks are ignored.
     *
     * @param text the seed's text.
     * @return the seed.
     * @throws IllegalArgumentException when the text is neither.
     */
    public static long parse(final String text)
    {
        final String trimmed = text.trim();
        try
        {
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("0x"))
            {
                final String digits = trimmed.substring(2);
                if (digits.isEmpty() || digits.length() > 16 || digits.charAt(0) == '+' || digits.charAt(0) == '-')
                {
                    throw new NumberFormatException("not 1 to 16 hex digits");
                }
                return Long.parseUnsignedLong(digits, 16);
            }
            return Long.parseLong(trimmed);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("-D" + PROPERTY
                + " must be a decimal long or 0x and up to 16 hex digits: value=" + text, ex);
        }
    }

    /**
     * The text that names a seed in a failure message.
     *
     * @param seed the seed.
     * @return {@code "seed=<seed> (rerun with -Dtests.seed=<seed>)"}.
     */
    public static String describe(final long seed)
    {
        return "seed=" + seed + " (rerun with -D" + PROPERTY + "=" + seed + ")";
    }
}
