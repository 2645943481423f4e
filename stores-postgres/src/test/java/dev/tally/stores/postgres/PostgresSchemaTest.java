/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.core.ErrorCode;
import dev.tally.core.TallyException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Goal: the versioned schema is applied by one call that is safe to repeat and to run from several callers at once,
 * and a schema newer than the build is refused with a stable code. Method: a fresh schema on the embedded server per
 * test; concurrent migrations released by a barrier. No seeds.
 */
@Timeout(60)
class PostgresSchemaTest
{
    private final PostgresServer server = PostgresServer.shared();
    private String jdbcUrl;
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void setUp()
    {
        jdbcUrl = server.newSchema();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
    }

    @AfterEach
    void tearDown()
    {
        server.dropSchema(jdbcUrl);
    }

    @Test
    @DisplayName("schema: migrate creates version 1 and is safe to run again")
    void shouldApplyOnceWhenMigratedTwice() throws SQLException
    {
        assertEquals(0, PostgresSchema.version(dataSource));
        assertEquals(0, PostgresSchema.migrate(dataSource));
        assertEquals(PostgresSchema.VERSION, PostgresSchema.version(dataSource));
        assertEquals(PostgresSchema.VERSION, PostgresSchema.migrate(dataSource));
        assertEquals(1, count("SELECT count(*) FROM tally_schema_version"));
    }

    @Test
    @DisplayName("schema: concurrent migrations apply each script once")
    void shouldApplyOnceWhenMigratedConcurrently() throws Exception
    {
        final int callers = 6;
        final CyclicBarrier barrier = new CyclicBarrier(callers);
        final ExecutorService pool = Executors.newFixedThreadPool(callers);
        try
        {
            final List<Future<Integer>> before = new ArrayList<>();
            for (int i = 0; i < callers; i++)
            {
                before.add(pool.submit(() ->
                {
                    barrier.await(10, TimeUnit.SECONDS);
                    return PostgresSchema.migrate(dataSource);
                }));
            }
            int fresh = 0;
            for (final Future<Integer> result : before)
            {
                fresh += result.get(30, TimeUnit.SECONDS) == 0 ? 1 : 0;
            }
            assertEquals(1, fresh, "exactly one caller found the schema empty");
        }
        finally
        {
            pool.shutdownNow();
        }
        assertEquals(1, count("SELECT count(*) FROM tally_schema_version"));
    }

    @Test
    @DisplayName("schema: a schema newer than the build is refused and left alone")
    void shouldRefuseWhenSchemaIsNewer() throws SQLException
    {
        PostgresSchema.migrate(dataSource);
        execute("INSERT INTO tally_schema_version (version, script) VALUES (99, 'V99__future.sql')");
        final TallyException ex = assertThrows(TallyException.class, () -> PostgresSchema.migrate(dataSource));
        assertEquals(ErrorCode.STORE_SCHEMA_MISMATCH, ex.code());
        assertEquals(2, count("SELECT count(*) FROM tally_schema_version"));
        final TallyException open = assertThrows(TallyException.class,
            () -> PostgresStores.builder().dataSource(dataSource).open());
        assertEquals(ErrorCode.STORE_SCHEMA_MISMATCH, open.code());
    }

    @Test
    @DisplayName("schema: stores refuse to open on an unmigrated schema")
    void shouldRefuseOpenWhenSchemaIsMissing()
    {
        final TallyException ex = assertThrows(TallyException.class,
            () -> PostgresStores.builder().dataSource(dataSource).open());
        assertEquals(ErrorCode.STORE_SCHEMA_MISMATCH, ex.code());
        try (PostgresStores stores = PostgresStores.builder().dataSource(dataSource).migrateSchema().open())
        {
            assertEquals(PostgresSchema.VERSION, PostgresSchema.version(stores.dataSource()));
        }
    }

    @Test
    @DisplayName("4 persisted events are immutable: the server refuses an UPDATE")
    void shouldRefuseUpdateWhenEventIsPersisted() throws SQLException
    {
        PostgresSchema.migrate(dataSource);
        execute("INSERT INTO tally_run_events (run_id, run_seq, event_id, idempotency_key, event_type, emitted_at, "
            + "tenant_id, project_id, environment_id, plan_id, plan_version, engine_attempt_id, logical_attempt_id, "
            + "persisted_at) VALUES ('r', 1, 'e', 'k', 'RunStarted', 'x', 't', 'p', 'e', 'pl', '1', 1, 1, now())");
        final SQLException ex = assertThrows(SQLException.class,
            () -> execute("UPDATE tally_run_events SET event_type = 'Other'"));
        assertTrue(ex.getMessage().contains("append-only"), ex.getMessage());
        final SQLException duplicate = assertThrows(SQLException.class,
            () -> execute("INSERT INTO tally_run_events (run_id, run_seq, event_id, idempotency_key, event_type, "
                + "emitted_at, tenant_id, project_id, environment_id, plan_id, plan_version, engine_attempt_id, "
                + "logical_attempt_id, persisted_at) VALUES ('r', 2, 'e2', 'k', 'RunStarted', 'x', 't', 'p', 'e', "
                + "'pl', '1', 1, 1, now())"));
        assertEquals(SqlFailures.UNIQUE_VIOLATION, duplicate.getSQLState());
    }

    private long count(final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
            ResultSet row = statement.executeQuery(sql))
        {
            row.next();
            return row.getLong(1);
        }
    }

    private void execute(final String sql) throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }
}
