/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.stores.internal.Fields;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Store times in {@code timestamptz} columns: microseconds since the epoch in, microseconds out, always through
 * {@link OffsetDateTime} in UTC so neither the JVM's nor the session's time zone can shift them. Pure; any thread.
 */
final class SqlTimes
{
    private SqlTimes()
    {
    }

    /**
     * Binds a time.
     *
     * @param statement   the statement.
     * @param index       the parameter index.
     * @param epochMicros microseconds since the epoch.
     * @throws SQLException when the driver refuses.
     */
    static void set(final PreparedStatement statement, final int index, final long epochMicros) throws SQLException
    {
        statement.setObject(index, OffsetDateTime.ofInstant(Fields.ofMicros(epochMicros), ZoneOffset.UTC),
            Types.TIMESTAMP_WITH_TIMEZONE);
    }

    /**
     * Reads a time.
     *
     * @param row    the row.
     * @param column the column name.
     * @return microseconds since the epoch.
     * @throws SQLException when the driver refuses.
     */
    static long micros(final ResultSet row, final String column) throws SQLException
    {
        return Fields.toMicros(row.getObject(column, OffsetDateTime.class).toInstant());
    }

    /**
     * Reads a time in the stores' text form (RFC 3339 UTC, six fraction digits).
     *
     * @param row    the row.
     * @param column the column name.
     * @return the text.
     * @throws SQLException when the driver refuses.
     */
    static String text(final ResultSet row, final String column) throws SQLException
    {
        return Fields.formatMicros(micros(row, column));
    }
}
