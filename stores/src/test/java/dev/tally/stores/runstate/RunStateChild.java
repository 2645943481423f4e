/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.runstate;

import dev.tally.engine.Database;
import dev.tally.stores.kit.RunEventsFixture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The child JVM of {@link EmbeddedRunStateStoreCrashTest}: appends events to three runs of an embedded store on a
 * Strict database until it is killed, singly and in batches of three, and prints {@code ready} once, then
 * {@code ack <runId> <eventId> <runSeq>} for each event after its call returned. Arguments: directory, round, seed.
 */
public final class RunStateChild
{
    private RunStateChild()
    {
    }

    /**
     * The event id the child gives event {@code index} of a round; the test checks every stored event against it.
     *
     * @param seed  the seed.
     * @param round the round.
     * @param index the event's index in the round.
     * @return the event id.
     */
    static String eventId(final long seed, final int round, final int index)
    {
        return new UUID(seed ^ round, index).toString();
    }

    static String stepId(final int round, final int index)
    {
        return "r" + round + "-" + index;
    }

    /**
     * Runs the workload until killed.
     *
     * @param args directory, round, seed.
     */
    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final int round = Integer.parseInt(args[1]);
        final long seed = Long.parseLong(args[2]);
        final Database db = Database.open(dir);
        final RunStateStore store = EmbeddedRunStateStore.builder(db).open();
        // Loads and warms the append path before the test's clock starts, so that every round acknowledges events.
        store.appendEvent(RunEventsFixture.write("warm-up", "round-" + round, "StepStarted", 1));
        store.fetchEvents("warm-up", 0);
        System.out.println("ready");
        System.out.flush();
        int index = 0;
        for (int call = 0; call < 1_000_000; call++)
        {
            final String runId = "run-" + (call % 3);
            final List<RunEventWrite> batch = new ArrayList<>();
            final int count = call % 4 == 3 ? 3 : 1;
            for (int i = 0; i < count; i++, index++)
            {
                batch.add(RunEventsFixture.builder(runId, stepId(round, index), "StepStarted", 1)
                    .eventId(eventId(seed, round, index)).build());
            }
            final List<AppendResult> results = count == 1 ? List.of(store.appendEvent(batch.get(0)))
                : store.appendEvents(runId, batch);
            final StringBuilder out = new StringBuilder();
            for (final AppendResult result : results)
            {
                out.append("ack ").append(runId).append(' ').append(result.eventId()).append(' ')
                    .append(result.runSeq()).append('\n');
            }
            System.out.print(out);
            System.out.flush();
        }
    }
}
