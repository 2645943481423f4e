/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@Timeout(10)
class FileBytesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldChangeOnlyTargetedBytesWhenDamagingInPlace()
    {
        final Path file = dir.resolve("f.bin");
        FileBytes.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        FileBytes.writeAt(file, 1, new byte[] {9, 9});
        FileBytes.flipByte(file, 4);
        FileBytes.zeroRange(file, 6, 8);
        assertArrayEquals(new byte[] {1, 9, 9, 4, 5 ^ 0x20, 6, 0, 0}, FileBytes.read(file));
        FileBytes.writeIntLittleEndian(file, 0, 0x01020304);
        assertArrayEquals(new byte[] {4, 3, 2, 1, 5 ^ 0x20, 6, 0, 0}, FileBytes.read(file));
    }

    @Test
    void shouldChangeDigestWhenOneByteChangesAndSkipLockFiles()
    {
        FileBytes.write(dir.resolve("a.wal"), new byte[] {1, 2, 3});
        FileBytes.write(dir.resolve("db.lock"), new byte[] {0});
        final Map<String, String> before = FileBytes.digests(dir);
        assertEquals(1, before.size());
        FileBytes.flipByte(dir.resolve("a.wal"), 0);
        assertNotEquals(before, FileBytes.digests(dir));
    }

    @Test
    void shouldDeleteWholeTreeWhenDirectoriesAreNested()
    {
        final Path root = TempDirs.create(dir, "tree");
        final Path nested = TempDirs.create(root, "nested");
        FileBytes.write(nested.resolve("x"), new byte[] {1});
        TempDirs.deleteTree(root);
        assertFalse(Files.exists(root));
        TempDirs.deleteTree(root);
    }
}
