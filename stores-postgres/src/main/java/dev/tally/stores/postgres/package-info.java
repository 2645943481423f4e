/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The contract stores of {@code dev.tally.stores} on PostgreSQL through JDBC, for services that run several processes
 * or outgrow one machine: {@link dev.tally.stores.postgres.PostgresStores} opens them on a user's
 * {@link javax.sql.DataSource} or on a HikariCP pool it builds from a JDBC URL, and
 * {@link dev.tally.stores.postgres.PostgresSchema#migrate(javax.sql.DataSource)} applies the versioned schema. Every
 * store call is one PostgreSQL transaction; every store may be called from any thread.
 */
package dev.tally.stores.postgres;
