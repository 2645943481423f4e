/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.ProducerType;
import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.StorageFullException;
import dev.tally.core.TallyException;
import dev.tally.core.TxId;
import dev.tally.pipeline.internal.JfrEvents;
import dev.tally.pipeline.internal.WriterWaitStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The single-writer pipeline: committing threads publish frames into a Disruptor ring in commit order; one writer
 * thread ({@code tally-wal-writer}) appends them to the log in ring order and forces the log per durability mode.
 *
 * <p>Strict: the writer forces once at the end of every Disruptor batch and wakes every caller whose frame that force
 * covered, so concurrent callers share one force (group commit). When the batch lacks a caller the previous force
 * woke, the writer first waits, at most for the bound given at construction and never longer than that force took,
 * for the missing callers to publish again ({@link CommitGroup}): without it, several callers settle into two
 * half-full forces that alternate. Buffered: when the flush interval has passed, also
 * when no write arrives (the ring's wait strategy times out at the interval), the writer hands the force to the
 * helper thread ({@code tally-wal-spare}) and goes on appending while it runs (a log that cannot be forced from
 * another thread is forced on the writer thread); a {@link #flush(long)} is forced at once by the writer. Callers park
 * while they wait; they never spin.
 *
 * <p>Fail-stop: when an append or force fails, the pipeline records the failure, wakes every waiter with it, never
 * advances the durable position over the failed force, and refuses every later publish until the database is
 * reopened. The failure is logged at ERROR once, when it happens.
 *
 * <p>Threading: {@link #reserve} and {@link #publish} are called by the holder of the engine's commit lock, which is
 * what makes ring order equal commit order; the wait methods by any thread.
 */
public final class LogPipeline implements CommitLog
{
    private static final int FRAME = 0;
    private static final int FLUSH = 1;
    private static final int RELEASE = 2;
    private static final Logger LOG = LoggerFactory.getLogger(LogPipeline.class);
    /** The bound of a Strict force's wait for missing callers; {@code -Dtally.pipeline.groupWaitMicros}, 0 = none. */
    private static final long DEFAULT_GROUP_WAIT_NS =
        TimeUnit.MICROSECONDS.toNanos(Long.getLong("tally.pipeline.groupWaitMicros", 500L));

    private final LogWriter log;
    private final boolean strict;
    private final long flushIntervalNs;
    private final long groupWaitNs;
    private final RingBuffer<Slot> ring;
    private final BatchEventProcessor<Slot> processor;
    private final Thread writerThread;
    private final Thread spareThread;
    private volatile boolean spareWanted;
    private volatile boolean backgroundForceWanted;
    private final boolean forcesInBackground;
    private final Object durableLock = new Object();
    private volatile boolean stopping;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final PipelineStats stats = new PipelineStats();
    private final long segmentLength;
    private final Path directory;
    private final WriterObserver observer;
    private final AtomicBoolean observerFailed = new AtomicBoolean();
    /** Frames and bytes the writer handed to the next background force, for the observer. */
    private final AtomicLong backgroundFrames = new AtomicLong();
    private final AtomicLong backgroundBytes = new AtomicLong();

    private volatile long durablePosition;
    private volatile long writtenPosition;
    private volatile TallyException failure;
    private long reservedEnd;
    private volatile long publishedEnd;

    /** One ring entry, reused; written by one committing thread, then read by the writer. */
    static final class Slot
    {
        int kind;
        int typeCode;
        TxId txId;
        RunId runId;
        byte[] payload;
        long expectedPosition;
        long end;
        Thread waiter;
    }

    private static final class Waiter
    {
        final Thread thread;
        final long target;

        Waiter(final Thread thread, final long target)
        {
            this.thread = thread;
            this.target = target;
        }
    }

    /**
     * Starts the writer thread.
     *
     * @param log             the log, positioned at its end; owned by the pipeline from now on.
     * @param forcePolicy     {@link ForcePolicy#EVERY_BATCH} (Strict: every commit waits for a force) or {@link
     *                        ForcePolicy#FLUSH_INTERVAL} (Buffered: the timer forces).
     * @param flushIntervalMs the Buffered flush interval.
     * @param ringSize        the ring capacity, a power of two.
     * @param segmentLength   the log's segment length, to report segment rolls.
     * @param directory       the database directory, named in log lines.
     */
    public LogPipeline(
        final LogWriter log, final ForcePolicy forcePolicy, final long flushIntervalMs, final int ringSize,
        final long segmentLength, final Path directory)
    {
        this(log, forcePolicy, flushIntervalMs, ringSize, segmentLength, directory, null);
    }

    /**
     * Starts the writer thread, which tells an observer of each force and segment roll.
     *
     * @param log             the log, positioned at its end; owned by the pipeline from now on.
     * @param forcePolicy     {@link ForcePolicy#EVERY_BATCH} (Strict: every commit waits for a force) or {@link
     *                        ForcePolicy#FLUSH_INTERVAL} (Buffered: the timer forces).
     * @param flushIntervalMs the Buffered flush interval.
     * @param ringSize        the ring capacity, a power of two.
     * @param segmentLength   the log's segment length, to report segment rolls.
     * @param directory       the database directory, named in log lines.
     * @param observer        told of each force and segment roll on the writer thread, or {@code null}.
     */
    public LogPipeline(
        final LogWriter log, final ForcePolicy forcePolicy, final long flushIntervalMs, final int ringSize,
        final long segmentLength, final Path directory, final WriterObserver observer)
    {
        this(log, forcePolicy, flushIntervalMs, ringSize, segmentLength, directory, observer, DEFAULT_GROUP_WAIT_NS);
    }

    /**
     * Starts the writer thread with a bound for a Strict force's wait for the callers of the previous force.
     *
     * @param log             the log, positioned at its end; owned by the pipeline from now on.
     * @param forcePolicy     {@link ForcePolicy#EVERY_BATCH} or {@link ForcePolicy#FLUSH_INTERVAL}.
     * @param flushIntervalMs the Buffered flush interval.
     * @param ringSize        the ring capacity, a power of two.
     * @param segmentLength   the log's segment length, to report segment rolls.
     * @param directory       the database directory, named in log lines.
     * @param observer        told of each force and segment roll on the writer thread, or {@code null}.
     * @param groupWaitNs     the longest wait of a force for missing callers (never longer than the previous force
     *                        took); 0 forces every batch at once.
     */
    public LogPipeline(
        final LogWriter log, final ForcePolicy forcePolicy, final long flushIntervalMs, final int ringSize,
        final long segmentLength, final Path directory, final WriterObserver observer, final long groupWaitNs)
    {
        this.log = log;
        this.directory = directory;
        this.observer = observer;
        this.strict = forcePolicy == ForcePolicy.EVERY_BATCH;
        this.flushIntervalNs = TimeUnit.MILLISECONDS.toNanos(flushIntervalMs);
        this.groupWaitNs = groupWaitNs;
        this.segmentLength = segmentLength;
        this.reservedEnd = log.nextPosition();
        this.publishedEnd = reservedEnd;
        this.durablePosition = log.durablePosition();
        this.forcesInBackground = !strict && log.canForceInBackground();
        this.writtenPosition = reservedEnd;
        ring = RingBuffer.create(ProducerType.MULTI, Slot::new, ringSize,
            new WriterWaitStrategy(Math.max(1, flushIntervalMs), TimeUnit.MILLISECONDS));
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), new Writer());
        processor.setExceptionHandler(new FatalHandler());
        ring.addGatingSequences(processor.getSequence());
        writerThread = new Thread(processor, "tally-wal-writer");
        writerThread.setDaemon(true);
        spareThread = new Thread(this::prepareSpares, "tally-wal-spare");
        spareThread.setDaemon(true);
        writerThread.start();
        try
        {
            spareThread.start();
        }
        catch (final RuntimeException | Error ex)
        {
            processor.halt();
            joinQuietly(writerThread);
            throw ex;
        }
    }

    private static void joinQuietly(final Thread thread)
    {
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The helper thread's loop: in Buffered mode runs the periodic force while the writer thread keeps appending, and
     * prepares the next segment when the writer asks (half-way through a segment), so that the roll does not allocate
     * and force a segment on the writer thread. Ends when the pipeline closes.
     */
    private void prepareSpares()
    {
        // Bounded by close(): it sets stopping and unparks this thread.
        while (!stopping)
        {
            if (backgroundForceWanted)
            {
                backgroundForceWanted = false;
                forceInBackground();
            }
            else if (spareWanted)
            {
                spareWanted = false;
                try
                {
                    log.prepareSpare();
                }
                catch (final RuntimeException ex)
                {
                    // Not fatal: without a spare the roll creates the segment itself and reports a real failure.
                    LOG.debug("preparing the next log segment failed, the roll will create it: directory={}",
                        directory, ex);
                }
            }
            else
            {
                LockSupport.park(this);
            }
        }
    }

    /**
     * Reserves the log position of the next frame; commit-lock holder only.
     *
     * @param payloadLength the payload length.
     * @return the frame position; {@link #reservedEnd()} is then the frame's end.
     */
    @Override
    public long reserve(final int payloadLength)
    {
        checkNotFailed();
        final long position = log.framePosition(reservedEnd, payloadLength);
        reservedEnd = log.frameEnd(position, payloadLength);
        return position;
    }

    /**
     * The end of the last reserved frame; commit-lock holder only.
     *
     * @return the position.
     */
    @Override
    public long reservedEnd()
    {
        return reservedEnd;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean writesFrames()
    {
        return true;
    }

    /**
     * {@inheritDoc} Here: the end of the last reserved frame.
     */
    @Override
    public long committedEnd()
    {
        return reservedEnd;
    }

    /**
     * Publishes a frame reserved with {@link #reserve}; commit-lock holder only, in reservation order.
     *
     * @param typeCode the frame type code.
     * @param txId     the transaction.
     * @param runId    the run.
     * @param payload  the payload; not copied, must not change.
     * @param position the reserved position.
     * @param end      the reserved end.
     * @param waiter   the thread to wake when the frame is durable, or {@code null}.
     */
    @Override
    public void publish(
        final int typeCode, final TxId txId, final RunId runId, final byte[] payload, final long position,
        final long end, final Thread waiter)
    {
        final long sequence = ring.next();
        final Slot slot = ring.get(sequence);
        slot.kind = FRAME;
        slot.typeCode = typeCode;
        slot.txId = txId;
        slot.runId = runId;
        slot.payload = payload;
        slot.expectedPosition = position;
        slot.end = end;
        slot.waiter = waiter;
        ring.publish(sequence);
        publishedEnd = end;
    }

    /**
     * The end of the last published frame; any thread.
     *
     * @return the position.
     */
    @Override
    public long publishedEnd()
    {
        return publishedEnd;
    }

    /**
     * Asks the writer to force now and waits until everything published before the call is durable; any thread,
     * but the caller must not hold the commit lock while it waits.
     *
     * @param target the end position to wait for (the reserved end read under the commit lock).
     */
    @Override
    public void flush(final long target)
    {
        checkNotFailed();
        final long sequence = ring.next();
        final Slot slot = ring.get(sequence);
        slot.kind = FLUSH;
        slot.waiter = Thread.currentThread();
        slot.end = target;
        ring.publish(sequence);
        awaitDurable(target);
    }

    /**
     * Asks the writer thread to delete the log segments wholly before a position; any thread not holding the commit
     * lock. The deletion happens after every frame published before it.
     *
     * @param position the lowest position still needed.
     */
    @Override
    public void releaseBefore(final long position)
    {
        checkNotFailed();
        final long sequence = ring.next();
        final Slot slot = ring.get(sequence);
        slot.kind = RELEASE;
        slot.end = position;
        slot.waiter = null;
        ring.publish(sequence);
    }

    /**
     * Waits for a position to be durable, parking; any thread that does not hold the commit lock.
     *
     * @param target the position.
     * @throws StorageException with {@link ErrorCode#LOG_FAILED} when the log failed before the position was durable.
     */
    @Override
    public void awaitDurable(final long target)
    {
        if (durablePosition >= target)
        {
            return;
        }
        final Waiter waiter = new Waiter(Thread.currentThread(), target);
        waiters.add(waiter);
        try
        {
            awaitFrameDurable(target);
        }
        finally
        {
            waiters.remove(waiter);
        }
    }

    /**
     * Waits until a frame published with this thread as its waiter is durable; the writer wakes it directly. The
     * wait is not abandoned on interrupt (the commit is already applied and only its durability is pending): the
     * interrupt is remembered and restored on return, so an interrupted caller parks instead of spinning.
     *
     * @param end the frame's end position.
     * @throws StorageException with {@link ErrorCode#LOG_FAILED} when the log failed before the position was durable,
     *                          or {@link StorageFullException} when it failed because the disk filled up.
     */
    @Override
    public void awaitFrameDurable(final long end)
    {
        boolean interrupted = false;
        try
        {
            while (durablePosition < end)
            {
                final TallyException failed = failure;
                if (failed != null)
                {
                    throw waiterFailure("log failed before position was durable: position=" + end
                        + ", durablePosition=" + durablePosition, failed);
                }
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The position below which every published byte is durable; any thread.
     *
     * @return the durable position.
     */
    @Override
    public long durablePosition()
    {
        return durablePosition;
    }

    /**
     * The end of the last frame the writer thread appended to the log: every frame below it can be read back from
     * the segment files (it may not be durable yet); any thread.
     *
     * @return the written position.
     */
    public long writtenPosition()
    {
        return writtenPosition;
    }

    /**
     * Waits, parking briefly between checks, until the writer thread has appended every frame below a position; any
     * thread not holding the commit lock. Readers of the log files call it so that they see what was committed
     * before them.
     *
     * @param target the position, at most the published end.
     * @throws StorageException with {@link ErrorCode#LOG_FAILED} when the log failed before the frames were written.
     */
    @Override
    public void awaitWritten(final long target)
    {
        long parkNs = 1_000;
        // Bounded by the writer: it appends every published frame unless the log fails, which ends the loop.
        while (writtenPosition < target)
        {
            final TallyException failed = failure;
            if (failed != null)
            {
                throw waiterFailure("log failed before position was written: position=" + target, failed);
            }
            LockSupport.parkNanos(this, parkNs);
            parkNs = Math.min(parkNs * 2, 1_000_000);
        }
    }

    /**
     * The failure that stopped the log, if any; any thread.
     *
     * @return the failure, or {@code null}.
     */
    @Override
    public TallyException failure()
    {
        return failure;
    }

    /**
     * The writer's counters; any thread.
     *
     * @return the stats.
     */
    @Override
    public PipelineStats stats()
    {
        return stats;
    }

    /**
     * Throws when the log has failed; any thread.
     */
    @Override
    public void checkNotFailed()
    {
        final TallyException failed = failure;
        if (failed != null)
        {
            throw new StorageException(ErrorCode.LOG_FAILED, "log failed earlier; reopen the database", failed);
        }
    }

    /**
     * Stops the writer thread and closes the log, which forces what was written; any thread not holding the commit
     * lock, once no more frames will be published. Callers flush first to wait for durability.
     */
    @Override
    public void close()
    {
        processor.halt();
        stopping = true;
        LockSupport.unpark(spareThread);
        try
        {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
            spareThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    /**
     * The exception for a caller whose frames the log failure stopped: {@link ErrorCode#STORAGE_FULL} when the disk
     * filled up (so the caller can tell a full disk from a broken one), else {@link ErrorCode#LOG_FAILED}.
     */
    private static StorageException waiterFailure(final String message, final TallyException failed)
    {
        if (failed.code() == ErrorCode.STORAGE_FULL)
        {
            return new StorageFullException(ErrorCode.STORAGE_FULL, message + ": no space left on device", failed);
        }
        return new StorageException(ErrorCode.LOG_FAILED, message, failed);
    }

    /**
     * The Buffered periodic force, on the helper thread: covers the frames the writer had appended when it starts,
     * while the writer goes on appending into the mapping.
     */
    private void forceInBackground()
    {
        if (failure != null)
        {
            return;
        }
        final JfrEvents.ForceEvent event = new JfrEvents.ForceEvent();
        event.begin();
        final long start = System.nanoTime();
        final long before = durablePosition;
        try
        {
            log.forceInBackground();
            final long forceNanos = System.nanoTime() - start;
            stats.onForce(forceNanos);
            if (observer != null)
            {
                observeForce((int)backgroundFrames.getAndSet(0), backgroundBytes.getAndSet(0), forceNanos);
            }
            final long durable = advanceDurable(log.durablePosition());
            event.bytes = durable - before;
            event.durablePosition = durable;
            event.commit();
        }
        catch (final Throwable ex)
        {
            fail("force", ex);
        }
        wakeWaiters();
    }

    private void observeForce(final int frames, final long bytes, final long forceNanos)
    {
        try
        {
            observer.onForce(frames, bytes, forceNanos);
        }
        catch (final RuntimeException ex)
        {
            observerFailed(ex);
        }
    }

    private void observeRoll(final long segmentBasePosition)
    {
        try
        {
            observer.onSegmentRoll(segmentBasePosition);
        }
        catch (final RuntimeException ex)
        {
            observerFailed(ex);
        }
    }

    private void observerFailed(final RuntimeException ex)
    {
        // The observer only watches: its failure never fails the log. Logged once per pipeline.
        if (observerFailed.compareAndSet(false, true))
        {
            LOG.warn("the writer observer threw, its later failures are not logged: directory={}", directory, ex);
        }
    }

    private long advanceDurable(final long durable)
    {
        synchronized (durableLock)
        {
            if (durable > durablePosition)
            {
                durablePosition = durable; // release: waiters read it after the force completed
            }
            return durablePosition;
        }
    }

    private synchronized void fail(final String operation, final Throwable cause)
    {
        if (failure == null)
        {
            final TallyException failed = cause instanceof TallyException ? (TallyException)cause
                : new StorageException(ErrorCode.LOG_FAILED, "log writer failed: " + cause, cause);
            failure = failed;
            // Once per pipeline: every later append, force and publish is refused without touching the log.
            LOG.error("log {} failed{}, the database refuses every write until it is reopened: directory={}, "
                + "code={}, writtenPosition={}, durablePosition={}", operation,
                failed.code() == ErrorCode.STORAGE_FULL ? " (disk full)" : "", directory, failed.code(),
                writtenPosition, durablePosition, cause);
        }
    }

    private void wakeWaiters()
    {
        final long durable = durablePosition;
        final boolean failed = failure != null;
        for (final Waiter waiter : waiters)
        {
            if (failed || waiter.target <= durable)
            {
                LockSupport.unpark(waiter.thread);
            }
        }
    }

    /** The writer thread's handler. */
    private final class Writer implements EventHandler<Slot>
    {
        private Thread[] batchWaiters = new Thread[64];
        private int batchWaiterCount;
        private int batchFrames;
        private int unforcedFrames;
        private long unforcedBytes;
        private long lastForceNs = System.nanoTime();
        private long lastForceDurationNs;
        private long groupDeadlineNs;
        private boolean groupWaiting;
        private final CommitGroup group = new CommitGroup();
        private boolean forceRequested;
        private long lastSegment = -1;
        private long spareSegment = -1;

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            try
            {
                if (slot.kind == FRAME)
                {
                    onFrame(slot);
                }
                else if (slot.kind == FLUSH)
                {
                    forceRequested = true;
                }
                else
                {
                    onRelease(slot.end);
                }
                if (slot.waiter != null)
                {
                    addBatchWaiter(slot.waiter);
                }
            }
            finally
            {
                slot.payload = null;
                slot.waiter = null;
                slot.txId = null;
                slot.runId = null;
            }
            if (endOfBatch)
            {
                stats.onBatch(batchFrames);
                batchFrames = 0;
                if (strict && !forceRequested && awaitMissingCallers(sequence))
                {
                    return; // more frames are claimed: the force at the end of their batch covers this one too
                }
                if (strict || forceRequested)
                {
                    force();
                }
                else if (System.nanoTime() - lastForceNs >= flushIntervalNs)
                {
                    forcePeriodically();
                }
                wakeBatch();
            }
        }

        @Override
        public void onTimeout(final long sequence)
        {
            if (batchWaiterCount > 0)
            {
                // A batch deferred for claimed frames that never came: force what it holds.
                force();
                wakeBatch();
                return;
            }
            if (unforcedFrames > 0 && System.nanoTime() - lastForceNs >= flushIntervalNs)
            {
                forcePeriodically();
            }
            wakeWaiters();
        }

        private void onFrame(final Slot slot)
        {
            if (failure != null)
            {
                return;
            }
            try
            {
                final long position = log.append(slot.typeCode, slot.txId, slot.runId, slot.payload);
                if (position != slot.expectedPosition)
                {
                    throw new StorageException(ErrorCode.INTERNAL, "frame landed at another position than reserved: "
                        + "position=" + position + ", reserved=" + slot.expectedPosition);
                }
                final long segment = position / segmentLength;
                if (segment != spareSegment && position - segment * segmentLength >= segmentLength >>> 1)
                {
                    // Half-way through the segment: have the spare thread prepare the next one.
                    spareSegment = segment;
                    spareWanted = true;
                    LockSupport.unpark(spareThread);
                }
                if (segment != lastSegment)
                {
                    if (lastSegment >= 0)
                    {
                        stats.onSegmentRoll();
                        if (observer != null)
                        {
                            observeRoll(segment * segmentLength);
                        }
                        final JfrEvents.SegmentRollEvent roll = new JfrEvents.SegmentRollEvent();
                        roll.segmentBasePosition = segment * segmentLength;
                        roll.commit();
                        if (LOG.isDebugEnabled())
                        {
                            LOG.debug("log segment rolled: directory={}, segmentBasePosition={}, position={}",
                                directory, segment * segmentLength, position);
                        }
                    }
                    lastSegment = segment;
                }
                writtenPosition = slot.end; // release: the frame's bytes are in the mapping before readers look
                batchFrames++;
                unforcedFrames++;
                unforcedBytes += slot.end - position;
                stats.onAppend((int)(slot.end - position));
            }
            catch (final Throwable ex)
            {
                fail("append", ex);
            }
        }

        private void onRelease(final long position)
        {
            if (failure != null)
            {
                return;
            }
            try
            {
                log.releaseBefore(position);
            }
            catch (final TallyException ex)
            {
                // Keeping a segment longer loses nothing: the next snapshot retries the release. Not fatal.
                stats.onReleaseFailure();
                LOG.warn("deleting log segments before a snapshot failed, they are kept until the next snapshot: "
                    + "directory={}, position={}", directory, position, ex);
            }
        }

        /**
         * Whether to leave a Strict batch unforced because callers of the previous force are missing from it and
         * one of them claimed a slot within the wait; the wait's deadline holds across the deferred batches.
         */
        private boolean awaitMissingCallers(final long sequence)
        {
            if (groupWaitNs <= 0 || batchWaiterCount == 0 || !group.missesCallers(batchWaiters, batchWaiterCount))
            {
                return false;
            }
            if (!groupWaiting)
            {
                groupWaiting = true;
                groupDeadlineNs = System.nanoTime() + Math.min(groupWaitNs, lastForceDurationNs);
            }
            // Bounded by the deadline; yields, so that on few cores the callers it waits for get to run.
            while (ring.getCursor() <= sequence)
            {
                if (System.nanoTime() - groupDeadlineNs >= 0)
                {
                    stats.onGroupWait(true);
                    return false;
                }
                Thread.yield();
            }
            stats.onGroupWait(false);
            return true;
        }

        private void forcePeriodically()
        {
            if (!forcesInBackground)
            {
                force();
                return;
            }
            lastForceNs = System.nanoTime();
            if (observer != null)
            {
                backgroundFrames.addAndGet(unforcedFrames);
                backgroundBytes.addAndGet(unforcedBytes);
            }
            unforcedFrames = 0;
            unforcedBytes = 0;
            backgroundForceWanted = true;
            LockSupport.unpark(spareThread);
        }

        private void force()
        {
            forceRequested = false;
            groupWaiting = false;
            if (failure != null)
            {
                return;
            }
            final JfrEvents.ForceEvent event = new JfrEvents.ForceEvent();
            event.begin();
            final long start = System.nanoTime();
            try
            {
                log.force();
                final long forceNanos = System.nanoTime() - start;
                lastForceDurationNs = forceNanos;
                // Counted and observed before any waiter can see the new durable position, so a caller whose write
                // returned reads counters that include its force.
                stats.onForce(forceNanos);
                if (observer != null)
                {
                    observeForce(unforcedFrames, unforcedBytes, forceNanos);
                }
                final long durable = advanceDurable(log.durablePosition());
                event.frames = unforcedFrames;
                event.bytes = unforcedBytes;
                event.durablePosition = durable;
                event.commit();
                unforcedFrames = 0;
                unforcedBytes = 0;
            }
            catch (final Throwable ex)
            {
                fail("force", ex);
            }
            lastForceNs = System.nanoTime();
        }

        private void addBatchWaiter(final Thread thread)
        {
            if (batchWaiterCount == batchWaiters.length)
            {
                batchWaiters = java.util.Arrays.copyOf(batchWaiters, batchWaiterCount * 2);
            }
            batchWaiters[batchWaiterCount++] = thread;
        }

        private void wakeBatch()
        {
            group.forced(batchWaiters, batchWaiterCount);
            for (int i = 0; i < batchWaiterCount; i++)
            {
                LockSupport.unpark(batchWaiters[i]);
                batchWaiters[i] = null;
            }
            batchWaiterCount = 0;
            wakeWaiters();
        }
    }

    /** Any exception escaping the handler is fatal for the log: never log and continue. */
    private final class FatalHandler implements ExceptionHandler<Slot>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Slot event)
        {
            fail("writer", ex);
            wakeWaiters();
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            fail("writer start", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            fail("writer shutdown", ex);
        }
    }
}
