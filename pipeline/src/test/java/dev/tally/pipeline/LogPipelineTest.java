/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.TxId;
import dev.tally.core.WalEntryType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goal: the writer pipeline alone, without the engine, keeps its two promises: group commit (callers that publish
 * while a force runs share the next force, and a force waits, within its bound, for a caller of the previous force
 * that is on its way back, while a lone caller never waits) and fail-stop (a failed force fails every waiter and
 * every later reserve with {@link ErrorCode#LOG_FAILED} and reports nothing durable that it covered). Method: a log in memory whose force
 * is the seam: it counts forces, records how many frames each covered, can hold a force until the test lets it go,
 * and can fail a chosen force. Deterministic; no seed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogPipelineTest
{
    private static final int CALLERS = 8;
    private static final int RING_SIZE = 64;
    private static final long SEGMENT_LENGTH = 1L << 30;
    private static final RunId RUN = RunId.of(21, 21);

    @TempDir
    Path dir;

    private final Object commitLock = new Object();

    @Test
    void shouldCoverEveryWaitingCallerWithOneForceWhenCallersPublishDuringAForce() throws Exception
    {
        final MemoryLog log = new MemoryLog().holdForce(1);
        try (LogPipeline pipeline = strictPipeline(log))
        {
            final Caller first = Caller.start(() -> commit(pipeline, 8));
            log.awaitForceEntered(1);
            final List<Caller> callers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++)
            {
                final int length = i * 3;
                callers.add(Caller.start(() -> commit(pipeline, length)));
            }
            awaitPublished(pipeline, log, 1 + CALLERS);
            for (final Caller caller : callers)
            {
                assertEquals(-1, caller.returnedEnd(), "a caller returned before any force covered its frame");
            }
            assertEquals(0, pipeline.durablePosition(), "nothing is durable while the first force runs");

            log.releaseForce();
            first.join();
            long end = first.end();
            for (final Caller caller : callers)
            {
                caller.join();
                end = Math.max(end, caller.end());
            }

            assertEquals(2, log.forces(), "the first frame's force, then one force for all the callers");
            assertEquals(List.of(1, CALLERS), log.framesPerForce(), "frames each force covered");
            assertEquals(end, pipeline.durablePosition());
            assertEquals(end, log.durablePosition());
            for (final Caller caller : callers)
            {
                assertTrue(caller.returnedEnd() <= pipeline.durablePosition());
            }
        }
        assertEquals(1, log.closes());
    }

    @Test
    void shouldFailEveryWaiterAndLaterAppendWhenForceFails() throws Exception
    {
        final MemoryLog log = new MemoryLog().holdForce(2).failForce(2);
        try (LogPipeline pipeline = strictPipeline(log))
        {
            final long durableEnd = commit(pipeline, 16);
            assertEquals(durableEnd, pipeline.durablePosition(), "the first commit is durable");

            final Caller held = Caller.start(() -> commit(pipeline, 1));
            log.awaitForceEntered(2);
            final List<Caller> callers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++)
            {
                callers.add(Caller.start(() -> commit(pipeline, 5)));
            }
            awaitPublished(pipeline, log, 2 + CALLERS);
            log.releaseForce();

            held.join();
            assertEquals(ErrorCode.LOG_FAILED, held.failure().code(), "the frame the failed force covered");
            for (final Caller caller : callers)
            {
                caller.join();
                assertEquals(ErrorCode.LOG_FAILED, caller.failure().code(), "a waiter of the failed log");
            }
            assertEquals(durableEnd, pipeline.durablePosition(), "nothing the failed force covered is durable");
            assertEquals(durableEnd, log.durablePosition());
            assertEquals(ErrorCode.STORAGE_IO, pipeline.failure().code(), "the pipeline keeps the force's failure");

            final long appends = log.appends();
            final StorageException later = assertThrows(StorageException.class, () -> commit(pipeline, 3));
            assertEquals(ErrorCode.LOG_FAILED, later.code(), "a later append");
            final StorageException flush = assertThrows(StorageException.class,
                () -> pipeline.flush(pipeline.publishedEnd()));
            assertEquals(ErrorCode.LOG_FAILED, flush.code(), "a later flush");
            final StorageException wait = assertThrows(StorageException.class,
                () -> pipeline.awaitDurable(durableEnd + 1));
            assertEquals(ErrorCode.LOG_FAILED, wait.code(), "a later wait past the durable position");
            assertEquals(appends, log.appends(), "nothing reaches the log after the failure");
            assertEquals(2, log.forces(), "no force after the failed one");
        }
    }

    @Test
    void shouldNeverWaitForOthersWhenOneCallerCommits()
    {
        final MemoryLog log = new MemoryLog();
        try (LogPipeline pipeline = strictPipeline(log, TimeUnit.SECONDS.toNanos(30)))
        {
            for (int i = 0; i < 50; i++)
            {
                commit(pipeline, i);
            }
            assertEquals(0, pipeline.stats().groupWaits(), "a lone caller is always its whole group");
            assertEquals(50, log.forces(), "one force per commit");
        }
    }

    @Test
    void shouldCarryTheReturningCallerInTheNextForceWhenItCommitsAgainWithinTheWait() throws Exception
    {
        final MemoryLog log = new MemoryLog().holdForce(1);
        try (LogPipeline pipeline = strictPipeline(log, TimeUnit.SECONDS.toNanos(30)))
        {
            final Caller returning = Caller.start(() ->
            {
                commit(pipeline, 8);
                return commit(pipeline, 8);
            });
            log.awaitForceEntered(1);
            final Caller other = Caller.start(() -> commit(pipeline, 4));
            awaitPublished(pipeline, log, 2);
            Thread.sleep(500); // the held force's duration bounds the wait that follows
            log.releaseForce();

            returning.join();
            other.join();
            assertEquals(List.of(1, 2), log.framesPerForce(),
                "the second force waited for the first force's caller and covered both frames");
            // (The wait may be skipped when the caller publishes before the writer reaches the batch's end.)
            assertEquals(0, pipeline.stats().groupWaitTimeouts(), "the caller came back within the wait");
            assertEquals(returning.end(), pipeline.durablePosition());
        }
    }

    @Test
    void shouldWaitOnceWhenACallerOfThePreviousForceStopsCommitting() throws Exception
    {
        final MemoryLog log = new MemoryLog().holdForce(1);
        try (LogPipeline pipeline = strictPipeline(log, TimeUnit.SECONDS.toNanos(30)))
        {
            final Caller leaving = Caller.start(() -> commit(pipeline, 8));
            log.awaitForceEntered(1);
            final Caller staying = Caller.start(() ->
            {
                long end = 0;
                for (int i = 0; i < 4; i++)
                {
                    end = commit(pipeline, 4);
                }
                return end;
            });
            awaitPublished(pipeline, log, 2);
            Thread.sleep(200);
            log.releaseForce();

            leaving.join();
            staying.join();
            assertEquals(List.of(1, 1, 1, 1, 1), log.framesPerForce(), "every frame forced, none lost to the wait");
            assertEquals(1, pipeline.stats().groupWaits(), "only the batch right after the caller left waited");
            assertEquals(1, pipeline.stats().groupWaitTimeouts(), "and its wait ran to its bound");
            assertEquals(staying.end(), pipeline.durablePosition());
        }
    }

    private LogPipeline strictPipeline(final MemoryLog log)
    {
        return new LogPipeline(log, ForcePolicy.EVERY_BATCH, 100, RING_SIZE, SEGMENT_LENGTH, dir);
    }

    private LogPipeline strictPipeline(final MemoryLog log, final long groupWaitNs)
    {
        return new LogPipeline(log, ForcePolicy.EVERY_BATCH, 100, RING_SIZE, SEGMENT_LENGTH, dir, null, groupWaitNs);
    }

    /** One commit as the engine makes it: reserve and publish under the commit lock, wait outside it. */
    private long commit(final LogPipeline pipeline, final int payloadLength)
    {
        final long end;
        synchronized (commitLock)
        {
            final long position = pipeline.reserve(payloadLength);
            end = pipeline.reservedEnd();
            pipeline.publish(WalEntryType.KV_PUT.code(), TxId.of(7, position), RUN, new byte[payloadLength],
                position, end, Thread.currentThread());
        }
        pipeline.awaitFrameDurable(end);
        return end;
    }

    /** Waits until the ring holds {@code frames} published frames, counting those the log already appended. */
    private static void awaitPublished(final LogPipeline pipeline, final MemoryLog log, final int frames)
        throws InterruptedException
    {
        while (log.reservedFrames() < frames || pipeline.publishedEnd() < log.reservedEnd())
        {
            Thread.sleep(1);
        }
    }

    /** A committing thread and what its commit returned or threw. */
    private static final class Caller
    {
        private final Thread thread;
        private final AtomicLong end = new AtomicLong(-1);
        private volatile StorageException failure;

        private Caller(final CommitCall call)
        {
            thread = new Thread(() ->
            {
                try
                {
                    end.set(call.commit());
                }
                catch (final StorageException ex)
                {
                    failure = ex;
                }
            }, "test-caller");
        }

        static Caller start(final CommitCall call)
        {
            final Caller caller = new Caller(call);
            caller.thread.start();
            return caller;
        }

        void join() throws InterruptedException
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(thread.isAlive(), "caller still waiting");
        }

        long returnedEnd()
        {
            return end.get();
        }

        long end()
        {
            assertNull(failure, "commit failed");
            return end.get();
        }

        StorageException failure()
        {
            assertTrue(failure != null, "commit returned instead of failing: end=" + end.get());
            return failure;
        }
    }

    @FunctionalInterface
    private interface CommitCall
    {
        long commit();
    }

    /**
     * A log in memory: frames of 56 header bytes plus the payload, 8-byte aligned, in one endless segment. Its force
     * makes durable what was appended when the force began; it counts forces and the frames each covered, can hold one
     * force until released, and can fail one (and every later one).
     */
    private static final class MemoryLog implements LogWriter
    {
        private static final int HEADER_LENGTH = 56;

        private final AtomicInteger forces = new AtomicInteger();
        private final AtomicLong appends = new AtomicLong();
        private final AtomicInteger closes = new AtomicInteger();
        private final AtomicInteger reservedFrames = new AtomicInteger();
        private final AtomicLong reservedEnd = new AtomicLong();
        private final ConcurrentLinkedQueue<Integer> framesPerForce = new ConcurrentLinkedQueue<>();
        private final CountDownLatch forceEntered = new CountDownLatch(1);
        private final CountDownLatch forceReleased = new CountDownLatch(1);
        private volatile int heldForce = -1;
        private volatile int failedForce = Integer.MAX_VALUE;
        private volatile long nextPosition;
        private volatile long durablePosition;
        private long appendsAtLastForce;

        MemoryLog holdForce(final int forceNumber)
        {
            heldForce = forceNumber;
            return this;
        }

        MemoryLog failForce(final int forceNumber)
        {
            failedForce = forceNumber;
            return this;
        }

        void awaitForceEntered(final int forceNumber) throws InterruptedException
        {
            assertEquals(heldForce, forceNumber);
            assertTrue(forceEntered.await(30, TimeUnit.SECONDS), "force " + forceNumber + " never began");
        }

        void releaseForce()
        {
            forceReleased.countDown();
        }

        int forces()
        {
            return forces.get();
        }

        long appends()
        {
            return appends.get();
        }

        int closes()
        {
            return closes.get();
        }

        int reservedFrames()
        {
            return reservedFrames.get();
        }

        long reservedEnd()
        {
            return reservedEnd.get();
        }

        List<Integer> framesPerForce()
        {
            return new ArrayList<>(framesPerForce);
        }

        @Override
        public long append(final int typeCode, final TxId txId, final RunId runId, final byte[] payload)
        {
            final long position = nextPosition;
            nextPosition = frameEnd(position, payload.length);
            appends.incrementAndGet();
            return position;
        }

        @Override
        public void force()
        {
            final int number = forces.incrementAndGet();
            final long covered = nextPosition;
            final long frames = appends.get() - appendsAtLastForce;
            if (number == heldForce)
            {
                forceEntered.countDown();
                try
                {
                    assertTrue(forceReleased.await(30, TimeUnit.SECONDS), "force never released");
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            if (number >= failedForce)
            {
                throw new StorageException(ErrorCode.STORAGE_IO, "injected force failure: force=" + number);
            }
            framesPerForce.add((int)frames);
            appendsAtLastForce += frames;
            durablePosition = covered;
        }

        @Override
        public long durablePosition()
        {
            return durablePosition;
        }

        @Override
        public long nextPosition()
        {
            return nextPosition;
        }

        @Override
        public long framePosition(final long nextPosition, final int payloadLength)
        {
            reservedFrames.incrementAndGet();
            reservedEnd.set(frameEnd(nextPosition, payloadLength));
            return nextPosition;
        }

        @Override
        public long frameEnd(final long framePosition, final int payloadLength)
        {
            return framePosition + ((HEADER_LENGTH + payloadLength + 7) & ~7);
        }

        @Override
        public int payloadLengthMax()
        {
            return 1 << 20;
        }

        @Override
        public void close()
        {
            closes.incrementAndGet();
        }
    }
}
