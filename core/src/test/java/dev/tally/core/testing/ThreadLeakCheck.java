/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JUnit 5 extension that fails a test, or a test class, which leaves a {@code tally-*} thread alive (a writer, a
 * snapshotter, a spare-segment thread of a database it never closed). It records the threads alive before each test
 * and before the class and, after each (after its {@code @AfterEach} and {@code @AfterAll} methods), waits up to
 * {@link #GRACE_MS} for the new ones to end. Threads alive before are not judged: they belong to someone else.
 *
 * <p>A module registers it for every test class by listing it in its test resources'
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and setting
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in its {@code junit-platform.properties}; one class
 * can also use {@code @ExtendWith(ThreadLeakCheck.class)}. JUnit calls it on the test thread.
 */
public final class ThreadLeakCheck
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback
{
    /** The prefix of every thread the engine starts. */
    public static final String THREAD_PREFIX = "tally-";
    /** How long the threads of closed databases get to end after the class. */
    public static final long GRACE_MS = 5_000;

    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(ThreadLeakCheck.class);
    private static final String BEFORE = "threadsBefore";

    /**
     * {@inheritDoc}
     */
    @Override
    public void beforeAll(final ExtensionContext context)
    {
        context.getStore(NAMESPACE).put(BEFORE, tallyThreads());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void afterAll(final ExtensionContext context)
    {
        check(context);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void beforeEach(final ExtensionContext context)
    {
        context.getStore(NAMESPACE).put(BEFORE, tallyThreads());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void afterEach(final ExtensionContext context)
    {
        check(context);
    }

    @SuppressWarnings("unchecked")
    private static void check(final ExtensionContext context)
    {
        final Set<Thread> before = (Set<Thread>)context.getStore(NAMESPACE).remove(BEFORE, Set.class);
        final List<Thread> leaked = newThreadsAfterGrace(before == null ? Set.of() : before, GRACE_MS);
        if (!leaked.isEmpty())
        {
            throw new AssertionError(context.getDisplayName() + " left threads alive: " + leaked.stream()
                .map(Thread::getName).sorted().collect(Collectors.joining(", ")));
        }
    }

    /**
     * The live threads whose name starts with {@link #THREAD_PREFIX}.
     *
     * @return the threads.
     */
    public static Set<Thread> tallyThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith(THREAD_PREFIX)).collect(Collectors.toSet());
    }

    /**
     * Waits up to a grace period for the {@code tally-*} threads not in {@code before} to end.
     *
     * @param before  the threads alive earlier, which are not judged.
     * @param graceMs how long to wait.
     * @return the new threads still alive after the wait, empty when none.
     */
    public static List<Thread> newThreadsAfterGrace(final Set<Thread> before, final long graceMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
        while (true)
        {
            final List<Thread> alive = tallyThreads().stream().filter(t -> !before.contains(t)).toList();
            if (alive.isEmpty() || System.nanoTime() - deadline > 0)
            {
                return alive;
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return alive;
            }
        }
    }
}
