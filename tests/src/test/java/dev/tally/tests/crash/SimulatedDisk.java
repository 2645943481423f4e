/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.crash;

import dev.tally.core.ErrorCode;
import dev.tally.core.RunId;
import dev.tally.core.StorageException;
import dev.tally.core.TxId;
import dev.tally.pipeline.LogWriter;
import dev.tally.snapshot.SnapshotOutput;
import dev.tally.snapshot.SnapshotStorage;
import dev.tally.wal.SegmentDescriptor;
import dev.tally.wal.SegmentForcer;
import dev.tally.wal.SegmentStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A fault-injecting disk under the WAL and the snapshots that keeps what was written apart from what was made
 * durable. Files live in a real directory and are mapped and written normally (so the engine runs unchanged), but
 * every force copies the forced range into the file's durable image, and creations, renames and deletions become
 * durable only at the next directory force. On a crash ({@link #crashNow()} or a {@link CrashPoint}) it captures
 * both views in a {@link CrashState}, from which {@link CrashImage} builds the directory a power loss could leave.
 * <p>
 * Faults: a chosen force fails once or for good ({@link #failForce}), the disk fills up after a byte budget ({@link
 * #freeBytes}), and it crashes at the n-th hit of a named point or at the n-th hit of any point, throwing {@link
 * SimulatedCrash}; after the crash every call fails with an {@link IOException}, so the engine fails stop and
 * releases what it holds, and nothing it does reaches the captured state. Thread-safe: the writer thread and snapshot threads call it concurrently.
 */
public final class SimulatedDisk implements SegmentStorage, SegmentForcer, SnapshotStorage
{
    /** The message of the full-disk {@link IOException}, the text the engine classifies. */
    public static final String NO_SPACE = "No space left on device";

    private final Path directory;
    private final Map<String, Inode> durableNames = new TreeMap<>();
    private final Map<String, Inode> liveNames = new TreeMap<>();
    private final List<DirOp> pendingOps = new ArrayList<>();
    private final Map<MappedByteBuffer, Inode> mappings = new IdentityHashMap<>();
    private final EnumMap<CrashPoint, Integer> hits = new EnumMap<>(CrashPoint.class);
    private final EnumMap<ForceSite, Integer> forces = new EnumMap<>(ForceSite.class);
    private final EnumSet<ForceSite> failedForGood = EnumSet.noneOf(ForceSite.class);
    private CrashPoint crashPoint;
    private int crashOccurrence;
    private long crashAtEvent = -1;
    private long events;
    private ForceSite failSite;
    private int failOccurrence;
    private boolean failForGood;
    private int forceFailures;
    private long freeBytes = Long.MAX_VALUE;
    private volatile CrashState crashState;

    /**
     * Creates a disk over a database directory.
     *
     * @param directory the live directory, where the engine's files are written.
     */
    public SimulatedDisk(final Path directory)
    {
        this.directory = directory.toAbsolutePath();
    }

    /** A file: its durable content; its live content is the real file at {@link #path}. */
    static final class Inode
    {
        byte[] durable = new byte[0];
        Path path;

        Inode(final Path path)
        {
            this.path = path;
        }
    }

    /**
     * A directory operation not yet made durable.
     *
     * @param kind  create, rename or delete.
     * @param from  the name created or deleted, or the rename source.
     * @param to    the rename target, or {@code null}.
     * @param inode the file.
     */
    record DirOp(String kind, String from, String to, Inode inode)
    {
    }

    /**
     * What a crash left: the durable names, the directory operations since the last directory force, in order, and
     * for every file its durable and its written content.
     *
     * @param durableNames the names made durable, to their files.
     * @param pendingOps   operations since the last directory force.
     * @param durable      each file's durable content.
     * @param written      each file's written content at the crash.
     * @param extraFiles   other files of the directory (the identity file), taken as durable.
     * @param where        what crashed.
     */
    public record CrashState(Map<String, Inode> durableNames, List<DirOp> pendingOps, Map<Inode, byte[]> durable,
        Map<Inode, byte[]> written, Map<String, byte[]> extraFiles, String where)
    {
    }

    /**
     * Crashes at the n-th hit of a point.
     *
     * @param point      the point.
     * @param occurrence 1 for the first hit.
     * @return this.
     */
    public synchronized SimulatedDisk crashAt(final CrashPoint point, final int occurrence)
    {
        this.crashPoint = point;
        this.crashOccurrence = occurrence;
        return this;
    }

    /**
     * Crashes at the n-th hit of any point.
     *
     * @param event 1 for the first hit.
     * @return this.
     */
    public synchronized SimulatedDisk crashAtEvent(final long event)
    {
        this.crashAtEvent = event;
        return this;
    }

    /**
     * Fails the n-th force of a site, once or for good (every later force of that site fails too).
     *
     * @param site       the site.
     * @param occurrence 1 for the first force.
     * @param forGood    whether later forces of the site fail as well.
     * @return this.
     */
    public synchronized SimulatedDisk failForce(final ForceSite site, final int occurrence, final boolean forGood)
    {
        this.failSite = site;
        this.failOccurrence = occurrence;
        this.failForGood = forGood;
        return this;
    }

    /**
     * Sets how many bytes may still be allocated by segment creation and snapshot writes before the disk is full.
     *
     * @param bytes the budget.
     * @return this.
     */
    public synchronized SimulatedDisk freeBytes(final long bytes)
    {
        this.freeBytes = bytes;
        return this;
    }

    /**
     * How often a point was hit.
     *
     * @param point the point.
     * @return the hits.
     */
    public synchronized int hits(final CrashPoint point)
    {
        return hits.getOrDefault(point, 0);
    }

    /**
     * How many points were hit in all.
     *
     * @return the events.
     */
    public synchronized long events()
    {
        return events;
    }

    /**
     * How often a site was forced, failed forces included.
     *
     * @param site the site.
     * @return the forces.
     */
    public synchronized int forces(final ForceSite site)
    {
        return forces.getOrDefault(site, 0);
    }

    /**
     * How many forces failed.
     *
     * @return the failures.
     */
    public synchronized int forceFailures()
    {
        return forceFailures;
    }

    /**
     * The state the crash left, or {@code null} before a crash.
     *
     * @return the state.
     */
    public CrashState crashState()
    {
        return crashState;
    }

    /**
     * Whether the disk crashed.
     *
     * @return {@code true} after a crash.
     */
    public boolean isCrashed()
    {
        return crashState != null;
    }

    /**
     * Crashes now, from any thread (the power goes off): captures the state; later calls throw.
     *
     * @return the state.
     */
    public synchronized CrashState crashNow()
    {
        if (crashState == null)
        {
            crashState = capture("crashNow");
        }
        return crashState;
    }

    /**
     * A log writer wrapper for {@code DatabaseBuilder.logWriterWrapper} that adds the frame write points.
     *
     * @return the wrapper.
     */
    public UnaryOperator<LogWriter> logWriterWrapper()
    {
        return log -> new FramePoints(log);
    }

    // ---------------------------------------------------------------- SegmentStorage

    @Override
    public synchronized void create(final Path file, final ByteBuffer header, final int segmentLength)
        throws IOException
    {
        point(CrashPoint.SEGMENT_ROLL);
        if (Files.exists(file))
        {
            throw new FileAlreadyExistsException(file.toString());
        }
        allocate(segmentLength);
        final Path temporary = file.resolveSibling(file.getFileName() + SegmentDescriptor.TEMPORARY_SUFFIX);
        final Inode inode = new Inode(temporary);
        try
        {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer view = header.duplicate();
                view.clear().limit(SegmentDescriptor.HEADER_LENGTH);
                while (view.hasRemaining())
                {
                    channel.write(view, view.position());
                }
                channel.truncate(segmentLength);
                channel.write(ByteBuffer.allocate(1), segmentLength - 1);
            }
            liveNames.put(name(temporary), inode);
            pendingOps.add(new DirOp("create", name(temporary), null, inode));
            force(ForceSite.SEGMENT_CREATE);
            inode.durable = Files.readAllBytes(temporary);
            point(CrashPoint.RENAME);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            rename(temporary, file, inode);
        }
        catch (final IOException ex)
        {
            Files.deleteIfExists(temporary);
            if (liveNames.remove(name(temporary)) != null)
            {
                pendingOps.add(new DirOp("delete", name(temporary), null, inode));
            }
            throw ex;
        }
        forceDirectory();
    }

    @Override
    public synchronized MappedByteBuffer map(final Path file, final int segmentLength) throws IOException
    {
        checkNotCrashed();
        Inode inode = liveNames.get(name(file));
        if (inode == null)
        {
            // A file from before this disk was attached: taken as durable as it is.
            inode = new Inode(file.toAbsolutePath());
            inode.durable = Files.readAllBytes(file);
            liveNames.put(name(file), inode);
            durableNames.put(name(file), inode);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            if (channel.size() != segmentLength)
            {
                throw new IOException("segment file has the wrong length: file=" + file.getFileName());
            }
            final MappedByteBuffer mapped = dev.tally.core.Unmapper.map(channel, FileChannel.MapMode.READ_WRITE, 0,
                segmentLength);
            mappings.put(mapped, inode);
            return mapped;
        }
    }

    @Override
    public synchronized void delete(final Path file) throws IOException
    {
        point(CrashPoint.SEGMENT_RECLAIM);
        Files.delete(file);
        final Inode inode = liveNames.remove(name(file));
        pendingOps.add(new DirOp("delete", name(file), null, inode));
        forceDirectory();
    }

    // ---------------------------------------------------------------- SegmentForcer

    @Override
    public synchronized void force(final MappedByteBuffer buffer, final int offset, final int length)
        throws IOException
    {
        point(CrashPoint.BEFORE_FORCE);
        force(ForceSite.LOG);
        final Inode inode = mappings.get(buffer);
        if (inode == null)
        {
            throw new IllegalStateException("force of a mapping this disk did not make");
        }
        if (inode.durable.length < buffer.capacity())
        {
            inode.durable = Arrays.copyOf(inode.durable, buffer.capacity());
        }
        buffer.get(offset, inode.durable, offset, length);
        point(CrashPoint.AFTER_FORCE);
    }

    // ---------------------------------------------------------------- SnapshotStorage

    @Override
    public synchronized SnapshotOutput create(final Path file) throws IOException
    {
        point(CrashPoint.SNAPSHOT_WRITE);
        allocate(1);
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Inode inode = liveNames.get(name(file));
        if (inode == null)
        {
            inode = new Inode(file.toAbsolutePath());
            liveNames.put(name(file), inode);
            pendingOps.add(new DirOp("create", name(file), null, inode));
        }
        return new Output(channel, inode);
    }

    @Override
    public synchronized void moveAtomically(final Path source, final Path target) throws IOException
    {
        point(CrashPoint.RENAME);
        final Inode inode = liveNames.get(name(source));
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        rename(source, target, inode);
    }

    @Override
    public synchronized void forceDirectory(final Path dir) throws IOException
    {
        forceDirectory();
    }

    @Override
    public synchronized boolean deleteIfExists(final Path file) throws IOException
    {
        checkNotCrashed();
        final boolean deleted = Files.deleteIfExists(file);
        final Inode inode = liveNames.remove(name(file));
        if (inode != null)
        {
            pendingOps.add(new DirOp("delete", name(file), null, inode));
        }
        return deleted;
    }

    // ---------------------------------------------------------------- internals

    private void forceDirectory() throws IOException
    {
        point(CrashPoint.DIRECTORY_FORCE);
        force(ForceSite.DIRECTORY);
        for (final DirOp op : pendingOps)
        {
            apply(durableNames, op);
        }
        pendingOps.clear();
    }

    static void apply(final Map<String, Inode> names, final DirOp op)
    {
        switch (op.kind())
        {
            case "create" -> names.put(op.from(), op.inode());
            case "delete" -> names.remove(op.from());
            case "rename" ->
            {
                final Inode inode = names.remove(op.from());
                names.put(op.to(), inode == null ? op.inode() : inode);
            }
            default -> throw new IllegalStateException(op.kind());
        }
    }

    private void rename(final Path source, final Path target, final Inode inode)
    {
        liveNames.remove(name(source));
        if (inode != null)
        {
            inode.path = target.toAbsolutePath();
            liveNames.put(name(target), inode);
        }
        pendingOps.add(new DirOp("rename", name(source), name(target), inode));
    }

    private void force(final ForceSite site) throws IOException
    {
        final int count = forces.merge(site, 1, Integer::sum);
        if (failedForGood.contains(site) || (site == failSite && count == failOccurrence))
        {
            if (failForGood)
            {
                failedForGood.add(site);
            }
            forceFailures++;
            throw new IOException("simulated force failure: site=" + site + ", force=" + count);
        }
    }

    private void allocate(final long bytes) throws IOException
    {
        if (bytes > freeBytes)
        {
            freeBytes = 0;
            throw new IOException(NO_SPACE);
        }
        freeBytes -= bytes;
    }

    private void point(final CrashPoint point) throws IOException
    {
        checkNotCrashed();
        events++;
        final int count = hits.merge(point, 1, Integer::sum);
        if (events == crashAtEvent || (point == crashPoint && count == crashOccurrence))
        {
            crashState = capture(point.name() + "#" + count);
            throw new SimulatedCrash(crashState.where());
        }
    }

    private void checkNotCrashed() throws IOException
    {
        if (crashState != null)
        {
            // After the crash the engine only gets I/O errors, so that it fails stop and closes what it opened.
            throw new IOException("simulated crash: the disk is gone after " + crashState.where());
        }
    }

    private CrashState capture(final String where)
    {
        final Map<Inode, byte[]> durable = new IdentityHashMap<>();
        final Map<Inode, byte[]> written = new IdentityHashMap<>();
        final List<Inode> inodes = new ArrayList<>(durableNames.values());
        inodes.addAll(liveNames.values());
        for (final DirOp op : pendingOps)
        {
            if (op.inode() != null)
            {
                inodes.add(op.inode());
            }
        }
        for (final Inode inode : inodes)
        {
            durable.put(inode, inode.durable.clone());
            byte[] live;
            try
            {
                live = Files.exists(inode.path) ? Files.readAllBytes(inode.path) : inode.durable.clone();
            }
            catch (final IOException ex)
            {
                live = inode.durable.clone();
            }
            written.put(inode, live);
        }
        final Map<String, Inode> names = new TreeMap<>(durableNames);
        // Deletions made outside the seams (snapshot retention, leftover temporaries) are taken as durable.
        names.values().removeIf(inode -> !Files.exists(inode.path) && !pendingOpsMention(inode));
        final Map<String, byte[]> extras = new TreeMap<>();
        try (var stream = Files.list(directory))
        {
            for (final Path path : (Iterable<Path>)stream::iterator)
            {
                final String fileName = name(path);
                if (fileName.equals("tally.db"))
                {
                    extras.put(fileName, Files.readAllBytes(path));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list " + directory, ex);
        }
        return new CrashState(names, List.copyOf(pendingOps), durable, written, extras, where);
    }

    private boolean pendingOpsMention(final Inode inode)
    {
        for (final DirOp op : pendingOps)
        {
            if (op.inode() == inode)
            {
                return true;
            }
        }
        return false;
    }

    private static String name(final Path path)
    {
        return path.getFileName().toString();
    }

    /** A snapshot file being written: durable only after force. */
    private final class Output implements SnapshotOutput
    {
        private final FileChannel channel;
        private final Inode inode;

        Output(final FileChannel channel, final Inode inode)
        {
            this.channel = channel;
            this.inode = inode;
        }

        @Override
        public void write(final ByteBuffer source) throws IOException
        {
            synchronized (SimulatedDisk.this)
            {
                point(CrashPoint.SNAPSHOT_WRITE);
                allocate(source.remaining());
                while (source.hasRemaining())
                {
                    channel.write(source);
                }
            }
        }

        @Override
        public void force() throws IOException
        {
            synchronized (SimulatedDisk.this)
            {
                checkNotCrashed();
                SimulatedDisk.this.force(ForceSite.SNAPSHOT);
                inode.durable = Files.readAllBytes(inode.path);
            }
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }

    /** The log writer wrapper: frame write points around every append. */
    private final class FramePoints implements LogWriter
    {
        private final LogWriter log;

        FramePoints(final LogWriter log)
        {
            this.log = log;
        }

        @Override
        public long append(final int typeCode, final TxId txId, final RunId runId, final byte[] payload)
        {
            framePoint(CrashPoint.BEFORE_FRAME_WRITE);
            final long position = log.append(typeCode, txId, runId, payload);
            framePoint(CrashPoint.AFTER_FRAME_WRITE);
            return position;
        }

        private void framePoint(final CrashPoint point)
        {
            synchronized (SimulatedDisk.this)
            {
                try
                {
                    point(point);
                }
                catch (final IOException ex)
                {
                    throw new StorageException(ErrorCode.STORAGE_IO, ex.getMessage(), ex);
                }
            }
        }

        @Override
        public void force()
        {
            log.force();
        }

        @Override
        public long durablePosition()
        {
            return log.durablePosition();
        }

        @Override
        public long nextPosition()
        {
            return log.nextPosition();
        }

        @Override
        public long framePosition(final long nextPosition, final int payloadLength)
        {
            return log.framePosition(nextPosition, payloadLength);
        }

        @Override
        public long frameEnd(final long framePosition, final int payloadLength)
        {
            return log.frameEnd(framePosition, payloadLength);
        }

        @Override
        public int payloadLengthMax()
        {
            return log.payloadLengthMax();
        }

        @Override
        public int releaseBefore(final long position)
        {
            return log.releaseBefore(position);
        }

        @Override
        public void close()
        {
            log.close();
        }
    }
}
