/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.core.RunId;
import dev.tally.engine.Database;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the callers of {@code awaitEvents} when an append to their run has become durable, shared by every store
 * instance on one {@link Database} and namespace (a static weak map keyed by the database, so a closed and dropped
 * database takes its signals with it). Only runs somebody waits for have a channel, so an append costs one map
 * lookup. Any thread.
 *
 * <p>Design note: a waiter enters its run's channel before its first fetch and reads the channel's version before
 * each fetch; an appender bumps the version after its commit is durable. So a commit either is seen by the fetch or
 * changes the version, and no wake-up is lost. Commits of another process cannot signal (the engine allows one
 * process per directory), and the waiter also re-checks at a bounded interval as a backstop.
 */
final class CommitSignals
{
    private static final Map<Database, Map<RunId, CommitSignals>> REGISTRY = new WeakHashMap<>();

    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

    private CommitSignals()
    {
    }

    /** One run's waiters: a version bumped on every durable append, and the number of waiters. */
    static final class Channel
    {
        private long version;
        private int waiterCount;

        synchronized long version()
        {
            return version;
        }

        /** Waits until the version moves past {@code seen}, or the time is up; returns at once if it already has. */
        synchronized void awaitChange(final long seen, final long timeoutMs) throws InterruptedException
        {
            if (version == seen && timeoutMs > 0)
            {
                wait(timeoutMs);
            }
        }

        synchronized void signal()
        {
            version++;
            notifyAll();
        }
    }

    static CommitSignals of(final Database db, final RunId namespace)
    {
        synchronized (REGISTRY)
        {
            return REGISTRY.computeIfAbsent(db, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(namespace, n -> new CommitSignals());
        }
    }

    Channel enter(final String runId)
    {
        return channels.compute(runId, (k, c) ->
        {
            final Channel channel = c == null ? new Channel() : c;
            channel.waiterCount++;
            return channel;
        });
    }

    void leave(final String runId, final Channel channel)
    {
        channels.compute(runId, (k, c) ->
        {
            if (c == channel && --channel.waiterCount == 0)
            {
                return null;
            }
            return c;
        });
    }

    void signal(final String runId)
    {
        final Channel channel = channels.get(runId);
        if (channel != null)
        {
            channel.signal();
        }
    }
}
