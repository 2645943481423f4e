/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.core.CorruptDataException;
import dev.tally.core.ErrorCode;
import dev.tally.core.Value;
import dev.tally.stores.internal.Fields;
import dev.tally.stores.internal.RecordReader;
import dev.tally.stores.internal.RecordWriter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The KV keys and values of the durable payment store, in its namespace run. Every key is a one-letter kind and the
 * SHA-256 of the user's id, so keys stay short and bounded however long the id; the full id is in the value. Values
 * are {@link RecordWriter} records: format version 1, a kind byte, then the fields in declaration order, times as
 * microseconds with -1 for none. Stored on disk; changing it needs a new format version. Pure; any thread.
 *
 * <pre>
 *   x/&lt;sha256(transactionId)&gt;  exact payment        i/&lt;sha256(id)&gt;        payment identifier
 *   c/&lt;sha256(channelId)&gt;      channel              b/&lt;sha256(commitmentId)&gt; batch commitment
 *   a/&lt;sha256(attemptId)&gt;      claim attempt        o/&lt;sha256(channelId)&gt;   the channel's open attempt id
 * </pre>
 */
final class ServerStateCodec
{
    /** The record format version this build writes and reads. */
    static final int VERSION = 1;

    private static final int KIND_PAYMENT = 'x';
    private static final int KIND_IDENTIFIER = 'i';
    private static final int KIND_CHANNEL = 'c';
    private static final int KIND_COMMITMENT = 'b';
    private static final int KIND_ATTEMPT = 'a';
    private static final int KIND_OPEN = 'o';

    private ServerStateCodec()
    {
    }

    static String paymentKey(final String transactionId)
    {
        return key(KIND_PAYMENT, transactionId);
    }

    static String identifierKey(final String id)
    {
        return key(KIND_IDENTIFIER, id);
    }

    static String channelKey(final String channelId)
    {
        return key(KIND_CHANNEL, channelId);
    }

    static String commitmentKey(final String commitmentId)
    {
        return key(KIND_COMMITMENT, commitmentId);
    }

    static String attemptKey(final String attemptId)
    {
        return key(KIND_ATTEMPT, attemptId);
    }

    static String openKey(final String channelId)
    {
        return key(KIND_OPEN, channelId);
    }

    static Value encode(final ExactPaymentRecord r)
    {
        return start(KIND_PAYMENT).writeString(r.transactionId()).writeInt(r.paymentOutputIndex())
            .writeString(r.requestFingerprint()).writeString(r.paymentPayloadHash()).writeBytes(r.response())
            .writeLong(micros(r.committedAt())).toValue();
    }

    static ExactPaymentRecord decodePayment(final Value stored)
    {
        final RecordReader in = open(stored, KIND_PAYMENT);
        return new ExactPaymentRecord(in.readString(), in.readInt(), in.readString(), in.readString(),
            in.readBytes(), instant(in.readLong()));
    }

    static Value encode(final PaymentIdentifierRecord r)
    {
        return start(KIND_IDENTIFIER).writeString(r.id()).writeString(r.requestFingerprint())
            .writeString(r.paymentPayloadHash()).writeString(r.paymentScopeId()).writeBytes(r.response())
            .writeString(r.transactionId()).writeString(r.commitmentId()).writeLong(micros(r.committedAt()))
            .toValue();
    }

    static PaymentIdentifierRecord decodeIdentifier(final Value stored)
    {
        final RecordReader in = open(stored, KIND_IDENTIFIER);
        return new PaymentIdentifierRecord(in.readString(), in.readString(), in.readString(), in.readString(),
            in.readBytes(), in.readString(), in.readString(), instant(in.readLong()));
    }

    static Value encode(final ServerChannelRecord r)
    {
        return writeChannel(start(KIND_CHANNEL), r).toValue();
    }

    static ServerChannelRecord decodeChannel(final Value stored)
    {
        return readChannel(open(stored, KIND_CHANNEL));
    }

    static Value encode(final BatchCommitmentRecord r)
    {
        return start(KIND_COMMITMENT).writeString(r.commitmentId()).writeString(r.channelId())
            .writeString(r.requestFingerprint()).writeString(r.amount()).writeString(r.chargedCumulativeAmount())
            .writeString(r.paymentIdentifier()).writeBytes(r.response()).writeLong(micros(r.committedAt()))
            .toValue();
    }

    static BatchCommitmentRecord decodeCommitment(final Value stored)
    {
        final RecordReader in = open(stored, KIND_COMMITMENT);
        return new BatchCommitmentRecord(in.readString(), in.readString(), in.readString(), in.readString(),
            in.readString(), in.readString(), in.readBytes(), instant(in.readLong()));
    }

    static Value encode(final ClaimAttemptRecord r)
    {
        final RecordWriter out = start(KIND_ATTEMPT).writeString(r.attemptId()).writeString(r.channelId());
        return writeChannel(out, r.snapshot()).writeString(r.claimAmount()).writeByte(r.status().ordinal())
            .writeBytes(r.transaction()).writeLong(micros(r.createdAt())).toValue();
    }

    static ClaimAttemptRecord decodeAttempt(final Value stored)
    {
        final RecordReader in = open(stored, KIND_ATTEMPT);
        return new ClaimAttemptRecord(in.readString(), in.readString(), readChannel(in), in.readString(),
            enumAt(ClaimAttemptStatus.values(), in.readByte()), in.readBytes(), instant(in.readLong()));
    }

    static Value encodeOpen(final String attemptId)
    {
        return start(KIND_OPEN).writeString(attemptId).toValue();
    }

    static String decodeOpen(final Value stored)
    {
        return open(stored, KIND_OPEN).readString();
    }

    private static RecordWriter writeChannel(final RecordWriter out, final ServerChannelRecord r)
    {
        return out.writeString(r.channelId()).writeLong(r.version()).writeByte(r.status().ordinal())
            .writeString(r.fundingAmount()).writeString(r.chargedCumulativeAmount())
            .writeString(r.claimedCumulativeAmount()).writeString(r.signedMaxClaimable())
            .writeString(r.activeOutpoint()).writeString(r.voucherSignature()).writeString(r.lastCommitmentId())
            .writeBytes(r.details());
    }

    private static ServerChannelRecord readChannel(final RecordReader in)
    {
        return new ServerChannelRecord(in.readString(), in.readLong(), enumAt(ChannelStatus.values(), in.readByte()),
            in.readString(), in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
            in.readString(), in.readBytes());
    }

    private static RecordWriter start(final int kind)
    {
        return new RecordWriter(VERSION).writeByte(kind);
    }

    private static RecordReader open(final Value stored, final int kind)
    {
        final RecordReader in = new RecordReader(stored, VERSION);
        final int found = in.readByte();
        if (found != kind)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "a payment store record has the wrong kind: "
                + "expected=" + (char)kind + ", found=" + found);
        }
        return in;
    }

    private static <E> E enumAt(final E[] values, final int ordinal)
    {
        if (ordinal >= values.length)
        {
            throw new CorruptDataException(ErrorCode.CORRUPT_DATA, "unknown status in a payment store record: "
                + "ordinal=" + ordinal);
        }
        return values[ordinal];
    }

    private static long micros(final Instant at)
    {
        return at == null ? -1 : Fields.toMicros(at);
    }

    private static Instant instant(final long micros)
    {
        return micros == -1 ? null : Fields.ofMicros(micros);
    }

    private static String key(final int kind, final String id)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return (char)kind + "/" + HexFormat.of().formatHex(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }
}
