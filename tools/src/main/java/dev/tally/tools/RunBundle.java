/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.HistoryFrame;
import dev.tally.core.RunId;
import dev.tally.core.TallyException;
import dev.tally.snapshot.HistoryFile;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A run bundle: a zip holding {@code history.bin} (the run's frames in the replay module's HISTORY section layout),
 * {@code view.json} (its replayed state, canonical JSON) and {@code manifest.json} (the run, its replay hash, and the
 * length and SHA-256 of every other part). Reading checks every part against the manifest and decodes the history
 * before anything is returned, so a damaged bundle is refused whole. Immutable; the command's thread.
 *
 * @param runId      the run.
 * @param frames     its history.
 * @param viewJson   its replayed state.
 * @param replayHash the engine's replay hash of the whole history.
 */
record RunBundle(RunId runId, List<HistoryFrame> frames, String viewJson, String replayHash)
{
    static final String FORMAT = "tally-run-bundle";
    static final int VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String HISTORY = "history.bin";
    static final String VIEW = "view.json";

    private static final long PART_LENGTH_MAX = 1L << 30;

    void write(final Path file)
    {
        final HistoryFile.Builder builder = new HistoryFile.Builder();
        for (final HistoryFrame frame : frames)
        {
            builder.append(runId, frame);
        }
        final Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put(HISTORY, builder.toByteArray());
        parts.put(VIEW, viewJson.getBytes(StandardCharsets.UTF_8));
        final JsonObjectBuilder files = Json.object();
        for (final Map.Entry<String, byte[]> part : parts.entrySet())
        {
            files.add(part.getKey(), Json.object().add("length", part.getValue().length)
                .add("sha256", sha256(part.getValue())));
        }
        final JsonObject manifest = Json.object().add("format", FORMAT).add("version", VERSION)
            .add("run", runId.toString()).add("frames", frames.size()).add("replayHash", replayHash)
            .add("files", files).build();
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            try (OutputStream stream = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(stream))
            {
                put(zip, MANIFEST, Json.pretty(manifest).getBytes(StandardCharsets.UTF_8));
                for (final Map.Entry<String, byte[]> part : parts.entrySet())
                {
                    put(zip, part.getKey(), part.getValue());
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(Tally.DAMAGED_OR_LOCKED, "cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    static RunBundle read(final Path file)
    {
        final Map<String, byte[]> parts = unzip(file);
        final byte[] manifestBytes = parts.remove(MANIFEST);
        if (manifestBytes == null)
        {
            throw damaged(file, "no " + MANIFEST);
        }
        final JsonObject manifest;
        final RunId runId;
        try
        {
            manifest = Json.PROVIDER.createReader(new StringReader(new String(manifestBytes,
                StandardCharsets.UTF_8))).readObject();
            if (!FORMAT.equals(manifest.getString("format")) || manifest.getInt("version") != VERSION)
            {
                throw damaged(file, "not a version " + VERSION + " " + FORMAT);
            }
            runId = RunId.parse(manifest.getString("run"));
            checkParts(file, manifest.getJsonObject("files"), parts);
        }
        catch (final RuntimeException ex)
        {
            throw ex instanceof CommandFailure failure ? failure : damaged(file, "bad manifest: " + ex.getMessage());
        }
        final List<HistoryFrame> frames;
        try
        {
            frames = HistoryFile.readRun(parts.get(HISTORY), runId);
        }
        catch (final TallyException ex)
        {
            throw damaged(file, HISTORY + " does not decode: " + ex.getMessage());
        }
        if (frames.size() != manifest.getInt("frames"))
        {
            throw damaged(file, HISTORY + " holds " + frames.size() + " frames, the manifest says "
                + manifest.getInt("frames"));
        }
        return new RunBundle(runId, frames, new String(parts.get(VIEW), StandardCharsets.UTF_8),
            manifest.getString("replayHash"));
    }

    private static void checkParts(final Path file, final JsonObject files, final Map<String, byte[]> parts)
    {
        if (!files.keySet().equals(parts.keySet()) || !parts.containsKey(HISTORY) || !parts.containsKey(VIEW))
        {
            throw damaged(file, "its parts " + parts.keySet() + " are not the manifest's " + files.keySet());
        }
        for (final Map.Entry<String, byte[]> part : parts.entrySet())
        {
            final JsonObject expected = files.getJsonObject(part.getKey());
            final String actual = sha256(part.getValue());
            if (expected.getJsonNumber("length").longValue() != part.getValue().length
                || !expected.getString("sha256").equals(actual))
            {
                throw damaged(file, part.getKey() + " fails its checksum: expected sha256 "
                    + expected.getString("sha256") + ", actual " + actual);
            }
        }
    }

    private static Map<String, byte[]> unzip(final Path file)
    {
        final Map<String, byte[]> parts = new LinkedHashMap<>();
        try (InputStream stream = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(stream))
        {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry())
            {
                if (parts.containsKey(entry.getName()))
                {
                    throw damaged(file, "part " + entry.getName() + " appears twice");
                }
                parts.put(entry.getName(), readBounded(zip, file));
            }
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw damaged(file, "not a readable zip: " + ex.getMessage());
        }
        return parts;
    }

    private static byte[] readBounded(final InputStream in, final Path file) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer))
        {
            total += read;
            if (total > PART_LENGTH_MAX)
            {
                throw damaged(file, "a part is longer than " + PART_LENGTH_MAX + " bytes");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private static void put(final ZipOutputStream zip, final String name, final byte[] bytes) throws IOException
    {
        zip.putNextEntry(new ZipEntry(name));
        new ByteArrayInputStream(bytes).transferTo(zip);
        zip.closeEntry();
    }

    static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    private static CommandFailure damaged(final Path file, final String reason)
    {
        return new CommandFailure(Tally.DAMAGED_OR_LOCKED, "bundle " + file + " is damaged, nothing imported: "
            + reason);
    }
}
