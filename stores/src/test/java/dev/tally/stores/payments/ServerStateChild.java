/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.engine.Database;
import dev.tally.engine.DurabilityMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The workload of {@link EmbeddedServerStateStoreCrashTest}, run in a child JVM until it is killed: on a Strict
 * database in {@code args[0]}, cycle {@code args[1]}, it alternates exact payments and settlements on one channel and
 * prints {@code ready}, then {@code exact <transactionId>} and {@code settle <version> <commitmentId>} for each call
 * only after the store acknowledged it.
 */
public final class ServerStateChild
{
    private ServerStateChild()
    {
    }

    /**
     * Runs the workload until killed.
     *
     * @param args the database directory and the cycle number.
     */
    public static void main(final String[] args)
    {
        final Database db = Database.builder().directory(Path.of(args[0])).durability(DurabilityMode.STRICT).open();
        final String cycle = args[1];
        final ServerStateStore store = EmbeddedServerStateStore.builder(db).name("crash").open();
        ServerChannelRecord channel = store.openChannel(ServerChannelRecord.opened(EmbeddedServerStateStoreCrashTest
            .CHANNEL, "1000000000", "outpoint-1")).channel();
        final String fingerprint = "0".repeat(64);
        System.out.print("ready\n");
        System.out.flush();
        for (long i = 0; ; i++)
        {
            final String tx = "tx-" + cycle + "-" + i;
            final ExactPaymentResult exact = store.commitExactPayment(ExactPaymentCommit.of(ExactPaymentRecord.of(
                tx, 0, fingerprint, fingerprint, tx.getBytes(StandardCharsets.UTF_8))));
            if (exact instanceof ExactPaymentResult.Committed)
            {
                System.out.print("exact " + tx + "\n");
                System.out.flush();
            }
            final String commitmentId = "commit-" + cycle + "-" + i;
            final String charged = Long.toString(Long.parseLong(channel.chargedCumulativeAmount()) + 1);
            final ServerChannelRecord next = channel.charged(charged, charged, "sig", commitmentId);
            final SettlementResult settled = store.commitSettlement(new SettlementCommit(channel, next,
                new BatchCommitmentRecord(commitmentId, channel.channelId(), fingerprint, "1", charged, null,
                    commitmentId.getBytes(StandardCharsets.UTF_8), null), null));
            if (settled instanceof SettlementResult.Committed committed)
            {
                channel = committed.channel();
                System.out.print("settle " + channel.version() + " " + commitmentId + "\n");
                System.out.flush();
            }
        }
    }
}
