/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

/**
 * The contract every primitive implements, built-in or added later: which WAL entry types it owns, how its state is
 * written to and read from a snapshot section, and how one WAL entry changes its state.
 *
 * <p>Threading: the engine calls every method from one thread at a time (the commit path or recovery), so
 * implementations need no locking of their own for these calls. Implementations must be deterministic: the same
 * snapshot section and the same entries in the same order must give the same state and the same serialized bytes,
 * on every JVM, timezone and locale.
 */
public interface PrimitiveStorageExt
{
    /** The lowest type id an extension may use; 0 is reserved. */
    int PRIMITIVE_TYPE_ID_MIN = 1;
    /** The highest type id an extension may use. */
    int PRIMITIVE_TYPE_ID_MAX = 255;

    /**
     * The id of this primitive's section in a snapshot, unique among the registered primitives.
     *
     * @return 1 to 255.
     */
    int primitiveTypeId();

    /**
     * A short name for reports and errors.
     *
     * @return the name.
     */
    String name();

    /**
     * The WAL entry type codes this primitive owns, all within one sixteen-code block
     * ({@code 0xN0-0xNF}) that no other primitive owns.
     *
     * @return the codes; the caller does not change the array.
     */
    int[] walEntryTypes();

    /**
     * Serializes the whole state in a canonical order, so equal states give equal bytes.
     *
     * @return the section body.
     */
    byte[] snapshotSerialize();

    /**
     * Replaces the whole state with a section made by {@link #snapshotSerialize()}.
     *
     * @param data the section body.
     * @throws CorruptDataException when the section does not decode; the state is then unspecified and the caller
     *                              discards this instance.
     */
    void snapshotDeserialize(byte[] data);

    /**
     * Applies one committed entry of a type this primitive owns.
     *
     * @param entry the entry.
     * @throws CorruptDataException when the payload does not decode.
     */
    void applyWalEntry(WalEntry entry);
}
