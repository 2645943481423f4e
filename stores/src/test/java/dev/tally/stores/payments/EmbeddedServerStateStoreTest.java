/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.core.ConfigurationException;
import dev.tally.core.ErrorCode;
import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;
import dev.tally.stores.kit.EmbeddedDatabase;
import dev.tally.stores.kit.ServerStateStoreContract;
import dev.tally.stores.kit.StoreFactory;
import dev.tally.stores.kit.StoreFaults;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server store contract against {@link EmbeddedServerStateStore} on a Strict database with the force seam wired
 * to {@link dev.tally.stores.kit.ForceFaults}, plus what only the embedded store has: the Strict guard and the
 * namespace of each trust domain. Goal: the durable store keeps every rule of the contract under races, injected
 * force failures and restarts. Method: the contract suite, then the embedded-only tests. Replay a race seed with
 * {@code -Dtests.seed=<seed>}.
 */
class EmbeddedServerStateStoreTest extends ServerStateStoreContract
{
    /** {@inheritDoc} */
    @Override
    protected StoreFactory<ServerStateStore> factory(final Path dir)
    {
        return new StoreFactory<>()
        {
            private final EmbeddedDatabase db = new EmbeddedDatabase(dir);

            @Override
            public ServerStateStore create()
            {
                return EmbeddedServerStateStore.builder(db.open()).name("trust-domain").open();
            }

            @Override
            public ServerStateStore restart()
            {
                return EmbeddedServerStateStore.builder(db.reopen()).name("trust-domain").open();
            }

            @Override
            public StoreFaults faults()
            {
                return db.faults();
            }

            @Override
            public boolean isDurable()
            {
                return true;
            }

            @Override
            public void close()
            {
                db.close();
            }
        };
    }

    @ParameterizedTest(name = "Strict only: the store refuses a {0} database with STORE_REQUIRES_STRICT")
    @EnumSource(value = DurabilityMode.class, names = {"BUFFERED", "IN_MEMORY"})
    @Timeout(30)
    void shouldRefuseDatabaseWhenNotStrict(final DurabilityMode mode, @TempDir final Path dir)
    {
        try (EmbeddedDatabase db = new EmbeddedDatabase(dir, mode))
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> EmbeddedServerStateStore.builder(db.open()).open());
            assertEquals(ErrorCode.STORE_REQUIRES_STRICT, ex.code());
            assertTrue(ex.getMessage().contains(mode.toString()), ex.getMessage());
        }
    }

    @ParameterizedTest(name = "Strict only: a {0} database is accepted when losing acknowledged writes is accepted")
    @EnumSource(value = DurabilityMode.class, names = {"BUFFERED", "IN_MEMORY"})
    @Timeout(30)
    void shouldOpenWhenLosingWritesIsAccepted(final DurabilityMode mode, @TempDir final Path dir)
    {
        try (EmbeddedDatabase db = new EmbeddedDatabase(dir, mode))
        {
            final ServerStateStore store = EmbeddedServerStateStore.builder(db.open())
                .acceptLosingAcknowledgedWrites().open();
            assertInstanceOf(ExactPaymentResult.Committed.class,
                store.commitExactPayment(ExactPaymentCommit.of(exact("tx-1", 0, "r"))));
            assertInstanceOf(ExactPaymentResult.Cached.class,
                store.commitExactPayment(ExactPaymentCommit.of(exact("tx-1", 0, "r"))));
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Replay And Idempotency: one trust domain per name; the same name twice shares records, two names "
        + "never see each other's")
    void shouldSeparateTrustDomainsWhenNamesDiffer(@TempDir final Path dir)
    {
        try (EmbeddedDatabase edb = new EmbeddedDatabase(dir))
        {
            final Database db = edb.open();
            final ServerStateStore a = EmbeddedServerStateStore.builder(db).name("domain-a").open();
            final ServerStateStore again = EmbeddedServerStateStore.builder(db).name("domain-a").open();
            final ServerStateStore b = EmbeddedServerStateStore.builder(db).name("domain-b").open();
            assertInstanceOf(ExactPaymentResult.Committed.class,
                a.commitExactPayment(ExactPaymentCommit.of(exact("tx-1", 0, "r"))));
            assertInstanceOf(ExactPaymentResult.ReplayConflict.class,
                again.commitExactPayment(ExactPaymentCommit.of(exact("tx-1", 1, "r"))));
            assertEquals(Optional.empty(), b.loadExactPayment("tx-1"));
            assertInstanceOf(ExactPaymentResult.Committed.class,
                b.commitExactPayment(ExactPaymentCommit.of(exact("tx-1", 1, "r"))));
            assertEquals(0, a.loadExactPayment("tx-1").orElseThrow().paymentOutputIndex());
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("Required Guarantees: ids of the longest length are stored under short hashed keys")
    void shouldStoreRecordWhenIdsAreAtTheirLongest(@TempDir final Path dir)
    {
        try (EmbeddedDatabase edb = new EmbeddedDatabase(dir))
        {
            final ServerStateStore store = EmbeddedServerStateStore.builder(edb.open()).open();
            final String tx = "t".repeat(PaymentFields.ID_LENGTH_MAX - 1) + "\u00e9";
            final ExactPaymentRecord stored = assertInstanceOf(ExactPaymentResult.Committed.class,
                store.commitExactPayment(ExactPaymentCommit.of(exact(tx, 0, "r")))).payment();
            assertEquals(Optional.of(stored), store.loadExactPayment(tx));
            assertEquals(Optional.empty(), store.loadExactPayment(tx.substring(1)));
        }
    }
}
