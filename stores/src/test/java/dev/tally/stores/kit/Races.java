/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.kit;

import dev.tally.core.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

/**
 * Seeded races for the contract suites: {@code contenders} threads released together by a barrier each run one
 * call, after a seed-chosen pause of a few microseconds, and the results come back in contender order. Suites assert
 * that exactly one contender won and print the seed on failure ({@code -Dtests.seed=} replays one seed). Used by the
 * test thread.
 */
public final class Races
{
    /** Contenders per race. */
    public static final int CONTENDERS = 32;
    /** Seeds per race test. */
    public static final int SEEDS = 32;

    private Races()
    {
    }

    /**
     * The seeds of a race test: {@code -Dtests.seed} alone when set, else {@link #SEEDS} fixed seeds.
     *
     * @return the seeds.
     */
    public static LongStream seeds()
    {
        final OptionalLong given = Seeds.given();
        if (given.isPresent())
        {
            return LongStream.of(given.getAsLong());
        }
        return LongStream.range(0, SEEDS).map(i -> 0x9E3779B97F4A7C15L * (i + 1));
    }

    /**
     * Runs one race.
     *
     * @param seed        the seed, which picks each contender's pause.
     * @param contenders  how many threads race.
     * @param contender   the call of contender {@code i}.
     * @param <T>         the result type.
     * @return each contender's result, or the exception it threw, in contender order.
     * @throws Exception when the race itself cannot be run.
     */
    public static <T> List<Object> run(final long seed, final int contenders, final IntFunction<T> contender)
        throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] pausesNs = new long[contenders];
        for (int i = 0; i < contenders; i++)
        {
            pausesNs[i] = random.nextInt(50_000);
        }
        final CyclicBarrier barrier = new CyclicBarrier(contenders);
        final ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try
        {
            final List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < contenders; i++)
            {
                final int index = i;
                futures.add(pool.submit(() ->
                {
                    barrier.await(30, TimeUnit.SECONDS);
                    final long until = System.nanoTime() + pausesNs[index];
                    while (System.nanoTime() < until)
                    {
                        Thread.onSpinWait();
                    }
                    try
                    {
                        return contender.apply(index);
                    }
                    catch (final RuntimeException ex)
                    {
                        return ex;
                    }
                }));
            }
            final List<Object> results = new ArrayList<>();
            for (final Future<Object> future : futures)
            {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
