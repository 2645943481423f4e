/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import java.util.Optional;

/**
 * The durable state of a payment server (exact payments and batch settlement over payment channels), as the server
 * store contract defines it: replay protection of exact transactions, payment identifiers, channel states with their
 * batch commitments, and claim attempts. One store instance serves one trust domain (a server or facilitator
 * deployment), chosen by name when it is opened: uniqueness holds within it, and two trust domains never see each
 * other's records.
 *
 * <p>Guarantees of every implementation: a write is durable before the method returns; a failed write leaves no
 * partial replay, payment identifier, channel or claim-attempt state; every compare-and-set and uniqueness check
 * happens in the same transaction as the write it protects; records survive a restart and can be reloaded before a
 * retry; and no answer is built from a record that is not yet durable. Expected outcomes (a cached retry, a replay, a
 * conflict) are values; bad input fails with {@code MISSING_FIELD} or {@code INVALID_FIELD} before anything is
 * written. Every method may be called from any thread concurrently.
 *
 * <p>Channel compare-and-set: a channel write names the state it replaces (the settlement's {@code expected}, the
 * claim attempt's {@code snapshot}); it applies only while the stored channel is equal to it in every field
 * ({@link ServerChannelRecord#equals}), and the new state must be of the same channel with the version plus one. The
 * version makes the comparison cheap to index; full equality makes a stale snapshot with a right version fail too.
 */
public interface ServerStateStore
{
    /**
     * Consumes an exact payment's transaction id, once per trust domain, together with its optional payment
     * identifier, in one commit. The payment identifier is checked first: if its id is taken by another request
     * fingerprint, payload hash, scope or payment, nothing at all is written. Then the transaction id: a cached exact
     * retry (same transaction id, output index and request fingerprint; payload bytes may differ) returns the stored
     * payment and writes nothing; another output index or request is a replay conflict.
     *
     * @param commit the payment and optional identifier.
     * @return committed, cached, replay conflict or payment identifier conflict.
     */
    ExactPaymentResult commitExactPayment(ExactPaymentCommit commit);

    /**
     * Loads the consumed exact payment of a transaction id.
     *
     * @param transactionId the transaction id.
     * @return the durable record, or empty.
     */
    Optional<ExactPaymentRecord> loadExactPayment(String transactionId);

    /**
     * Loads a payment identifier record.
     *
     * @param id the payment identifier.
     * @return the durable record, or empty.
     */
    Optional<PaymentIdentifierRecord> loadPaymentIdentifier(String id);

    /**
     * Stores a channel if no channel has its id; a present channel is left as it is.
     *
     * @param channel the channel, usually at version 0.
     * @return created, or exists with the stored channel.
     */
    ChannelResult openChannel(ServerChannelRecord channel);

    /**
     * Loads a channel's current state.
     *
     * @param channelId the channel id.
     * @return the durable record, or empty.
     */
    Optional<ServerChannelRecord> loadChannel(String channelId);

    /**
     * Writes a batch commitment, its optional payment identifier and the channel's next state in one commit, only
     * when the stored channel still equals the expected snapshot. Checked in this order: the payment identifier (taken
     * by another use), the commitment id (already stored, as after a retry of a settlement that committed), the
     * channel (compare-and-set).
     *
     * @param commit the expected and next channel, the commitment and the optional identifier.
     * @return committed, channel conflict, payment identifier conflict or commitment exists.
     */
    SettlementResult commitSettlement(SettlementCommit commit);

    /**
     * Loads a batch commitment.
     *
     * @param commitmentId the commitment id.
     * @return the durable record, or empty.
     */
    Optional<BatchCommitmentRecord> loadCommitment(String commitmentId);

    /**
     * Saves an open claim attempt: at most one open attempt per channel. Saving the same attempt again (same id and
     * contents) is idempotent and returns the stored one.
     *
     * @param attempt the attempt, {@link ClaimAttemptStatus#OPEN}.
     * @return saved, open attempt exists, or attempt closed (the id was used before).
     */
    ClaimAttemptResult saveClaimAttempt(ClaimAttemptRecord attempt);

    /**
     * Loads a channel's open claim attempt.
     *
     * @param channelId the channel id.
     * @return the durable open attempt, or empty.
     */
    Optional<ClaimAttemptRecord> loadOpenClaimAttempt(String channelId);

    /**
     * Loads a claim attempt in any status.
     *
     * @param attemptId the attempt id.
     * @return the durable record, or empty.
     */
    Optional<ClaimAttemptRecord> loadClaimAttempt(String attemptId);

    /**
     * Applies an open claim attempt: a compare-and-set of the channel on the attempt's snapshot, which writes the
     * channel's next state and closes the attempt ({@link ClaimAttemptStatus#APPLIED}) in one commit. On a channel
     * conflict the attempt stays open.
     *
     * @param next      the channel after the claim: the snapshot's channel, version plus one.
     * @param attemptId the open attempt.
     * @return applied, attempt not open, or channel conflict.
     */
    ClaimApplyResult applyClaimAttempt(ServerChannelRecord next, String attemptId);

    /**
     * Abandons an open claim attempt, freeing its channel for a new one; the channel is not changed.
     *
     * @param attemptId the attempt id.
     * @return {@code true} if the attempt was open and is abandoned now; {@code false} if it is unknown or closed.
     */
    boolean abandonClaimAttempt(String attemptId);
}
