/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.stores.internal.Fields;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.payments.ChannelStatus;
import dev.tally.stores.payments.ClaimAttemptRecord;
import dev.tally.stores.payments.ClaimAttemptStatus;
import dev.tally.stores.payments.ExactPaymentRecord;
import dev.tally.stores.payments.PaymentIdentifierRecord;
import dev.tally.stores.payments.ServerChannelRecord;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;

/**
 * The rows of the payment tables: one load and one insert per record type, every query scoped to the store's trust
 * domain, and the channel compare-and-set as one conditional {@code UPDATE} on every column of the expected state.
 * Called inside a store transaction; any thread.
 */
final class PaymentRows
{
    /** One reader factory for every parse: {@code Json.createReader} looks the JSON provider up on each call. */
    private static final JsonReaderFactory JSON_READERS = Json.createReaderFactory(Map.of());

    static final String CHANNEL_COLUMNS = "channel_id, version, status, funding_amount, charged_cumulative_amount, "
        + "claimed_cumulative_amount, signed_max_claimable, active_outpoint, voucher_signature, last_commitment_id, "
        + "details";

    private final String trustDomain;

    /**
     * Rows of one trust domain.
     *
     * @param trustDomain the domain.
     */
    PaymentRows(final String trustDomain)
    {
        this.trustDomain = trustDomain;
    }

    ExactPaymentRecord exactPayment(final Connection connection, final String transactionId) throws SQLException
    {
        try (PreparedStatement select = select(connection, "SELECT transaction_id, payment_output_index, "
            + "request_fingerprint, payment_payload_hash, response, committed_at FROM tally_exact_payments "
            + "WHERE trust_domain = ? AND transaction_id = ?", transactionId);
            ResultSet row = select.executeQuery())
        {
            return !row.next() ? null : new ExactPaymentRecord(row.getString(1), row.getInt(2), row.getString(3),
                row.getString(4), row.getBytes(5), Fields.ofMicros(SqlTimes.micros(row, "committed_at")));
        }
    }

    void insertExactPayment(final Connection connection, final ExactPaymentRecord payment) throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tally_exact_payments (trust_domain, "
            + "transaction_id, payment_output_index, request_fingerprint, payment_payload_hash, response, "
            + "committed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"))
        {
            insert.setString(1, trustDomain);
            insert.setString(2, payment.transactionId());
            insert.setInt(3, payment.paymentOutputIndex());
            insert.setString(4, payment.requestFingerprint());
            insert.setString(5, payment.paymentPayloadHash());
            insert.setBytes(6, payment.response());
            SqlTimes.set(insert, 7, Fields.toMicros(payment.committedAt()));
            insert.executeUpdate();
        }
    }

    PaymentIdentifierRecord paymentIdentifier(final Connection connection, final String id) throws SQLException
    {
        try (PreparedStatement select = select(connection, "SELECT id, request_fingerprint, payment_payload_hash, "
            + "payment_scope_id, response, transaction_id, commitment_id, committed_at FROM tally_payment_identifiers "
            + "WHERE trust_domain = ? AND id = ?", id);
            ResultSet row = select.executeQuery())
        {
            return !row.next() ? null : new PaymentIdentifierRecord(row.getString(1), row.getString(2),
                row.getString(3), row.getString(4), row.getBytes(5), row.getString(6), row.getString(7),
                Fields.ofMicros(SqlTimes.micros(row, "committed_at")));
        }
    }

    void insertPaymentIdentifier(final Connection connection, final PaymentIdentifierRecord identifier)
        throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tally_payment_identifiers ("
            + "trust_domain, id, request_fingerprint, payment_payload_hash, payment_scope_id, response, "
            + "transaction_id, commitment_id, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        {
            insert.setString(1, trustDomain);
            insert.setString(2, identifier.id());
            insert.setString(3, identifier.requestFingerprint());
            insert.setString(4, identifier.paymentPayloadHash());
            insert.setString(5, identifier.paymentScopeId());
            insert.setBytes(6, identifier.response());
            insert.setString(7, identifier.transactionId());
            insert.setString(8, identifier.commitmentId());
            SqlTimes.set(insert, 9, Fields.toMicros(identifier.committedAt()));
            insert.executeUpdate();
        }
    }

    ServerChannelRecord channel(final Connection connection, final String channelId) throws SQLException
    {
        try (PreparedStatement select = select(connection, "SELECT " + CHANNEL_COLUMNS
            + " FROM tally_channels WHERE trust_domain = ? AND channel_id = ?", channelId);
            ResultSet row = select.executeQuery())
        {
            return !row.next() ? null : new ServerChannelRecord(row.getString(1), row.getLong(2),
                ChannelStatus.valueOf(row.getString(3)), row.getString(4), row.getString(5), row.getString(6),
                row.getString(7), row.getString(8), row.getString(9), row.getString(10), row.getBytes(11));
        }
    }

    /**
     * Inserts a channel unless its id is taken.
     *
     * @return whether it was inserted.
     */
    boolean insertChannel(final Connection connection, final ServerChannelRecord channel) throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tally_channels (trust_domain, "
            + CHANNEL_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"))
        {
            insert.setString(1, trustDomain);
            bindChannel(insert, 2, channel);
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * The compare-and-set of a channel: writes {@code next} only where the stored row equals {@code expected} in
     * every column; a concurrent writer's row lock makes this wait and then test the row that writer committed.
     *
     * @return whether the channel was {@code expected} and is {@code next} now.
     */
    boolean compareAndSetChannel(final Connection connection, final ServerChannelRecord expected,
        final ServerChannelRecord next) throws SQLException
    {
        try (PreparedStatement update = connection.prepareStatement("UPDATE tally_channels SET channel_id = ?, "
            + "version = ?, status = ?, funding_amount = ?, charged_cumulative_amount = ?, "
            + "claimed_cumulative_amount = ?, signed_max_claimable = ?, active_outpoint = ?, voucher_signature = ?, "
            + "last_commitment_id = ?, details = ? WHERE trust_domain = ? AND channel_id = ? AND version = ? "
            + "AND status = ? AND funding_amount = ? AND charged_cumulative_amount = ? "
            + "AND claimed_cumulative_amount = ? AND signed_max_claimable = ? "
            + "AND active_outpoint IS NOT DISTINCT FROM ? AND voucher_signature IS NOT DISTINCT FROM ? "
            + "AND last_commitment_id IS NOT DISTINCT FROM ? AND details = ?"))
        {
            bindChannel(update, 1, next);
            update.setString(12, trustDomain);
            bindChannel(update, 13, expected);
            return update.executeUpdate() == 1;
        }
    }

    BatchCommitmentRecord commitment(final Connection connection, final String commitmentId) throws SQLException
    {
        try (PreparedStatement select = select(connection, "SELECT commitment_id, channel_id, request_fingerprint, "
            + "amount, charged_cumulative_amount, payment_identifier, response, committed_at "
            + "FROM tally_batch_commitments WHERE trust_domain = ? AND commitment_id = ?", commitmentId);
            ResultSet row = select.executeQuery())
        {
            return !row.next() ? null : new BatchCommitmentRecord(row.getString(1), row.getString(2),
                row.getString(3), row.getString(4), row.getString(5), row.getString(6), row.getBytes(7),
                Fields.ofMicros(SqlTimes.micros(row, "committed_at")));
        }
    }

    void insertCommitment(final Connection connection, final BatchCommitmentRecord commitment) throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tally_batch_commitments ("
            + "trust_domain, commitment_id, channel_id, request_fingerprint, amount, charged_cumulative_amount, "
            + "payment_identifier, response, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        {
            insert.setString(1, trustDomain);
            insert.setString(2, commitment.commitmentId());
            insert.setString(3, commitment.channelId());
            insert.setString(4, commitment.requestFingerprint());
            insert.setString(5, commitment.amount());
            insert.setString(6, commitment.chargedCumulativeAmount());
            insert.setString(7, commitment.paymentIdentifier());
            insert.setBytes(8, commitment.response());
            SqlTimes.set(insert, 9, Fields.toMicros(commitment.committedAt()));
            insert.executeUpdate();
        }
    }

    /**
     * A claim attempt by id.
     *
     * @param forUpdate whether to lock its row for the rest of the transaction.
     */
    ClaimAttemptRecord attempt(final Connection connection, final String attemptId, final boolean forUpdate)
        throws SQLException
    {
        return attemptWhere(connection, "attempt_id = ?" + (forUpdate ? " FOR UPDATE" : ""), attemptId);
    }

    ClaimAttemptRecord openAttempt(final Connection connection, final String channelId) throws SQLException
    {
        return attemptWhere(connection, "channel_id = ? AND status = 'OPEN'", channelId);
    }

    void insertAttempt(final Connection connection, final ClaimAttemptRecord attempt) throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tally_claim_attempts (trust_domain, "
            + "attempt_id, channel_id, snapshot, claim_amount, status, transaction, created_at) "
            + "VALUES (?, ?, ?, CAST(? AS json), ?, ?, ?, ?)"))
        {
            insert.setString(1, trustDomain);
            insert.setString(2, attempt.attemptId());
            insert.setString(3, attempt.channelId());
            insert.setString(4, encodeChannel(attempt.snapshot()));
            insert.setString(5, attempt.claimAmount());
            insert.setString(6, attempt.status().name());
            insert.setBytes(7, attempt.transaction());
            SqlTimes.set(insert, 8, Fields.toMicros(attempt.createdAt()));
            insert.executeUpdate();
        }
    }

    /**
     * Moves an open attempt to a closed status.
     *
     * @return whether the attempt was open.
     */
    boolean closeAttempt(final Connection connection, final String attemptId, final ClaimAttemptStatus status)
        throws SQLException
    {
        try (PreparedStatement update = connection.prepareStatement("UPDATE tally_claim_attempts SET status = ? "
            + "WHERE trust_domain = ? AND attempt_id = ? AND status = 'OPEN'"))
        {
            update.setString(1, status.name());
            update.setString(2, trustDomain);
            update.setString(3, attemptId);
            return update.executeUpdate() == 1;
        }
    }

    private ClaimAttemptRecord attemptWhere(final Connection connection, final String where, final String value)
        throws SQLException
    {
        try (PreparedStatement select = select(connection, "SELECT attempt_id, channel_id, snapshot, claim_amount, "
            + "status, transaction, created_at FROM tally_claim_attempts WHERE trust_domain = ? AND " + where, value);
            ResultSet row = select.executeQuery())
        {
            return !row.next() ? null : new ClaimAttemptRecord(row.getString(1), row.getString(2),
                decodeChannel(row.getString(3)), row.getString(4), ClaimAttemptStatus.valueOf(row.getString(5)),
                row.getBytes(6), Fields.ofMicros(SqlTimes.micros(row, "created_at")));
        }
    }

    private PreparedStatement select(final Connection connection, final String sql, final String key)
        throws SQLException
    {
        final PreparedStatement select = connection.prepareStatement(sql);
        select.setString(1, trustDomain);
        select.setString(2, key);
        return select;
    }

    private static void bindChannel(final PreparedStatement statement, final int first,
        final ServerChannelRecord channel) throws SQLException
    {
        statement.setString(first, channel.channelId());
        statement.setLong(first + 1, channel.version());
        statement.setString(first + 2, channel.status().name());
        statement.setString(first + 3, channel.fundingAmount());
        statement.setString(first + 4, channel.chargedCumulativeAmount());
        statement.setString(first + 5, channel.claimedCumulativeAmount());
        statement.setString(first + 6, channel.signedMaxClaimable());
        statement.setString(first + 7, channel.activeOutpoint());
        statement.setString(first + 8, channel.voucherSignature());
        statement.setString(first + 9, channel.lastCommitmentId());
        statement.setBytes(first + 10, channel.details());
    }

    /** The JSON form of a channel snapshot in a claim attempt; stored data. */
    static String encodeChannel(final ServerChannelRecord channel)
    {
        final JsonObjectBuilder json = Json.createObjectBuilder().add("channelId", channel.channelId())
            .add("version", channel.version()).add("status", channel.status().name())
            .add("fundingAmount", channel.fundingAmount())
            .add("chargedCumulativeAmount", channel.chargedCumulativeAmount())
            .add("claimedCumulativeAmount", channel.claimedCumulativeAmount())
            .add("signedMaxClaimable", channel.signedMaxClaimable())
            .add("details", Base64.getEncoder().encodeToString(channel.details()));
        optional(json, "activeOutpoint", channel.activeOutpoint());
        optional(json, "voucherSignature", channel.voucherSignature());
        optional(json, "lastCommitmentId", channel.lastCommitmentId());
        return json.build().toString();
    }

    static ServerChannelRecord decodeChannel(final String text)
    {
        final JsonObject json;
        try (JsonReader reader = JSON_READERS.createReader(new StringReader(text)))
        {
            json = reader.readObject();
        }
        return new ServerChannelRecord(json.getString("channelId"), json.getJsonNumber("version").longValueExact(),
            ChannelStatus.valueOf(json.getString("status")), json.getString("fundingAmount"),
            json.getString("chargedCumulativeAmount"), json.getString("claimedCumulativeAmount"),
            json.getString("signedMaxClaimable"), json.getString("activeOutpoint", null),
            json.getString("voucherSignature", null), json.getString("lastCommitmentId", null),
            Base64.getDecoder().decode(json.getString("details")));
    }

    private static void optional(final JsonObjectBuilder json, final String name, final String value)
    {
        if (value != null)
        {
            json.add(name, value);
        }
    }
}
