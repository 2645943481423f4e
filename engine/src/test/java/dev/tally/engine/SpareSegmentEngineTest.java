/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.wal.SegmentStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's spare thread. Goal: the log's rolls go into segments prepared ahead on the helper thread (so the writer
 * thread does not write a segment of zeros), every segment comes either from a spare or from a plain creation, no
 * spare is left behind by close, and the state reads back the same after reopen.
 */
@Timeout(60)
class SpareSegmentEngineTest
{
    @Test
    void shouldRollIntoSparesPreparedByTheHelperThreadAndReopenToTheSameState(@TempDir final Path dir)
        throws IOException
    {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger spares = new AtomicInteger();
        final AtomicInteger activated = new AtomicInteger();
        final SegmentStorage counting = new SegmentStorage()
        {
            @Override
            public void create(final Path file, final ByteBuffer header, final int segmentLength) throws IOException
            {
                created.incrementAndGet();
                SegmentStorage.files().create(file, header, segmentLength);
            }

            @Override
            public MappedByteBuffer map(final Path file, final int segmentLength) throws IOException
            {
                return SegmentStorage.files().map(file, segmentLength);
            }

            @Override
            public void delete(final Path file) throws IOException
            {
                SegmentStorage.files().delete(file);
            }

            @Override
            public boolean createSpare(final Path spare, final int segmentLength) throws IOException
            {
                spares.incrementAndGet();
                return SegmentStorage.files().createSpare(spare, segmentLength);
            }

            @Override
            public void activateSpare(final Path spare, final Path file, final ByteBuffer header) throws IOException
            {
                activated.incrementAndGet();
                SegmentStorage.files().activateSpare(spare, file, header);
            }
        };
        final Path db = dir.resolve("db");
        final RunId run = RunId.random();
        final String before;
        try (Database database = Database.builder().directory(db).durability(DurabilityMode.STRICT)
            .segmentLength(64 * 1024).snapshots(SnapshotConfig.MANUAL).segmentStorage(counting).open())
        {
            database.beginRun(run);
            for (int i = 0; i < 2_000; i++)
            {
                database.kv().put(run, "k" + (i % 700), Value.of(new byte[100 + i % 50]));
            }
            before = database.stateHash();
        }
        final long segments = countFiles(db, ".wal");
        assertTrue(segments >= 5, "segments=" + segments);
        assertEquals(segments, created.get() + activated.get(), "every segment is created or activated once");
        assertTrue(activated.get() >= segments - 2, "rolls into spares: " + activated.get() + " of " + (segments - 1));
        assertTrue(spares.get() >= activated.get());
        assertEquals(0, countFiles(db, ".tmp"), "close leaves no spare behind");
        try (Database reopened = Database.builder().directory(db).open())
        {
            assertEquals(before, reopened.stateHash());
            assertEquals(Value.of(new byte[100 + 1999 % 50]), reopened.kv().get(run, "k" + (1999 % 700)).orElseThrow());
        }
    }

    private static long countFiles(final Path directory, final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }
}
