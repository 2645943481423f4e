/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.internal.Fields;

import java.util.Arrays;
import java.util.Objects;

/**
 * The server's state of one payment channel: what was funded, charged to the client, claimed on chain, and the most
 * the client signed for. Immutable and validated; any thread.
 *
 * <p>Amounts are non-negative integers in the asset's smallest unit, as canonical decimal strings (no sign, no
 * leading zeros, at most 78 digits, so any unsigned 256-bit amount fits); two equal amounts are equal strings. The
 * store checks their syntax only, never the channel's arithmetic. {@code version} counts the channel's transitions:
 * every write after {@link ServerStateStore#openChannel} must carry the version of the state it replaces plus one.
 * {@code details} is the application's opaque evidence (channel configuration, escrow address, script, genesis
 * proof), compared byte for byte like every other field.
 *
 * @param channelId               the channel's id, unique in the trust domain.
 * @param version                 the transition counter, 0 or more.
 * @param status                  the channel's status.
 * @param fundingAmount           what the channel holds on chain.
 * @param chargedCumulativeAmount the total charged to the client so far.
 * @param claimedCumulativeAmount the total claimed on chain so far.
 * @param signedMaxClaimable      the most the client's latest voucher lets the server claim.
 * @param activeOutpoint          the funding output the channel lives in, or {@code null}.
 * @param voucherSignature        the latest voucher's signature, or {@code null}.
 * @param lastCommitmentId        the batch commitment that produced this state, or {@code null}.
 * @param details                 opaque application evidence, up to 64 KiB; {@code null} is taken as empty.
 */
public record ServerChannelRecord(String channelId, long version, ChannelStatus status, String fundingAmount,
    String chargedCumulativeAmount, String claimedCumulativeAmount, String signedMaxClaimable, String activeOutpoint,
    String voucherSignature, String lastCommitmentId, byte[] details)
{
    /**
     * Validates the record and copies {@code details}.
     *
     * @throws dev.tally.core.InvalidArgumentException with {@code MISSING_FIELD} or {@code INVALID_FIELD}.
     */
    public ServerChannelRecord
    {
        PaymentFields.id("channelId", channelId);
        PaymentFields.nonNegative("version", version);
        Fields.requiredObject("status", status);
        PaymentFields.amount("fundingAmount", fundingAmount);
        PaymentFields.amount("chargedCumulativeAmount", chargedCumulativeAmount);
        PaymentFields.amount("claimedCumulativeAmount", claimedCumulativeAmount);
        PaymentFields.amount("signedMaxClaimable", signedMaxClaimable);
        PaymentFields.optionalId("activeOutpoint", activeOutpoint);
        PaymentFields.optionalId("voucherSignature", voucherSignature);
        PaymentFields.optionalId("lastCommitmentId", lastCommitmentId);
        details = PaymentFields.optionalBytes("details", details, PaymentFields.DETAILS_LENGTH_MAX);
    }

    /**
     * A new channel at version 0, {@link ChannelStatus#OPEN}, with nothing charged or claimed; any thread.
     *
     * @param channelId      the channel's id.
     * @param fundingAmount  what it holds.
     * @param activeOutpoint its funding output, or {@code null}.
     * @return the record.
     */
    public static ServerChannelRecord opened(final String channelId, final String fundingAmount,
        final String activeOutpoint)
    {
        return new ServerChannelRecord(channelId, 0, ChannelStatus.OPEN, fundingAmount, "0", "0", "0",
            activeOutpoint, null, null, null);
    }

    /**
     * The successor after a voucher was charged (a settlement): version plus one; any thread.
     *
     * @param charged          the new cumulative charge.
     * @param signedMax        the new voucher's most claimable.
     * @param signature        the new voucher's signature.
     * @param commitmentId     the commitment that charges it.
     * @return the successor.
     */
    public ServerChannelRecord charged(final String charged, final String signedMax, final String signature,
        final String commitmentId)
    {
        return new ServerChannelRecord(channelId, version + 1, status, fundingAmount, charged,
            claimedCumulativeAmount, signedMax, activeOutpoint, signature, commitmentId, details);
    }

    /**
     * The successor after a claim on chain: version plus one; any thread.
     *
     * @param claimed        the new cumulative claim.
     * @param nextStatus     the status after the claim.
     * @param nextOutpoint   the continuation output, or {@code null} when the channel closed.
     * @param nextFunding    what the continuation holds.
     * @return the successor.
     */
    public ServerChannelRecord claimed(final String claimed, final ChannelStatus nextStatus,
        final String nextOutpoint, final String nextFunding)
    {
        return new ServerChannelRecord(channelId, version + 1, nextStatus, nextFunding, chargedCumulativeAmount,
            claimed, signedMaxClaimable, nextOutpoint, voucherSignature, lastCommitmentId, details);
    }

    /**
     * A copy of the opaque evidence.
     *
     * @return the bytes, possibly empty.
     */
    @Override
    public byte[] details()
    {
        return details.clone();
    }

    /** {@inheritDoc} Every field counts, {@code details} by content: this is the compare-and-set's equality. */
    @Override
    public boolean equals(final Object obj)
    {
        return obj instanceof ServerChannelRecord o && channelId.equals(o.channelId) && version == o.version
            && status == o.status && fundingAmount.equals(o.fundingAmount)
            && chargedCumulativeAmount.equals(o.chargedCumulativeAmount)
            && claimedCumulativeAmount.equals(o.claimedCumulativeAmount)
            && signedMaxClaimable.equals(o.signedMaxClaimable) && Objects.equals(activeOutpoint, o.activeOutpoint)
            && Objects.equals(voucherSignature, o.voucherSignature)
            && Objects.equals(lastCommitmentId, o.lastCommitmentId) && Arrays.equals(details, o.details);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return Objects.hash(channelId, version, status, chargedCumulativeAmount, claimedCumulativeAmount)
            * 31 + Arrays.hashCode(details);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "ServerChannelRecord[channelId=" + channelId + ", version=" + version + ", status=" + status
            + ", fundingAmount=" + fundingAmount + ", chargedCumulativeAmount=" + chargedCumulativeAmount
            + ", claimedCumulativeAmount=" + claimedCumulativeAmount + ", signedMaxClaimable=" + signedMaxClaimable
            + ", activeOutpoint=" + activeOutpoint + ", voucherSignature=" + voucherSignature
            + ", lastCommitmentId=" + lastCommitmentId + ", details=" + PaymentFields.hex(details) + "]";
    }
}
