/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.ConflictException;
import dev.tally.core.ErrorCode;
import dev.tally.core.HistoryEntry;
import dev.tally.core.HistoryFrame;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.PrimitiveStorageExt;
import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.core.WalEntryType;
import dev.tally.engine.internal.CommitAction;
import dev.tally.engine.internal.DatabaseIdentity;
import dev.tally.engine.internal.DatabaseLog;
import dev.tally.engine.internal.Engine;
import dev.tally.engine.internal.EngineConfig;
import dev.tally.engine.internal.EngineRecoveryTarget;
import dev.tally.engine.internal.FileStorage;
import dev.tally.engine.internal.HistoryReader;
import dev.tally.engine.internal.JfrEvents;
import dev.tally.engine.internal.PendingEntries;
import dev.tally.engine.internal.Registry;
import dev.tally.engine.internal.Snapshotter;
import dev.tally.pipeline.CommitLog;
import dev.tally.pipeline.NoCommitLog;
import dev.tally.pipeline.PipelineStats;
import dev.tally.primitives.EventPrimitive;
import dev.tally.primitives.JsonPrimitive;
import dev.tally.primitives.KvPrimitive;
import dev.tally.primitives.RunSections;
import dev.tally.primitives.RunsPrimitive;
import dev.tally.primitives.StatePrimitive;
import dev.tally.primitives.TracePrimitive;
import dev.tally.recovery.Recovery;
import dev.tally.recovery.RecoveryPolicy;
import dev.tally.recovery.RecoveryResult;
import dev.tally.replay.AsOf;
import dev.tally.replay.ReplayVerification;
import dev.tally.replay.Replayer;
import dev.tally.replay.RunDiff;
import dev.tally.wal.ScanMode;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * An embedded Tally database: five primitives scoped by run (key-value, event log, state cells, traces, JSON),
 * atomic transactions across them, and a write-ahead log that makes writes durable as the {@link DurabilityMode}
 * promises. Safe for any number of threads; {@link #close()} once, when no call is running.
 *
 * <p>Design note: replay. A run's history is the log: the frames it committed, kept across snapshots and log
 * reclamation by the history file written beside each snapshot ({@code <position>.hist}, never inside the {@code
 * .snap}). {@link #replayRun(RunId, AsOf)} reads that history (never writing a file, never touching the live state)
 * and applies it to fresh primitives, giving a {@link ReadOnlyView};
 * {@link #diffRuns}, {@link #replayHash} and {@link #verifyReplay} are built on it. Ending a run records the replay
 * hash of its history in its end entry, so {@link #verifyReplay} can later check that the history still rebuilds the
 * state the run ended with.
 */
public final class Database implements AutoCloseable
{
    private static final int END_ATTEMPT_COUNT_MAX = 64;

    private final Engine engine;
    private final Primitives primitives;
    private final Checks checks;
    private final KvStore kv;
    private final EventLog events;
    private final StateCells state;
    private final JsonStore json;
    private final TraceStore traces;
    private final List<RunId> orphanedAtOpen;
    private final FileStorage storage;
    private final LongAdder conflicts = new LongAdder();
    private final HistoryReader history;

    private Database(final Engine engine, final Primitives primitives, final FileStorage storage,
        final List<RunId> orphanedAtOpen)
    {
        this.engine = engine;
        this.primitives = primitives;
        this.storage = storage;
        this.orphanedAtOpen = orphanedAtOpen;
        this.history = storage == null ? new HistoryReader(engine, null, null, null, 0)
            : new HistoryReader(engine, engine.config().directory(), storage.identity().databaseId(),
                storage.snapshotter(), storage.recovery().endPosition());
        this.checks = new Checks(engine, primitives.runs());
        this.kv = new KvStore(engine, primitives.kv(), checks);
        this.events = new EventLog(engine, primitives.events(), checks);
        this.state = new StateCells(engine, primitives.state(), checks, conflicts);
        this.json = new JsonStore(engine, primitives.json(), checks);
        this.traces = new TraceStore(engine, primitives.traces(), checks);
    }

    /**
     * A builder for a database with non-default settings; any thread.
     *
     * @return a new builder.
     */
    public static DatabaseBuilder builder()
    {
        return new DatabaseBuilder();
    }

    /**
     * Opens (creating if absent) a Strict-mode database in a directory, recovering its state from its files; any
     * thread.
     *
     * @param directory the directory.
     * @return the open database.
     */
    public static Database open(final Path directory)
    {
        return builder().directory(directory).durability(DurabilityMode.STRICT).open();
    }

    /**
     * Opens a database that keeps nothing on disk; any thread.
     *
     * @return the open database.
     */
    public static Database openInMemory()
    {
        return builder().durability(DurabilityMode.IN_MEMORY).open();
    }

    /**
     * The database id recorded in a directory's identity file, read without opening, locking or changing anything;
     * any thread. Tools use it to check segments and snapshots against the database they belong to.
     *
     * @param directory the database directory.
     * @return the id, or empty when the directory holds no database.
     * @throws dev.tally.core.CorruptDataException when the identity file is damaged.
     */
    public static Optional<UUID> databaseId(final Path directory)
    {
        final DatabaseIdentity identity = DatabaseIdentity.readExisting(directory);
        return identity == null ? Optional.empty() : Optional.of(identity.databaseId());
    }

    /**
     * What opening a Strict database in a directory would recover, worked out into a private in-memory state that is
     * discarded afterwards: no directory lock is taken, no writer is opened, nothing is cut and no byte changes; any
     * thread. Beside a live writer it reports the log as far as it was written.
     *
     * @param directory the database directory, which must hold a database.
     * @param policy    the policy an open would use.
     * @return the recovery report an open would give, with {@code bytesCut} 0.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when the directory holds no database.
     * @throws dev.tally.core.CorruptDataException when recovery would refuse to open.
     */
    public static RecoveryResult recoverDryRun(final Path directory, final RecoveryPolicy policy)
    {
        final DatabaseIdentity identity = DatabaseIdentity.readExisting(directory);
        if (identity == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "not a Tally database (no " + DatabaseIdentity.FILE_NAME + "): directory=" + directory);
        }
        final EngineConfig config = builder().directory(directory).durability(DurabilityMode.STRICT)
            .recoveryPolicy(policy).conclude();
        final Engine engine = new Engine(config, registry(config, primitives(config)));
        final EngineRecoveryTarget target = new EngineRecoveryTarget(engine);
        engine.beginBulkLoad();
        try
        {
            return Recovery.recover(directory, identity.databaseId(), policy, target, ScanMode.READ_ONLY);
        }
        finally
        {
            engine.endBulkLoad();
        }
    }

    private static Primitives primitives(final EngineConfig config)
    {
        return new Primitives(new KvPrimitive(), new EventPrimitive(), new StatePrimitive(),
            new RunsPrimitive(), config.clock(), new JsonPrimitive(), new TracePrimitive(), config.ids());
    }

    private static Registry registry(final EngineConfig config, final Primitives primitives)
    {
        final Registry registry = new Registry();
        registry.register(primitives.kv());
        registry.register(primitives.events());
        registry.register(primitives.state());
        registry.register(primitives.runs());
        registry.register(primitives.json());
        registry.register(primitives.traces());
        for (final PrimitiveStorageExt extension : config.extensions())
        {
            registry.register(extension);
        }
        return registry;
    }

    static Database open(final EngineConfig config, final SnapshotConfig snapshots)
    {
        final long startNs = System.nanoTime();
        final Primitives primitives = primitives(config);
        final Engine engine = new Engine(config, registry(config, primitives));
        FileStorage storage = null;
        if (config.mode() != DurabilityMode.IN_MEMORY)
        {
            storage = FileStorage.open(engine, settings(snapshots));
        }
        else
        {
            engine.start(new NoCommitLog(), Integer.MAX_VALUE);
        }
        final Database database = new Database(engine, primitives, storage, primitives.runs().activeRuns());
        DatabaseLog.opened(config, storage == null ? null : storage.recovery(), System.nanoTime() - startNs);
        return database;
    }

    private static Snapshotter.Settings settings(final SnapshotConfig config)
    {
        return new Snapshotter.Settings(config.everyWalBytes(), config.everySeconds(), config.onClose(),
            config.keep());
    }

    /**
     * Takes a snapshot now, without stalling writers: one point in time, written to a temporary file, forced and
     * renamed; older snapshots beyond the retention count and log segments no kept snapshot needs are deleted.
     * Buffered writes committed before the call are durable when it returns. Any thread.
     *
     * @return what was written.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_CONFIGURATION} in InMemory mode, and
     *                                  {@link ErrorCode#READ_ONLY} when recovery opened the database read-only.
     */
    public SnapshotInfo snapshot()
    {
        final Snapshotter snapshotter = snapshotter();
        final Snapshotter.Taken taken = snapshotter.take();
        return new SnapshotInfo(taken.file().getFileName().toString(), taken.walPosition(), taken.timestampMicros(),
            taken.lengthBytes(), taken.durationNs(), taken.snapshotsDeleted(), taken.releasedBefore());
    }

    /**
     * Replaces the automatic snapshot triggers and retention; any thread. Takes effect at the next trigger check
     * (within 100 ms) and the next snapshot's retention.
     *
     * @param config the triggers.
     */
    public void configureSnapshots(final SnapshotConfig config)
    {
        if (config == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_CONFIGURATION, "snapshot config must not be null");
        }
        snapshotter().configure(settings(config));
    }

    /**
     * What recovery did when this database was opened: the snapshot used and why others were rejected, frames and
     * transactions applied, bytes cut, the first bad position; any thread.
     *
     * @return the result, or empty for an InMemory database.
     * @throws dev.tally.core.ClosedException with {@link ErrorCode#CLOSED} after {@link #close()}.
     */
    public Optional<RecoveryResult> lastRecoveryResult()
    {
        engine.checkOpen();
        return storage == null ? Optional.empty() : Optional.of(storage.recovery());
    }

    private Snapshotter snapshotter()
    {
        engine.checkOpen();
        if (storage == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_CONFIGURATION,
                "an InMemory database has no snapshots");
        }
        if (storage.snapshotter() == null)
        {
            throw new InvalidArgumentException(ErrorCode.READ_ONLY, "the database was opened read-only by recovery");
        }
        return storage.snapshotter();
    }

    /**
     * The key-value store; any thread.
     *
     * @return the store.
     */
    public KvStore kv()
    {
        return kv;
    }

    /**
     * The event logs; any thread.
     *
     * @return the event logs.
     */
    public EventLog events()
    {
        return events;
    }

    /**
     * The state cells; any thread.
     *
     * @return the state cells.
     */
    public StateCells state()
    {
        return state;
    }

    /**
     * The JSON document store; any thread.
     *
     * @return the store.
     */
    public JsonStore json()
    {
        return json;
    }

    /**
     * The span store; any thread.
     *
     * @return the store.
     */
    public TraceStore traces()
    {
        return traces;
    }

    /**
     * Begins a run, which then takes writes; any thread.
     *
     * @param runId the new run's id.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_ALREADY_EXISTS} when it was begun before.
     */
    public void beginRun(final RunId runId)
    {
        checks.run(runId);
        final PendingEntries entries = new PendingEntries().add(WalEntryType.RUN_BEGIN.code(),
            RunsPrimitive.beginBody(engine.config().clock().currentTimeMicros()));
        engine.commitNewRun(runId, entries);
    }

    /**
     * Ends an active run as completed; any thread.
     *
     * @param runId the run.
     */
    public void endRun(final RunId runId)
    {
        end(runId, RunsPrimitive.COMPLETED, "");
    }

    /**
     * Ends an active run as aborted, keeping the reason; any thread.
     *
     * @param runId  the run.
     * @param reason why it was aborted.
     */
    public void abortRun(final RunId runId, final String reason)
    {
        if (reason == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "abort reason must not be null");
        }
        checks.textLength("abort reason", reason.length());
        end(runId, RunsPrimitive.ABORTED, reason);
    }

    private void end(final RunId runId, final int endState, final String reason)
    {
        checks.run(runId);
        final long timeMicros = engine.config().clock().currentTimeMicros();
        for (int attempt = 1; ; attempt++)
        {
            checks.runExists(runId);
            engine.checkNotReadOnly(); // before the history is read: a read-only database ends nothing
            checks.runActive(runId);
            final long[] last = new long[1];
            final byte[] hash = engine.readLocked(() ->
            {
                last[0] = engine.lastPosition(runId);
                return liveReplayHash(runId);
            });
            assert hashMatchesHistory(runId, last[0], hash);
            final PendingEntries entries = new PendingEntries().add(WalEntryType.RUN_END.code(),
                RunsPrimitive.endBody(endState, reason, timeMicros, hash));
            final Boolean ended = engine.commit(runId, entries, new CommitAction<Boolean>()
            {
                @Override
                public Boolean check()
                {
                    return engine.lastPosition(runId) == last[0] ? null : Boolean.FALSE;
                }

                @Override
                public Boolean applied(final long position)
                {
                    return Boolean.TRUE;
                }
            });
            if (ended)
            {
                return;
            }
            if (attempt >= END_ATTEMPT_COUNT_MAX)
            {
                throw new ConflictException(ErrorCode.TRANSACTION_CONFLICT, "the run kept changing while it was "
                    + "being ended: run=" + runId + ", attempts=" + attempt);
            }
        }
    }

    /**
     * The replay hash of a run's state as it is now, from the live primitives: the digest a replay of its whole
     * history into fresh primitives gives ({@link #replayHash}), over the sections those primitives would hold, so
     * ending a run reads nothing back; under the engine's read lock.
     */
    private byte[] liveReplayHash(final RunId runId)
    {
        final SortedMap<Integer, byte[]> sections = new TreeMap<>();
        for (final RunSections primitive : List.<RunSections>of(primitives.kv(), primitives.json(),
            primitives.events(), primitives.state(), primitives.traces()))
        {
            sections.put(primitive.primitiveTypeId(), primitive.serializeRun(runId));
        }
        return Replayer.digest(sections);
    }

    /**
     * The pair check of the live replay hash, under {@code -ea} only: the history read back and replayed gives the
     * same digest, unless the run changed since the hash was taken (then the end retries anyway).
     */
    private boolean hashMatchesHistory(final RunId runId, final long lastPosition, final byte[] hash)
    {
        final long[] boundAndLast = history.boundAndLastPosition(runId);
        if (boundAndLast[1] != lastPosition)
        {
            return true;
        }
        final List<HistoryFrame> frames = history.read(runId, boundAndLast[0]).frames();
        final String replayed = ReadOnlyView.replay(runId, frames, AsOf.latest()).hash();
        if (!replayed.equals(HexFormat.of().formatHex(hash)))
        {
            throw new AssertionError("live replay hash differs from the replayed history: run=" + runId
                + ", live=" + HexFormat.of().formatHex(hash) + ", replayed=" + replayed);
        }
        return true;
    }

    /**
     * Replays a run's whole history into a new read-only view; any thread. Reads the newest snapshot's history and
     * the log after it; writes nothing and changes nothing, and the view is never visible through this database.
     * Orphaned runs (active when a process died) replay like any other.
     *
     * @param runId the run.
     * @return the view, with every change the run committed before the call.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} when the run was never begun.
     */
    public ReadOnlyView replayRun(final RunId runId)
    {
        return replayRun(runId, AsOf.latest());
    }

    /**
     * Replays a run's history up to a bound into a new read-only view (time travel); any thread. Writes nothing.
     *
     * @param runId the run.
     * @param asOf  how much of the history: all, the first N changes, or the frames before a log position.
     * @return the view.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} when the run was never begun.
     */
    public ReadOnlyView replayRun(final RunId runId, final AsOf asOf)
    {
        checks.runExists(runId);
        if (asOf == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "asOf must not be null");
        }
        final long bound = history.boundAndLastPosition(runId)[0];
        return ReadOnlyView.replay(runId, history.read(runId, bound).frames(), asOf);
    }

    /**
     * A run's committed history: every frame it wrote, in commit order, with its entries as the log stores them;
     * any thread. Reads the newest snapshot's history and the log after it; writes nothing. Tools export it; {@link
     * #importRun} writes it into another database.
     *
     * @param runId the run.
     * @return the frames.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} when the run was never begun.
     */
    public List<HistoryFrame> runHistory(final RunId runId)
    {
        checks.runExists(runId);
        final long bound = history.boundAndLastPosition(runId)[0];
        return history.read(runId, bound).frames();
    }

    /**
     * Writes another database's run history into this one under the same run id, one transaction per frame in the
     * given order, so that the run replays here as it did there; any thread, while nothing else writes to that run.
     * The frames must be a whole history as {@link #runHistory} returns it, beginning with the run's begin entry.
     *
     * @param runId  the run, which must not exist here.
     * @param frames the history.
     * @return the log position of the last frame written.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_ALREADY_EXISTS} when the run exists, or
     *                                  {@link ErrorCode#INVALID_ARGUMENT} when the history does not begin the run.
     */
    public long importRun(final RunId runId, final List<HistoryFrame> frames)
    {
        if (runStatus(runId) != RunStatus.NOT_FOUND)
        {
            throw new InvalidArgumentException(ErrorCode.RUN_ALREADY_EXISTS, "run already exists: run=" + runId);
        }
        if (frames.isEmpty() || frames.get(0).entries().get(0).typeCode() != WalEntryType.RUN_BEGIN.code())
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "a run history must begin with the run's begin entry: run=" + runId);
        }
        long position = -1;
        for (final HistoryFrame frame : frames)
        {
            final PendingEntries entries = new PendingEntries();
            for (final HistoryEntry entry : frame.entries())
            {
                entries.add(entry.typeCode(), entry.body().clone());
            }
            checks.run(runId);
            position = position < 0 ? engine.commitNewRun(runId, entries) : engine.commitImported(runId, entries);
        }
        return position;
    }

    /**
     * The differences between two runs' replayed views, item by item and as an RFC 6902 JSON Patch from the first
     * view's rendering to the second's; any thread. Writes nothing.
     *
     * @param runA the first run.
     * @param runB the second run.
     * @return the differences; empty when the views render the same.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} when a run was never begun.
     */
    public RunDiff diffRuns(final RunId runA, final RunId runB)
    {
        return RunDiff.between(replayRun(runA).toJson(), replayRun(runB).toJson());
    }

    /**
     * A SHA-256 digest of a run's replayed state: the canonical sections of the five primitives after replaying its
     * whole history into fresh instances, in type id order; equal on every JVM; any thread. Writes nothing.
     *
     * @param runId the run.
     * @return the digest as 64 lower-case hex digits.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} when the run was never begun.
     */
    public String replayHash(final RunId runId)
    {
        return replayRun(runId).hash();
    }

    /**
     * Checks that a run's history still rebuilds the state it ended with: replays the history before its end entry
     * and compares the hash with the one recorded when it ended; any thread. Writes nothing. An active run has no
     * recorded hash yet: the result then carries the hash of its history so far, {@code matches} false and a detail
     * saying so, rather than an exception, so that a caller can verify every run in one pass.
     *
     * @param runId the run.
     * @return the recorded and replayed hashes and whether they match.
     * @throws InvalidArgumentException with {@link ErrorCode#RUN_NOT_FOUND} when the run was never begun.
     */
    public ReplayVerification verifyReplay(final RunId runId)
    {
        checks.runExists(runId);
        final RunsPrimitive.RunRecord run = primitives.runs().get(runId);
        final long bound = history.boundAndLastPosition(runId)[0];
        final List<HistoryFrame> frames = history.read(runId, bound).frames();
        if (run.state() == RunsPrimitive.ACTIVE)
        {
            return new ReplayVerification(null, ReadOnlyView.replay(runId, frames, AsOf.latest()).hash(), false,
                "the run is still active: its replay hash is recorded when it ends");
        }
        final String replayed = ReadOnlyView.replay(runId, frames, endBound(frames)).hash();
        if (run.replayHash() == null)
        {
            return new ReplayVerification(null, replayed, false, "the run ended without a recorded replay hash");
        }
        final boolean matches = run.replayHash().equals(replayed);
        return new ReplayVerification(run.replayHash(), replayed, matches, matches ? ""
            : "the replayed state differs from the state recorded when the run ended");
    }

    private static AsOf endBound(final List<HistoryFrame> frames)
    {
        for (int i = frames.size() - 1; i >= 0; i--)
        {
            for (final HistoryEntry entry : frames.get(i).entries())
            {
                if (entry.typeCode() == WalEntryType.RUN_END.code())
                {
                    return AsOf.position(frames.get(i).position());
                }
            }
        }
        return AsOf.latest();
    }

    /**
     * The lifecycle state of a run; any thread.
     *
     * @param runId the run.
     * @return its status, {@link RunStatus#NOT_FOUND} if it was never begun.
     */
    public RunStatus runStatus(final RunId runId)
    {
        engine.checkOpen();
        final RunsPrimitive.RunRecord run = primitives.runs().get(checks.run(runId));
        if (run == null)
        {
            return RunStatus.NOT_FOUND;
        }
        return switch (run.state())
        {
            case RunsPrimitive.ACTIVE -> new RunStatus(RunStatus.State.ACTIVE, "");
            case RunsPrimitive.COMPLETED -> new RunStatus(RunStatus.State.COMPLETED, "");
            default -> new RunStatus(RunStatus.State.ABORTED, run.reason());
        };
    }

    /**
     * The runs that were still active when the previous process stopped (found when this database was opened) and
     * that have not been ended since; any thread.
     *
     * @return the runs, sorted.
     */
    public List<RunId> orphanedRuns()
    {
        engine.checkOpen();
        return orphanedAtOpen.stream().filter(r -> primitives.runs().get(r).state() == RunsPrimitive.ACTIVE).toList();
    }

    /**
     * Runs a transaction on one run: the body's writes become visible and durable together, or not at all; any
     * thread. Nothing is retried: a conflict is returned and the caller decides.
     *
     * @param runId the run, which must be active.
     * @param body  the work.
     * @param <T>   the body's result type.
     * @return committed with the body's result, or the conflicts that stopped it.
     */
    public <T> TxResult<T> transaction(final RunId runId, final TransactionBody<T> body)
    {
        checks.runExists(runId);
        if (body == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "transaction body must not be null");
        }
        final TransactionImpl tx = new TransactionImpl(runId, primitives, checks);
        final T value;
        try
        {
            value = body.run(tx);
        }
        finally
        {
            tx.finish();
        }
        final TxResult<T> result = engine.commit(runId, tx.entries(), new CommitAction<TxResult<T>>()
        {
            @Override
            public TxResult<T> check()
            {
                final List<Conflict> found = tx.validate();
                return found.isEmpty() ? null : new TxResult.Conflicted<>(List.copyOf(found));
            }

            @Override
            public TxResult<T> applied(final long position)
            {
                return new TxResult.Committed<>(value, position);
            }
        });
        if (result instanceof TxResult.Conflicted<T> conflicted)
        {
            conflicts.increment();
            final JfrEvents.CommitConflictEvent event = new JfrEvents.CommitConflictEvent();
            event.primitive = conflicted.conflicts().get(0).primitive();
            event.conflicts = conflicted.conflicts().size();
            event.commit();
        }
        return result;
    }

    /**
     * Writes one entry owned by a registered extension primitive, through the same log and commit path as the
     * built-in primitives; any thread.
     *
     * @param runId    the run, which must be active.
     * @param typeCode an entry type code the extension owns.
     * @param body     the entry body in the extension's encoding; not copied.
     * @return the log position of the entry's frame.
     */
    public long writeExtensionEntry(final RunId runId, final int typeCode, final byte[] body)
    {
        final PrimitiveStorageExt owner = engine.registry().byCode(typeCode);
        if (owner == null || owner == primitives.kv() || owner == primitives.events() || owner == primitives.state()
            || owner == primitives.runs() || owner == primitives.json()
            || owner == primitives.traces())
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_EXTENSION,
                "no extension owns entry type: code=0x" + Integer.toHexString(typeCode));
        }
        checks.textLength("extension entry", body.length);
        // Copied: the log and the extension may keep the body, so the caller must not be able to change it later.
        final PendingEntries entries = new PendingEntries().add(typeCode, body.clone());
        return engine.commit(checks.run(runId), entries);
    }

    /**
     * Waits until every write that returned before the call is durable; any thread. In Strict mode writes already
     * are; in InMemory mode this does nothing.
     */
    public void flush()
    {
        engine.flush();
    }

    /**
     * The log position below which every committed byte is durable; any thread. Always 0 in InMemory mode.
     *
     * @return the durable position.
     * @throws dev.tally.core.ClosedException with {@link ErrorCode#CLOSED} after {@link #close()}.
     */
    public long durablePosition()
    {
        engine.checkOpen();
        return engine.log().durablePosition();
    }

    /**
     * The end of the last commit applied so far, which readers may already see while its force is still pending; any
     * thread. {@code awaitDurable(visiblePosition())} after a read waits until everything that read saw is durable, so
     * an answer built from it cannot be taken back by a crash. In InMemory mode nothing is ever durable and the wait
     * returns at once.
     *
     * @return the position.
     */
    public long visiblePosition()
    {
        engine.checkOpen();
        return engine.underCommitLock(engine::committedEnd);
    }

    /**
     * Waits until a log position (for example one returned in {@link TxResult.Committed}) is durable; any thread.
     *
     * @param position the position, at most {@link #visiblePosition()}.
     * @throws InvalidArgumentException with {@link ErrorCode#INVALID_ARGUMENT} when the position lies past the end of
     *                                  the log, where no commit could ever make it durable.
     */
    public void awaitDurable(final long position)
    {
        engine.checkOpen();
        final CommitLog log = engine.log();
        if (!log.writesFrames())
        {
            return; // nothing is ever durable, and every position is as durable as it will get
        }
        final long end = engine.underCommitLock(engine::committedEnd);
        if (position > end)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
                "position lies past the end of the log: position=" + position + ", end=" + end);
        }
        log.awaitDurable(position);
    }

    /**
     * A SHA-256 digest of the whole state in canonical order: equal states give equal digests, on every JVM; any
     * thread. Costs a pass over all data.
     *
     * @return the digest as 64 lower-case hex digits.
     */
    public String stateHash()
    {
        engine.checkOpen();
        return HexFormat.of().formatHex(engine.stateHash());
    }

    /**
     * The database's counters; any thread.
     *
     * @return a snapshot of the counters.
     * @throws dev.tally.core.ClosedException with {@link ErrorCode#CLOSED} after {@link #close()}.
     */
    public DatabaseStats stats()
    {
        engine.checkOpen();
        final CommitLog log = engine.log();
        final Snapshotter snapshots = storage == null ? null : storage.snapshotter();
        final long taken = snapshots == null ? 0 : snapshots.takenCount();
        final long failed = snapshots == null ? 0 : snapshots.failedCount();
        // A log that writes nothing has all-zero stats and positions.
        final PipelineStats s = log.stats();
        final long forces = s.forces();
        final long durable = log.durablePosition();
        return new DatabaseStats(s.appends(), forces, s.bytesWritten(), s.batches(), s.batchFramesMax(),
            forces == 0 ? 0 : s.forceNsTotal() / forces, s.forceNsPercentile(99), s.forceNsMax(), durable,
            Math.max(0, log.publishedEnd() - durable), conflicts.sum(), taken, failed, s.releaseFailures(),
            s.segmentRolls());
    }

    /**
     * Why the last automatic snapshot failed, if it did (cleared when an automatic snapshot succeeds; a manual
     * {@link #snapshot()} reports its own failure by throwing); any thread. Automatic snapshots run on a background
     * thread, so their failures reach the caller only here and in {@link #stats()}.
     *
     * @return the failure, or empty.
     */
    public Optional<TallyException> lastSnapshotFailure()
    {
        final Snapshotter snapshots = storage == null ? null : storage.snapshotter();
        return Optional.ofNullable(snapshots == null ? null : snapshots.lastTriggerFailure());
    }

    /**
     * The durability mode; any thread.
     *
     * @return the mode.
     */
    public DurabilityMode durabilityMode()
    {
        return engine.config().mode();
    }

    /**
     * Makes Buffered writes durable, stops the writer and releases the directory; any thread, once no call is
     * running. Later calls fail with {@link ErrorCode#CLOSED}; closing twice does nothing.
     */
    @Override
    public void close()
    {
        if (engine.isClosed())
        {
            return;
        }
        final long startNs = System.nanoTime();
        TallyException failure = null;
        if (storage != null && storage.snapshotter() != null)
        {
            try
            {
                if (storage.snapshotter().settings().onClose() && engine.log().failure() == null)
                {
                    storage.snapshotter().take();
                }
            }
            catch (final TallyException ex)
            {
                failure = ex;
            }
            storage.stopSnapshots();
        }
        try
        {
            engine.close();
        }
        catch (final TallyException ex)
        {
            if (failure == null)
            {
                failure = ex;
            }
            else
            {
                failure.addSuppressed(ex);
            }
        }
        if (storage != null)
        {
            storage.close();
        }
        final CommitLog log = engine.log();
        DatabaseLog.closed(engine.config(), log.writesFrames() ? log.durablePosition() : -1,
            System.nanoTime() - startNs, failure);
        if (failure != null)
        {
            throw failure;
        }
    }
}
