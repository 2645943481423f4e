/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Database#visiblePosition()} covers a commit that readers see while its force is still pending, so waiting
 * for it to be durable waits for that force: the seam the contract stores use to answer only from durable state.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VisiblePositionTest
{
    @Test
    void shouldCoverAVisibleCommitWhoseForceIsPendingWhenAReaderWaitsForIt(@TempDir final Path dir) throws Exception
    {
        final CountDownLatch forcing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean hold = new AtomicBoolean(false);
        final RunId run = RunId.of(1, 1);
        try (Database db = Database.builder().directory(dir).durability(DurabilityMode.STRICT).segmentLength(64 << 10)
            .segmentForcer((buffer, offset, length) ->
            {
                if (hold.get())
                {
                    forcing.countDown();
                    awaitQuietly(release);
                }
                buffer.force(offset, length);
            })
            .open())
        {
            db.beginRun(run);
            assertEquals(db.durablePosition(), db.visiblePosition(), "nothing pending: visible equals durable");
            hold.set(true);
            final CompletableFuture<Void> writer = CompletableFuture.runAsync(
                () -> db.kv().put(run, "k", Value.of(1L)));
            assertTrue(forcing.await(10, TimeUnit.SECONDS), "the writer reached the force");
            assertTrue(db.kv().get(run, "k").isPresent(), "the commit is visible before its force");
            final long visible = db.visiblePosition();
            assertTrue(visible > db.durablePosition(), "the visible commit is not durable yet");
            final CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> db.awaitDurable(visible));
            Thread.sleep(100);
            assertFalse(reader.isDone(), "a reader waiting for the visible position waits for the pending force");
            hold.set(false);
            release.countDown();
            reader.get(10, TimeUnit.SECONDS);
            writer.get(10, TimeUnit.SECONDS);
            assertTrue(db.durablePosition() >= visible);
        }
    }

    @Test
    void shouldReturnAtOnceWhenInMemory()
    {
        try (Database db = Database.openInMemory())
        {
            final RunId run = RunId.of(2, 2);
            db.beginRun(run);
            db.kv().put(run, "k", Value.of(1L));
            db.awaitDurable(db.visiblePosition());
            assertTrue(db.visiblePosition() > 0);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(20, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
