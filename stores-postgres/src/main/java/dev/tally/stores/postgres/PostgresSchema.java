/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.ErrorCode;
import dev.tally.core.StorageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The versioned schema of the PostgreSQL stores: numbered SQL scripts ({@code schema/V1__stores.sql}, ...) applied in
 * order, each recorded in the {@code tally_schema_version} table, all in the first schema of the connection's
 * {@code search_path}. {@link #migrate(DataSource)} is the one documented call; it is safe to run again and from
 * several processes at once. Any thread.
 *
 * <p>Design note: no migration library. The stores own a handful of tables; a version table, numbered scripts and one
 * transaction under an advisory lock give what Flyway or Liquibase would (ordered, recorded, concurrent-safe,
 * transactional DDL) without a dependency, a metadata table of their format, or a class path scanner in every user's
 * service. A later release adds {@code V2__...sql} and raises {@link #VERSION}.
 */
public final class PostgresSchema
{
    /** The schema version this build writes and reads. */
    public static final int VERSION = 1;

    /** The advisory lock key that serialises migrations ({@code 'tally:sm'} in ASCII, one per database). */
    static final long MIGRATION_LOCK_KEY = 0x74616c6c793a736dL;

    private static final String[] SCRIPTS = {"V1__stores.sql"};

    private PostgresSchema()
    {
    }

    /**
     * Brings the schema to {@link #VERSION}: creates the tables on an empty schema, applies the scripts a schema at an
     * older version lacks, and does nothing on a current one. One transaction under an advisory lock, so concurrent
     * callers apply each script once and a failure leaves the schema as it was. Any thread.
     *
     * @param dataSource the database; its connections' first {@code search_path} schema receives the tables.
     * @return the version the schema had before (0 when it was empty).
     * @throws StorageException with {@link ErrorCode#STORE_SCHEMA_MISMATCH} when the schema is newer than this build,
     *                          or {@link ErrorCode#STORE_UNAVAILABLE} when PostgreSQL fails.
     */
    public static int migrate(final DataSource dataSource)
    {
        return new Transactions(dataSource, Transactions.ATTEMPTS_DEFAULT).run("PostgresSchema.migrate",
            PostgresSchema::migrate);
    }

    /**
     * The schema's current version, without changing anything. Any thread.
     *
     * @param dataSource the database.
     * @return the version, 0 when the stores' tables are absent.
     */
    public static int version(final DataSource dataSource)
    {
        return new Transactions(dataSource, Transactions.ATTEMPTS_DEFAULT).run("PostgresSchema.version",
            PostgresSchema::version);
    }

    /**
     * Checks that a schema is at {@link #VERSION}, as a store does when it opens.
     *
     * @param dataSource the database.
     * @throws StorageException with {@link ErrorCode#STORE_SCHEMA_MISMATCH} when it is not.
     */
    static void requireCurrent(final DataSource dataSource)
    {
        final int version = version(dataSource);
        if (version != VERSION)
        {
            throw new StorageException(ErrorCode.STORE_SCHEMA_MISMATCH, "the PostgreSQL schema of the stores is at "
                + "version " + version + " and this build needs " + VERSION + "; call PostgresSchema.migrate first");
        }
    }

    private static int migrate(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS tally_schema_version ("
                + "version integer PRIMARY KEY, script text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
        final int before = version(connection);
        if (before > VERSION)
        {
            throw newer(before);
        }
        for (int version = before + 1; version <= VERSION; version++)
        {
            final String script = SCRIPTS[version - 1];
            try (Statement statement = connection.createStatement())
            {
                statement.execute(read(script));
            }
            try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO tally_schema_version (version, script) VALUES (?, ?)"))
            {
                insert.setInt(1, version);
                insert.setString(2, script);
                insert.executeUpdate();
            }
        }
        return before;
    }

    private static int version(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement();
            ResultSet present = statement.executeQuery("SELECT to_regclass('tally_schema_version') IS NOT NULL"))
        {
            present.next();
            if (!present.getBoolean(1))
            {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0) FROM tally_schema_version"))
        {
            rows.next();
            final int version = rows.getInt(1);
            if (version > VERSION)
            {
                throw newer(version);
            }
            return version;
        }
    }

    private static StorageException newer(final int version)
    {
        return new StorageException(ErrorCode.STORE_SCHEMA_MISMATCH, "the PostgreSQL schema of the stores is at "
            + "version " + version + ", newer than this build's " + VERSION + "; use a build that knows it");
    }

    private static String read(final String script)
    {
        final String resource = "schema/" + script;
        try (InputStream in = PostgresSchema.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException("schema script missing from the class path: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("schema script unreadable: " + resource, ex);
        }
    }
}
