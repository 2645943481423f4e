/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.snapshot;

import dev.tally.core.ErrorCode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The outcome of {@link SnapshotReader#verify(Path)}: either valid, with the header and section lengths, or invalid,
 * with the code and reason a read would have failed with. Immutable; any thread.
 */
public final class SnapshotVerification
{
    private final Path file;
    private final ErrorCode errorCode;
    private final String reason;
    private final SnapshotHeader header;
    private final Map<Integer, Long> sectionLengths;

    private SnapshotVerification(
        final Path file,
        final ErrorCode errorCode,
        final String reason,
        final SnapshotHeader header,
        final Map<Integer, Long> sectionLengths)
    {
        this.file = Objects.requireNonNull(file, "file");
        this.errorCode = errorCode;
        this.reason = reason;
        this.header = header;
        this.sectionLengths = sectionLengths;
    }

    /**
     * A valid outcome; called by the reader, any thread.
     *
     * @param file           the file verified.
     * @param header         its header.
     * @param sectionLengths section length by type id.
     * @return the outcome.
     */
    public static SnapshotVerification valid(
        final Path file, final SnapshotHeader header, final Map<Integer, Long> sectionLengths)
    {
        return new SnapshotVerification(file, null, null, Objects.requireNonNull(header, "header"),
            Collections.unmodifiableMap(new TreeMap<>(sectionLengths)));
    }

    /**
     * An invalid outcome; called by the reader, any thread.
     *
     * @param file      the file verified.
     * @param errorCode why, as {@link SnapshotReader#read(Path, java.util.UUID)} would report it.
     * @param reason    the failure message.
     * @return the outcome.
     */
    public static SnapshotVerification invalid(final Path file, final ErrorCode errorCode, final String reason)
    {
        return new SnapshotVerification(file, Objects.requireNonNull(errorCode, "errorCode"),
            Objects.requireNonNull(reason, "reason"), null, Collections.emptyMap());
    }

    /**
     * The file verified; any thread.
     *
     * @return the path as given.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Whether the file passed every check; any thread.
     *
     * @return {@code true} when a read would succeed.
     */
    public boolean isValid()
    {
        return errorCode == null;
    }

    /**
     * Why the file is invalid; any thread.
     *
     * @return {@link ErrorCode#CORRUPT_SNAPSHOT}, {@link ErrorCode#UNKNOWN_FORMAT_VERSION} or
     *         {@link ErrorCode#FOREIGN_DATABASE}, or {@code null} when valid.
     */
    public ErrorCode errorCode()
    {
        return errorCode;
    }

    /**
     * The failure message, naming the field, offset and values; any thread.
     *
     * @return the message, or {@code null} when valid.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * The header of a valid file; any thread.
     *
     * @return the header, or {@code null} when invalid.
     */
    public SnapshotHeader header()
    {
        return header;
    }

    /**
     * The length of every section of a valid file; any thread.
     *
     * @return an unmodifiable map from type id to length in ascending type id order, empty when invalid.
     */
    public Map<Integer, Long> sectionLengths()
    {
        return sectionLengths;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return isValid() ?
            "SnapshotVerification{file=" + file + ", valid, header=" + header + ", sectionLengths=" +
            sectionLengths + "}" :
            "SnapshotVerification{file=" + file + ", invalid, errorCode=" + errorCode + ", reason=" + reason + "}";
    }
}
