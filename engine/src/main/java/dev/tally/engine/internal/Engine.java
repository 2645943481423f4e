/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.ClosedException;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.HistoryFrame;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.TallyException;
import dev.tally.core.TxId;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.engine.DurabilityMode;
import dev.tally.pipeline.CommitLog;
import dev.tally.pipeline.NoCommitLog;
import dev.tally.primitives.LoadablePrimitive;
import dev.tally.primitives.RunsPrimitive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * The engine behind {@code Database}: the registered primitives, the commit lock and the writer pipeline.
 *
 * <p>Design note: commit order is log order is apply order. A commit encodes its entries before taking the lock; under
 * the lock it checks its preconditions, reserves its log position, applies its entries through the primitives' SPI
 * and publishes its frame to the ring; then, in Strict mode, it waits outside the lock until a force covers its frame.
 * Recovery applies the same frames through the same SPI in the same order, so the rebuilt state is the same.
 *
 * <p>Design note: run history. Every frame is one run's committed transaction, and a run's history is the list of its
 * frames. In file modes the history lives in the log and in the history files beside the snapshots, never in memory
 * and never in a snapshot's own sections; in InMemory mode, which has no files, {@link #apply} also appends each
 * frame to an in-memory history of its run. For ending a run with its replay hash, {@link #apply} also keeps the
 * position of each active run's last frame.
 *
 * <p>Design note: the commit checks the run itself (active for every write, absent for a begin), under the lock
 * and before the action's own check, so no caller can forget it; and it writes to a {@link CommitLog}, which is a
 * {@link NoCommitLog} when there are no files to write, so the commit path never asks which mode it is in.
 *
 * <p>Threading: any thread may commit and read. Single-item reads are lock-free; reads that span items use
 * {@link #read(Supplier)}, which retries under the read lock if a commit ran meanwhile.
 */
public final class Engine
{
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final CommitAction<Long> POSITION = position -> position;

    /** What a commit requires of its run's state. */
    private enum RunRule
    {
        /** The run exists and is active: every write to a run. */
        ACTIVE,
        /** The run does not exist: the commit begins it. */
        ABSENT,
        /** No requirement: an imported history's frames after its first. */
        ANY
    }

    private final EngineConfig config;
    private final Registry registry;
    private final StampedLock lock = new StampedLock();
    private final long txIdHigh;
    private final Map<RunId, Long> lastPositionByRun = new ConcurrentHashMap<>();
    private final Map<RunId, MemoryRunHistory> memoryHistory;
    private final RunsPrimitive runs;
    private final boolean strict;
    private CommitLog log = new NoCommitLog();
    private int payloadLengthMax = Integer.MAX_VALUE;
    private long txCounter;
    private volatile boolean closed;
    private volatile TallyException poisoned;
    private volatile String readOnlyReason;

    /**
     * Creates an engine over registered primitives; the opening thread then recovers and calls {@link #start}.
     *
     * @param config   the configuration.
     * @param registry the primitives, already registered.
     */
    public Engine(final EngineConfig config, final Registry registry)
    {
        this.config = config;
        this.registry = registry;
        final UUID salt = config.ids().nextUuid();
        this.txIdHigh = salt.getMostSignificantBits() ^ salt.getLeastSignificantBits();
        this.memoryHistory = config.mode() == DurabilityMode.IN_MEMORY ? new ConcurrentHashMap<>() : null;
        this.strict = config.mode() == DurabilityMode.STRICT;
        this.runs = (RunsPrimitive)registry.byCode(WalEntryType.RUN_BEGIN.code());
    }

    /**
     * Starts writing through a log after recovery; opening thread only.
     *
     * @param log              the pipeline in file modes; a {@link NoCommitLog} in InMemory mode and when recovery
     *                         opened the database read-only.
     * @param payloadLengthMax the largest frame payload the log takes.
     */
    public void start(final CommitLog log, final int payloadLengthMax)
    {
        this.log = log;
        this.payloadLengthMax = payloadLengthMax;
    }

    /**
     * The configuration.
     *
     * @return the config.
     */
    public EngineConfig config()
    {
        return config;
    }

    /**
     * The registered primitives.
     *
     * @return the registry.
     */
    public Registry registry()
    {
        return registry;
    }

    /**
     * The log commits go to: the pipeline, or a {@link NoCommitLog} that writes nothing.
     *
     * @return the log.
     */
    public CommitLog log()
    {
        return log;
    }

    /**
     * Commits entries to an active run as one atomic unit, one WAL frame; any thread that does not hold the commit
     * lock.
     *
     * @param runId   the run the entries are scoped to, which must be active when the commit runs.
     * @param entries the entries, already encoded.
     * @return the frame's log position (a counter in InMemory mode), or -1 when there was nothing to write.
     * @throws dev.tally.core.InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} or {@link
     *                                                 ErrorCode#RUN_NOT_ACTIVE}.
     */
    public long commit(final RunId runId, final PendingEntries entries)
    {
        return commit(runId, RunRule.ACTIVE, entries, POSITION);
    }

    /**
     * Commits entries to an active run as one atomic unit, one WAL frame, after the action's own check; any thread
     * that does not hold the commit lock.
     *
     * @param runId   the run the entries are scoped to, which must be active when the commit runs.
     * @param entries the entries, already encoded.
     * @param action  the precondition check and result.
     * @param <T>     the result type.
     * @return the check's rejection, or the applied result once durable as the mode promises.
     * @throws dev.tally.core.InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} or {@link
     *                                                 ErrorCode#RUN_NOT_ACTIVE}.
     */
    public <T> T commit(final RunId runId, final PendingEntries entries, final CommitAction<T> action)
    {
        return commit(runId, RunRule.ACTIVE, entries, action);
    }

    /**
     * Commits the entries that begin a run, which must not exist yet; any thread that does not hold the commit lock.
     *
     * @param runId   the new run.
     * @param entries the entries, the run's begin entry first.
     * @return the frame's log position.
     * @throws dev.tally.core.InvalidArgumentException with {@link ErrorCode#RUN_ALREADY_EXISTS}.
     */
    public long commitNewRun(final RunId runId, final PendingEntries entries)
    {
        return commit(runId, RunRule.ABSENT, entries, POSITION);
    }

    /**
     * Commits one frame of another database's run history after its first, as it was, whatever state the run is in
     * here; any thread that does not hold the commit lock, while nothing else writes to that run.
     *
     * @param runId   the run, begun by the history's first frame.
     * @param entries the frame's entries.
     * @return the frame's log position.
     */
    public long commitImported(final RunId runId, final PendingEntries entries)
    {
        return commit(runId, RunRule.ANY, entries, POSITION);
    }

    private <T> T commit(final RunId runId, final RunRule rule, final PendingEntries entries,
        final CommitAction<T> action)
    {
        final int frameCode = entries.frameTypeCode();
        final byte[] payload = entries.count() == 0 ? null : entries.framePayload();
        if (payload != null && payload.length > payloadLengthMax)
        {
            throw new InvalidArgumentException(ErrorCode.RECORD_TOO_LARGE, "commit too large for one WAL frame: "
                + "length=" + payload.length + ", lengthMax=" + payloadLengthMax);
        }
        final long end;
        final T result;
        final long stamp = lock.writeLock();
        try
        {
            checkWritable();
            checkRun(runId, rule);
            final T rejected = action.check();
            if (rejected != null || payload == null)
            {
                return rejected != null ? rejected : action.applied(-1);
            }
            final long position = log.reserve(payload.length);
            end = log.reservedEnd();
            // In a log that writes nothing the position is this same counter, and MemoryRunHistory derives the
            // transaction id from the position.
            final TxId txId = new TxId(new UUID(txIdHigh, ++txCounter));
            assert log.writesFrames() || position == txCounter : "position=" + position + ", txCounter=" + txCounter;
            applyOrPoison(entries, txId, runId, position);
            log.publish(frameCode, txId, runId, payload, position, end, strict ? Thread.currentThread() : null);
            result = action.applied(position);
        }
        finally
        {
            lock.unlockWrite(stamp);
        }
        if (strict)
        {
            log.awaitFrameDurable(end);
        }
        return result;
    }

    private void checkRun(final RunId runId, final RunRule rule)
    {
        if (rule == RunRule.ACTIVE)
        {
            runs.checkActive(runId);
        }
        else if (rule == RunRule.ABSENT)
        {
            runs.checkAbsent(runId);
        }
    }

    /**
     * Applies one frame read back from the log; recovery only, before the engine starts.
     *
     * @param frameCode the frame's type code.
     * @param txId      the transaction.
     * @param runId     the run.
     * @param position  the frame's position.
     * @param payload   the frame's payload.
     */
    public void applyFrame(final int frameCode, final TxId txId, final RunId runId, final long position,
        final byte[] payload)
    {
        final PendingEntries entries = PendingEntries.fromFrame(frameCode, payload);
        for (int i = 0; i < entries.count(); i++)
        {
            if (registry.byCode(entries.typeCode(i)) == null)
            {
                throw new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE,
                    "no primitive owns entry type: code=0x" + Integer.toHexString(entries.typeCode(i)));
            }
        }
        apply(entries, txId, runId, position);
    }

    /**
     * Tells the primitives that a long run of {@link #applyFrame} calls follows and nothing reads them meanwhile;
     * recovery only, before the engine starts. See {@link LoadablePrimitive#beginBulkLoad()}.
     */
    public void beginBulkLoad()
    {
        registry.loadables().forEach(LoadablePrimitive::beginBulkLoad);
    }

    /**
     * Ends what {@link #beginBulkLoad()} began, leaving every primitive readable; recovery only.
     */
    public void endBulkLoad()
    {
        registry.loadables().forEach(LoadablePrimitive::endBulkLoad);
    }

    /**
     * Runs a multi-item read so that it sees no half-applied commit; any thread.
     *
     * @param reader the read; must have no side effects, as it may run twice.
     * @param <T>    the result type.
     * @return the result.
     */
    public <T> T read(final Supplier<T> reader)
    {
        final long optimistic = lock.tryOptimisticRead();
        if (optimistic != 0)
        {
            final T result = reader.get();
            if (lock.validate(optimistic))
            {
                return result;
            }
        }
        final long stamp = lock.readLock();
        try
        {
            return reader.get();
        }
        finally
        {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Runs a read under the read lock, so that no commit runs while it reads: for reads that walk many items and
     * must not see a commit half-applied or meet one mid-walk; any thread not holding the commit lock.
     *
     * @param reader the read; must be quick, as commits wait for it.
     * @param <T>    the result type.
     * @return the result.
     */
    public <T> T readLocked(final Supplier<T> reader)
    {
        final long stamp = lock.readLock();
        try
        {
            return reader.get();
        }
        finally
        {
            lock.unlockRead(stamp);
        }
    }

    /**
     * A SHA-256 digest of the whole state: every primitive's canonical section in type id order; any thread.
     *
     * @return the digest.
     */
    public byte[] stateHash()
    {
        final long stamp = lock.readLock();
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (final PrimitiveStorageExt ext : registry.ordered())
            {
                final byte[] section = ext.snapshotSerialize();
                digest.update((byte)ext.primitiveTypeId());
                digest.update(new byte[] {(byte)(section.length >>> 24), (byte)(section.length >>> 16),
                    (byte)(section.length >>> 8), (byte)section.length});
                digest.update(section);
            }
            return digest.digest();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required on every JVM", ex);
        }
        finally
        {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Waits until everything committed before the call is durable; any thread not holding the commit lock. A no-op
     * in InMemory mode.
     */
    public void flush()
    {
        checkOpen();
        final long target;
        final long stamp = lock.writeLock();
        try
        {
            target = log.reservedEnd();
        }
        finally
        {
            lock.unlockWrite(stamp);
        }
        log.flush(target);
    }

    /**
     * Marks the engine closed and stops the pipeline after a final flush; any thread, once.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        TallyException flushFailure = null;
        try
        {
            if (log.failure() == null && poisoned == null)
            {
                flush();
            }
        }
        catch (final TallyException ex)
        {
            flushFailure = ex;
        }
        final long stamp = lock.writeLock();
        try
        {
            closed = true;
        }
        finally
        {
            lock.unlockWrite(stamp);
        }
        log.close();
        if (flushFailure != null)
        {
            throw flushFailure;
        }
    }

    /**
     * Whether {@link #close()} was called; any thread.
     *
     * @return whether closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Throws {@link ClosedException} after close; any thread.
     */
    public void checkOpen()
    {
        if (closed)
        {
            throw new ClosedException(ErrorCode.CLOSED, "database is closed");
        }
    }

    /**
     * Refuses every later write with {@link ErrorCode#READ_ONLY}; opening thread only, before the engine is shared.
     *
     * @param reason why, for the error message.
     */
    public void makeReadOnly(final String reason)
    {
        this.readOnlyReason = reason;
    }

    /**
     * Whether writes are refused because recovery opened the database read-only; any thread.
     *
     * @return whether read-only.
     */
    public boolean isReadOnly()
    {
        return readOnlyReason != null;
    }

    /**
     * Throws {@link ErrorCode#READ_ONLY} when recovery opened the database read-only; any thread. Lets a call that
     * reads before it writes refuse before reading.
     */
    public void checkNotReadOnly()
    {
        final String reason = readOnlyReason;
        if (reason != null)
        {
            throw new StorageException(ErrorCode.READ_ONLY, "database is read-only: " + reason);
        }
    }

    /**
     * Runs something under the commit lock, where no commit is half-applied; any thread not holding it.
     *
     * @param action the action; must be quick.
     * @param <T>    the result type.
     * @return the action's result.
     */
    public <T> T underCommitLock(final Supplier<T> action)
    {
        final long stamp = lock.writeLock();
        try
        {
            checkOpen();
            return action.get();
        }
        finally
        {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * The position of the last frame committed on a run that is still active, as applied since the engine opened;
     * any thread, exact under the commit lock.
     *
     * @param runId the run.
     * @return the position, or -1 when no frame of the run was applied since open or the run has ended.
     */
    public long lastPosition(final RunId runId)
    {
        return lastPositionByRun.getOrDefault(runId, -1L);
    }

    /**
     * The end of the last committed frame: a bound above every position committed so far; commit-lock holder (see
     * {@link #underCommitLock}).
     *
     * @return the position.
     */
    public long committedEnd()
    {
        return log.committedEnd();
    }

    /**
     * A run's history in InMemory mode: every frame it committed, in commit order; any thread.
     *
     * @param runId the run.
     * @return a copy of its frames, empty when it has none; {@code null} in file modes, where the history is in the
     *         files.
     */
    public List<HistoryFrame> memoryHistory(final RunId runId)
    {
        if (memoryHistory == null)
        {
            return null;
        }
        final MemoryRunHistory frames = memoryHistory.get(runId);
        return frames == null ? new ArrayList<>() : frames.frames(txIdHigh);
    }

    private void checkWritable()
    {
        checkOpen();
        if (readOnlyReason != null)
        {
            throw new StorageException(ErrorCode.READ_ONLY, "database is read-only: " + readOnlyReason);
        }
        final TallyException poison = poisoned;
        if (poison != null)
        {
            throw new StorageException(ErrorCode.LOG_FAILED, "engine stopped after an internal failure", poison);
        }
        log.checkNotFailed();
    }

    private void applyOrPoison(final PendingEntries entries, final TxId txId, final RunId runId, final long position)
    {
        try
        {
            apply(entries, txId, runId, position);
        }
        catch (final RuntimeException ex)
        {
            final TallyException poison = new TallyException(ErrorCode.INTERNAL, "applying a validated commit failed",
                ex);
            // Under the commit lock, and every later commit is refused before it applies: logged once.
            LOG.error("applying a validated commit failed, the database refuses every write until it is reopened: "
                + "directory={}, run={}, position={}", config.directory(), runId, position, ex);
            poisoned = poison;
            throw poison;
        }
    }

    private void apply(final PendingEntries entries, final TxId txId, final RunId runId, final long position)
    {
        for (int i = 0; i < entries.count(); i++)
        {
            final int code = entries.typeCode(i);
            registry.byCode(code).applyWalEntry(new WalEntry(code, txId, runId, position, entries.body(i)));
        }
        recordHistory(entries, txId, runId, position);
    }

    private void recordHistory(final PendingEntries entries, final TxId txId, final RunId runId, final long position)
    {
        boolean ends = false;
        for (int i = 0; i < entries.count(); i++)
        {
            ends |= entries.typeCode(i) == WalEntryType.RUN_END.code();
        }
        if (ends)
        {
            lastPositionByRun.remove(runId);
        }
        else
        {
            lastPositionByRun.put(runId, position);
        }
        if (memoryHistory != null)
        {
            memoryHistory.computeIfAbsent(runId, r -> new MemoryRunHistory()).add(position, entries);
        }
    }
}
