/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.BinaryDecoder;
import dev.tally.core.BinaryEncoder;
import dev.tally.core.RunId;
import dev.tally.core.WalEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Helpers shared by the primitives' snapshot sections and entry bodies. Stateless; any thread.
 */
final class Sections
{
    private Sections()
    {
    }

    static List<RunId> sortedRuns(final Map<RunId, ?> byRun)
    {
        final List<RunId> runs = new ArrayList<>(byRun.keySet());
        runs.sort(null);
        return runs;
    }

    static void writeRunId(final BinaryEncoder encoder, final RunId runId)
    {
        encoder.writeUuid(runId.uuid());
    }

    static RunId readRunId(final BinaryDecoder decoder)
    {
        return new RunId(decoder.readUuid());
    }

    static BinaryDecoder body(final WalEntry entry)
    {
        return new BinaryDecoder(entry.payload());
    }
}
