/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.TallyException;
import dev.tally.core.TxId;
import dev.tally.core.testing.ThreadLeakCheck;
import dev.tally.pipeline.LogWriter;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Shared helpers for the engine tests: an instrumented {@link LogWriter} that counts forces, records the durable
 * position each force reached and can fail chosen forces; error-code assertions; and the writer-thread check after a close.
 */
final class EngineTesting
{
    /** The name of the pipeline's writer thread. */
    static final String WRITER_THREAD = "tally-wal-writer";

    private EngineTesting()
    {
    }

    /**
     * Asserts that an action throws a {@link TallyException} of a type with a code.
     *
     * @param type   the exception type expected.
     * @param code   the error code expected.
     * @param action the action.
     * @param <T>    the type.
     * @return the exception.
     */
    static <T extends TallyException> T assertCode(final Class<T> type, final ErrorCode code, final Executable action)
    {
        final T ex = assertThrows(type, action);
        assertEquals(code, ex.code(), () -> "unexpected code, message: " + ex.getMessage());
        return ex;
    }

    /**
     * Waits briefly for writer threads of closed databases to end, then fails if any is still alive: the check a test
     * makes in its middle, after a close; {@link ThreadLeakCheck} checks every engine test at its end.
     */
    static void assertNoWriterThreads()
    {
        final List<Thread> alive = ThreadLeakCheck.newThreadsAfterGrace(Set.of(), ThreadLeakCheck.GRACE_MS).stream()
            .filter(t -> t.getName().startsWith(WRITER_THREAD)).toList();
        assertEquals(List.of(), alive, "writer threads still alive after close");
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A {@link LogWriter} wrapper that counts appends and forces, records the highest durable position any force
     * reached and the end of the last appended frame, and fails forces on request. Its counters are safe to read from
     * any thread; the writer thread alone calls the log methods.
     */
    static final class InstrumentedLog implements LogWriter
    {
        /** Never fail a force. */
        static final long NEVER = Long.MAX_VALUE;

        private final LogWriter delegate;
        private final AtomicLong appends = new AtomicLong();
        private final AtomicLong forces = new AtomicLong();
        private final AtomicLong failedForces = new AtomicLong();
        private final AtomicLong forcedDurableMax = new AtomicLong(-1);
        private final AtomicLong appendedEnd = new AtomicLong(-1);
        private final AtomicLong failedForceCoveredEnd = new AtomicLong(-1);
        private final AtomicLong appendsAtLastForce = new AtomicLong();
        private final AtomicLong failedForceCoveredFrames = new AtomicLong(-1);
        private final AtomicInteger closes = new AtomicInteger();
        private volatile long failAtForce = NEVER;
        private volatile boolean failPersistently;
        private volatile long forceDelayMs;
        private volatile long failMinFrames;

        InstrumentedLog(final LogWriter delegate)
        {
            this.delegate = delegate;
            this.forcedDurableMax.set(delegate.durablePosition());
            this.appendedEnd.set(delegate.nextPosition());
        }

        /**
         * Fails the force with this 1-based number (counting attempts), and every later one when persistent.
         *
         * @param forceNumber the 1-based force attempt to fail.
         * @param persistent  whether every later force fails too.
         * @return this.
         */
        InstrumentedLog failAt(final long forceNumber, final boolean persistent)
        {
            this.failPersistently = persistent;
            this.failAtForce = forceNumber;
            return this;
        }

        /**
         * Defers the injected failure to the first force attempt, from the chosen one on, that covers at least this
         * many frames appended since the last successful force.
         *
         * @param frames the least number of covered frames.
         * @return this.
         */
        InstrumentedLog failMinFrames(final long frames)
        {
            this.failMinFrames = frames;
            return this;
        }

        InstrumentedLog forceDelayMs(final long delayMs)
        {
            this.forceDelayMs = delayMs;
            return this;
        }

        long appends()
        {
            return appends.get();
        }

        /** Force attempts, failed ones included. */
        long forces()
        {
            return forces.get();
        }

        long failedForces()
        {
            return failedForces.get();
        }

        /** The highest durable position reached by a successful force (initially the log's durable position). */
        long forcedDurableMax()
        {
            return forcedDurableMax.get();
        }

        /** The log's next position after the last append. */
        long appendedEnd()
        {
            return appendedEnd.get();
        }

        /** The log's next position when the first failed force was attempted, or -1. */
        long failedForceCoveredEnd()
        {
            return failedForceCoveredEnd.get();
        }

        /** The frames appended since the last successful force when the first failed force was attempted, or -1. */
        long failedForceCoveredFrames()
        {
            return failedForceCoveredFrames.get();
        }

        int closes()
        {
            return closes.get();
        }

        @Override
        public long append(final int typeCode, final TxId txId, final RunId runId, final byte[] payload)
        {
            final long position = delegate.append(typeCode, txId, runId, payload);
            appends.incrementAndGet();
            appendedEnd.set(delegate.nextPosition());
            return position;
        }

        @Override
        public void force()
        {
            final long attempt = forces.incrementAndGet();
            final long delay = forceDelayMs;
            if (delay > 0)
            {
                sleep(delay);
            }
            if (failedForces.get() == 0 && attempt >= failAtForce
                && appends.get() - appendsAtLastForce.get() >= failMinFrames
                || failedForces.get() > 0 && failPersistently)
            {
                failedForces.incrementAndGet();
                if (failedForceCoveredEnd.compareAndSet(-1, delegate.nextPosition()))
                {
                    failedForceCoveredFrames.set(appends.get() - appendsAtLastForce.get());
                }
                throw new StorageException(ErrorCode.STORAGE_IO, "injected force failure: force=" + attempt);
            }
            delegate.force();
            appendsAtLastForce.set(appends.get());
            forcedDurableMax.accumulateAndGet(delegate.durablePosition(), Math::max);
        }

        @Override
        public long durablePosition()
        {
            return delegate.durablePosition();
        }

        @Override
        public long nextPosition()
        {
            return delegate.nextPosition();
        }

        @Override
        public long framePosition(final long nextPosition, final int payloadLength)
        {
            return delegate.framePosition(nextPosition, payloadLength);
        }

        @Override
        public long frameEnd(final long framePosition, final int payloadLength)
        {
            return delegate.frameEnd(framePosition, payloadLength);
        }

        @Override
        public int payloadLengthMax()
        {
            return delegate.payloadLengthMax();
        }

        @Override
        public int releaseBefore(final long position)
        {
            return delegate.releaseBefore(position);
        }

        @Override
        public void close()
        {
            closes.incrementAndGet();
            delegate.close();
        }
    }
}
