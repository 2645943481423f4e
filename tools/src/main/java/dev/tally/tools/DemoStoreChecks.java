/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import dev.tally.core.Value;
import dev.tally.engine.Database;
import dev.tally.stores.idempotency.BeginDecision;
import dev.tally.stores.idempotency.BeginResult;
import dev.tally.stores.idempotency.IdempotencyRecord;
import dev.tally.stores.idempotency.IdempotencyStore;
import dev.tally.stores.idempotency.Status;
import dev.tally.stores.payments.BatchCommitmentRecord;
import dev.tally.stores.payments.ServerChannelRecord;
import dev.tally.stores.payments.ServerStateStore;
import dev.tally.stores.runstate.AppendResult;
import dev.tally.stores.runstate.RunEventRecord;
import dev.tally.stores.runstate.RunStateStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The demo's checks of the contract stores after the kill ({@link DemoStores}): every acknowledged payment is
 * SUCCEEDED with its response, a new begin of it answers REPLAY and its handler ran once; every acknowledged run
 * event is at its runSeq and a re-append of it is idempotent at the same runSeq; every acknowledged settlement is in
 * the channel, whose version is the last acknowledged one or one more (the settlement in flight); and nothing was
 * invented beyond the one payment in flight. The invented-records check reads before any begin or re-append. The
 * demo's thread.
 */
final class DemoStoreChecks
{
    /** How many payments past the one in flight are checked absent. */
    private static final int ABSENT_CHECK_COUNT = 100;

    private final long seed;
    private final DemoStores.Acks acks;
    private final int paymentCount;
    private final List<DemoChecks.Check> checks = new ArrayList<>();

    DemoStoreChecks(final long seed, final DemoStores.Acks acks, final int paymentCount)
    {
        this.seed = seed;
        this.acks = acks;
        this.paymentCount = paymentCount;
    }

    List<DemoChecks.Check> checkAll(final Database db)
    {
        final DemoStores.Stores stores = DemoStores.open(db);
        final List<String> invented = new ArrayList<>();
        final ServerChannelRecord channel = stores.payments().loadChannel(DemoStores.CHANNEL_ID).orElse(null);
        inventedPayments(db, stores.idempotency(), invented);
        final List<RunEventRecord> events = events(stores.runState());
        inventedEvents(events, channel, invented);
        inventedSettlements(stores.payments(), channel, invented);
        checkPayments(db, stores.idempotency());
        checkEvents(stores.runState(), events.size());
        checkSettlements(stores.payments(), channel);
        add("the contract stores invented nothing", invented.isEmpty(), invented.isEmpty()
            ? "no payment, event or settlement beyond the acknowledged and the one in flight (" + events.size()
            + " events, channel version " + (channel == null ? "-" : channel.version()) + ")" : first(invented));
        return checks;
    }

    private void checkPayments(final Database db, final IdempotencyStore idempotency)
    {
        final List<String> problems = new ArrayList<>();
        for (int i = 0; i < acks.paidCount(); i++)
        {
            final byte[] response = DemoStores.response(seed, i);
            final Optional<IdempotencyRecord> record = idempotency.get(DemoStores.input(i).key());
            if (record.isEmpty() || record.get().status() != Status.SUCCEEDED
                || !Arrays.equals(response, record.get().responsePayload()))
            {
                problems.add(DemoStores.paymentKey(i) + " is " + record.map(IdempotencyRecord::toString)
                    .orElse("missing") + ", acknowledged SUCCEEDED with its response");
                continue;
            }
            final long runs = handlerRuns(db, i);
            if (runs != 1)
            {
                problems.add("the handler of " + DemoStores.paymentKey(i) + " ran " + runs + " times");
            }
            final BeginResult again = idempotency.begin(DemoStores.input(i));
            if (again.decision() != BeginDecision.REPLAY
                || !Arrays.equals(response, again.existing().orElseThrow().responsePayload()))
            {
                problems.add("a new begin of " + DemoStores.paymentKey(i) + " answered " + again.decision()
                    + " where REPLAY of its response belongs");
            }
        }
        add("every acknowledged payment replays and its handler ran once", problems.isEmpty(), problems.isEmpty()
            ? acks.paidCount() + " payments acknowledged: each SUCCEEDED with its response, a new begin of each "
            + "answers REPLAY and does not run the handler, which ran once per payment" : first(problems));
    }

    private void checkEvents(final RunStateStore runState, final int storedCount)
    {
        final List<String> problems = new ArrayList<>();
        for (int i = 0; i < acks.eventRunSeqs().size(); i++)
        {
            final long runSeq = acks.eventRunSeqs().get(i);
            final List<RunEventRecord> at = runState.fetchEvents(DemoStores.EVENT_RUN_ID, runSeq - 1, 1);
            if (at.isEmpty() || at.get(0).runSeq() != runSeq
                || !at.get(0).eventId().equals(DemoStores.eventId(seed, i)))
            {
                problems.add("the event of " + DemoStores.paymentKey(i) + " is not at its runSeq " + runSeq + ": "
                    + (at.isEmpty() ? "nothing there" : at.get(0).eventId() + " at " + at.get(0).runSeq()));
                continue;
            }
            final AppendResult again = runState.appendEvent(DemoStores.event(seed, i));
            if (!again.idempotent() || again.persisted() || again.runSeq() != runSeq)
            {
                problems.add("a re-append of the event of " + DemoStores.paymentKey(i) + " answered " + again
                    + " where idempotent at runSeq " + runSeq + " belongs");
            }
        }
        final int afterCount = events(runState).size();
        if (afterCount != storedCount)
        {
            problems.add("the re-appends changed the run's events: " + storedCount + " before, " + afterCount
                + " after");
        }
        add("every acknowledged run event is at its runSeq", problems.isEmpty(), problems.isEmpty()
            ? acks.eventRunSeqs().size() + " events acknowledged: each at its runSeq, and a re-append of each is "
            + "idempotent with the same runSeq" : first(problems));
    }

    private void checkSettlements(final ServerStateStore payments, final ServerChannelRecord channel)
    {
        final List<String> problems = new ArrayList<>();
        final List<Long> versions = acks.settledVersions();
        final long lastVersion = versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
        for (int i = 0; i < versions.size(); i++)
        {
            final Optional<BatchCommitmentRecord> commitment = payments.loadCommitment(DemoStores.commitmentId(i));
            if (versions.get(i) != i + 1 || commitment.isEmpty() || !commitment.get().chargedCumulativeAmount()
                .equals(Long.toString(DemoStores.charged(seed, i + 1))))
            {
                problems.add("settlement " + DemoStores.commitmentId(i) + ", acknowledged at version "
                    + versions.get(i) + ", is " + commitment.map(BatchCommitmentRecord::toString).orElse("missing"));
            }
        }
        if (channel == null)
        {
            problems.add("the channel " + DemoStores.CHANNEL_ID + " is missing");
        }
        else if (channel.version() < lastVersion)
        {
            problems.add("the channel is at version " + channel.version() + ", settled to " + lastVersion);
        }
        else if (channel.version() == lastVersion && lastVersion > 0
            && !DemoStores.commitmentId((int)lastVersion - 1).equals(channel.lastCommitmentId()))
        {
            problems.add("the channel's last commitment is " + channel.lastCommitmentId() + ", acknowledged "
                + DemoStores.commitmentId((int)lastVersion - 1));
        }
        add("every acknowledged settlement is in the channel", problems.isEmpty(), problems.isEmpty()
            ? versions.size() + " settlements acknowledged, each commitment stored; the channel is at version "
            + channel.version() + (channel.version() == lastVersion ? " (the last acknowledged)"
            : " (the last acknowledged and the one in flight)") + ", charged " + channel.chargedCumulativeAmount()
            : first(problems));
    }

    private void inventedPayments(final Database db, final IdempotencyStore idempotency, final List<String> invented)
    {
        final int end = Math.min(paymentCount, acks.paidCount() + 1 + ABSENT_CHECK_COUNT);
        for (int i = acks.paidCount(); i < end; i++)
        {
            final Optional<IdempotencyRecord> record = idempotency.get(DemoStores.input(i).key());
            final long runs = handlerRuns(db, i);
            final boolean isInFlight = i == acks.paidCount();
            final boolean isInventedRecord = record.isPresent() && !(isInFlight && isInFlightRecord(record.get(), i));
            if (isInventedRecord || runs > (isInFlight ? 1 : 0))
            {
                invented.add(DemoStores.paymentKey(i) + " is " + record.map(IdempotencyRecord::toString)
                    .orElse("absent") + " and its handler ran " + runs + " times; " + acks.paidCount()
                    + " payments acknowledged");
            }
        }
    }

    private boolean isInFlightRecord(final IdempotencyRecord record, final int payment)
    {
        return record.status() == Status.IN_PROGRESS || record.status() == Status.SUCCEEDED
            && Arrays.equals(DemoStores.response(seed, payment), record.responsePayload());
    }

    private void inventedEvents(final List<RunEventRecord> events, final ServerChannelRecord channel,
        final List<String> invented)
    {
        if (events.size() > acks.eventRunSeqs().size() + 1)
        {
            invented.add(events.size() + " run events stored, " + acks.eventRunSeqs().size()
                + " acknowledged and at most one in flight");
        }
        if (channel != null && events.size() > channel.version())
        {
            invented.add(events.size() + " run events stored for " + channel.version() + " settlements");
        }
        for (int i = 0; i < events.size(); i++)
        {
            final RunEventRecord event = events.get(i);
            if (!event.eventId().equals(DemoStores.eventId(seed, i))
                || !DemoStores.paymentKey(i).equals(event.stepId()))
            {
                invented.add("run event " + event.runSeq() + " is " + event.eventId() + " of step " + event.stepId()
                    + " where the event of " + DemoStores.paymentKey(i) + " belongs");
                return;
            }
        }
    }

    private void inventedSettlements(final ServerStateStore payments, final ServerChannelRecord channel,
        final List<String> invented)
    {
        if (channel == null)
        {
            return;
        }
        if (channel.version() > acks.settledVersions().size() + 1)
        {
            invented.add("the channel is at version " + channel.version() + ", " + acks.settledVersions().size()
                + " settlements acknowledged and at most one in flight");
        }
        if (!channel.chargedCumulativeAmount().equals(Long.toString(DemoStores.charged(seed, (int)channel
            .version()))))
        {
            invented.add("the channel charged " + channel.chargedCumulativeAmount() + " at version "
                + channel.version() + ", its settlements sum to " + DemoStores.charged(seed, (int)channel.version()));
        }
        final Optional<BatchCommitmentRecord> beyond = payments.loadCommitment(DemoStores.commitmentId(
            (int)channel.version()));
        if (beyond.isPresent())
        {
            invented.add("a commitment beyond the channel's version " + channel.version() + ": " + beyond.get());
        }
    }

    private List<RunEventRecord> events(final RunStateStore runState)
    {
        final List<RunEventRecord> events = new ArrayList<>();
        // Bounded: the child appends at most one event per payment; the loop stops one page past that.
        while (events.size() <= paymentCount)
        {
            final long afterSeq = events.isEmpty() ? 0 : events.get(events.size() - 1).runSeq();
            final List<RunEventRecord> page = runState.fetchEvents(DemoStores.EVENT_RUN_ID, afterSeq);
            if (page.isEmpty())
            {
                break;
            }
            events.addAll(page);
        }
        return events;
    }

    private long handlerRuns(final Database db, final int payment)
    {
        return db.kv().get(DemoStores.handlerRun(seed), DemoStores.HANDLER_RUNS_PREFIX + DemoStores.paymentKey(
            payment)).map(Value::asLong).orElse(0L);
    }

    private void add(final String name, final boolean isPassed, final String detail)
    {
        checks.add(new DemoChecks.Check(name, isPassed, detail));
    }

    private static String first(final List<String> problems)
    {
        return problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
    }
}
