/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.primitives;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.WalEntry;
import dev.tally.core.WalEntryType;
import dev.tally.primitives.internal.Sections;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The JSON document primitive: per run, a sorted map from key to a JSON document (kept as its {@link CanonicalJson}
 * text and the value parsed back from that text) and the version (log position) of its last write. Mutated by the
 * commit-lock holder; read lock-free by any thread.
 *
 * <p>Design note: every entry that changes a document carries the whole resulting document in canonical text, next
 * to the operation (path or patch) kept for the record. The facade computes and validates the edit before the commit
 * and the commit checks, under the lock, that the document still has the version the edit was computed from. Apply
 * therefore only stores text: it cannot fail on a bad path, and recovery cannot depend on the JSON-P provider's edit
 * semantics. A failed edit throws before anything is encoded, so it writes no byte to the log.
 *
 * <pre>
 * JSON_CREATE body: key | document (canonical text)
 * JSON_SET body:    key | path (text, RFC 6901) | document (canonical text of the whole result)
 * JSON_PATCH body:  key | patch (canonical text of the RFC 6902 array) | document (canonical text of the result)
 * JSON_DELETE body: key | at path (boolean) | if at path: path | document (canonical text of the result)
 *                   (at path = false: the whole document is deleted)
 * section: version | run count | per run (sorted): run id | document count
 *          | per document (sorted by key): key | version | document (canonical text)
 * </pre>
 * Stored on disk; changing it needs a new format version.
 */
public final class JsonPrimitive implements RunSections, LoadablePrimitive
{
    /** Snapshot section id. */
    public static final int TYPE_ID = 2;

    private final Map<RunId, ConcurrentSkipListMap<Key, Doc>> byRun = new ConcurrentHashMap<>();

    /**
     * A stored document.
     *
     * @param value   the document, parsed back from its canonical text.
     * @param text    the canonical text.
     * @param version the position of the frame that last wrote it.
     */
    public record Doc(JsonValue value, String text, long version)
    {
    }

    /** {@inheritDoc} */
    @Override
    public int primitiveTypeId()
    {
        return TYPE_ID;
    }

    /** {@inheritDoc} */
    @Override
    public String name()
    {
        return "json";
    }

    /** {@inheritDoc} */
    @Override
    public int[] walEntryTypes()
    {
        return new int[] {WalEntryType.JSON_CREATE.code(), WalEntryType.JSON_SET.code(),
            WalEntryType.JSON_DELETE.code(), WalEntryType.JSON_PATCH.code()};
    }

    /**
     * Encodes a create body; any thread.
     *
     * @param key  the document key.
     * @param text the document's canonical text.
     * @return the body.
     */
    public static byte[] createBody(final Key key, final String text)
    {
        return new BinaryEncoder(key.encodedLength() + text.length() + 8).writeKey(key).writeString(text)
            .toByteArray();
    }

    /**
     * Encodes the body of an edit that leaves a document in place: {@link WalEntryType#JSON_SET} (operand = path),
     * {@link WalEntryType#JSON_PATCH} (operand = canonical patch text) or {@link WalEntryType#JSON_DELETE} at a path
     * (operand = path); any thread.
     *
     * @param typeCode one of the three codes.
     * @param key      the document key.
     * @param operand  the path or patch, kept for the record.
     * @param text     the canonical text of the resulting document.
     * @return the body.
     */
    public static byte[] editBody(final int typeCode, final Key key, final String operand, final String text)
    {
        final BinaryEncoder encoder = new BinaryEncoder(key.encodedLength() + operand.length() + text.length() + 16)
            .writeKey(key);
        if (typeCode == WalEntryType.JSON_DELETE.code())
        {
            encoder.writeBoolean(true);
        }
        return encoder.writeString(operand).writeString(text).toByteArray();
    }

    /**
     * Encodes the body of a whole-document delete; any thread.
     *
     * @param key the document key.
     * @return the body.
     */
    public static byte[] deleteBody(final Key key)
    {
        return new BinaryEncoder(key.encodedLength() + 4).writeKey(key).writeBoolean(false).toByteArray();
    }

    /**
     * The current document of a key; any thread.
     *
     * @param runId the run.
     * @param key   the key.
     * @return the document, or {@code null}.
     */
    public Doc get(final RunId runId, final Key key)
    {
        final ConcurrentSkipListMap<Key, Doc> map = byRun.get(runId);
        return map == null ? null : map.get(key);
    }

    /**
     * The version of a key's document; any thread.
     *
     * @param runId the run.
     * @param key   the key.
     * @return the log position of its last write, or 0 when absent.
     */
    public long version(final RunId runId, final Key key)
    {
        final Doc doc = get(runId, key);
        return doc == null ? 0 : doc.version();
    }

    /**
     * The document keys of a run in encoded-byte order; any thread.
     *
     * @param runId the run.
     * @return the names, empty when the run has none.
     */
    public List<Key> keys(final RunId runId)
    {
        final ConcurrentSkipListMap<Key, Doc> map = byRun.get(runId);
        return map == null ? List.of() : List.copyOf(map.keySet());
    }

    /** {@inheritDoc} */
    @Override
    public void applyWalEntry(final WalEntry entry)
    {
        final int code = entry.typeCode();
        final BinaryDecoder decoder = Sections.body(entry);
        final Key key = decoder.readKey();
        if (code == WalEntryType.JSON_CREATE.code())
        {
            final String text = decoder.readString();
            decoder.expectEnd();
            put(entry.runId(), key, text, entry.position());
        }
        else if (code == WalEntryType.JSON_SET.code() || code == WalEntryType.JSON_PATCH.code())
        {
            decoder.readString();
            final String text = decoder.readString();
            decoder.expectEnd();
            put(entry.runId(), key, text, entry.position());
        }
        else if (code == WalEntryType.JSON_DELETE.code())
        {
            applyDelete(entry, decoder, key);
        }
        else
        {
            throw new CorruptDataException(ErrorCode.UNKNOWN_ENTRY_TYPE, "json cannot apply code=" + code);
        }
    }

    private void applyDelete(final WalEntry entry, final BinaryDecoder decoder, final Key key)
    {
        if (decoder.readBoolean())
        {
            decoder.readString();
            final String text = decoder.readString();
            decoder.expectEnd();
            put(entry.runId(), key, text, entry.position());
            return;
        }
        decoder.expectEnd();
        final ConcurrentSkipListMap<Key, Doc> map = byRun.get(entry.runId());
        if (map != null)
        {
            map.remove(key);
            if (map.isEmpty())
            {
                byRun.remove(entry.runId());
            }
        }
    }

    private void put(final RunId runId, final Key key, final String text, final long version)
    {
        final Doc doc = new Doc(CanonicalJson.parse(text), text, version);
        byRun.computeIfAbsent(runId, r -> new ConcurrentSkipListMap<>()).put(key, doc);
    }

    /** {@inheritDoc} */
    @Override
public byte[] snapshotSerialize()
    {
        return serialize(byRun);
    }

    /** {@inheritDoc} */
    @Override
    public byte[] serializeRun(final RunId runId)
    {
        return serialize(Sections.only(byRun, runId));
    }

    private byte[] serialize(final Map<RunId, ConcurrentSkipListMap<Key, Doc>> runs)
    {
        return Sections.writeKeyedRuns(runs, (encoder, d) -> encoder.writeLong(d.version()).writeString(d.text()));
    }

    /** {@inheritDoc} */
    @Override
    public void snapshotDeserialize(final byte[] data)
    {
        byRun.clear();
        Sections.readKeyedRuns(data, 11, byRun, decoder ->
        {
            final long version = decoder.readLong();
            final String text = decoder.readString();
            return new Doc(CanonicalJson.parse(text), text, version);
        });
    }
}
