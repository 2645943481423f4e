/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

import java.util.List;

/**
 * What one recovery did: the case of the decision table it took, the snapshot used and why others were rejected,
 * frames and transactions applied, what was cut and where, the first bad position, and how long it took. Immutable.
 *
 * @param recoveryCase          the decision-table case taken.
 * @param policy                the policy in force.
 * @param readOnly              whether the database opened read-only.
 * @param snapshotFileName      the snapshot loaded, or {@code null}.
 * @param snapshotPosition      the position the snapshot covers, or 0.
 * @param rejectedSnapshots     newer snapshots that were not used, with reasons.
 * @param walStartPosition      where the log scan started.
 * @param endPosition           where the log ends after recovery (the writer continues here).
 * @param framesApplied         frames applied from the log.
 * @param transactionsApplied   committed transactions applied from the log.
 * @param transactionsDiscarded transactions found incomplete and discarded (0: a transaction is one frame, so an
 *                              incomplete one is part of the cut bytes).
 * @param bytesCut              bytes of torn or tolerated tail removed.
 * @param cutPosition           where bytes were cut, or -1.
 * @param firstBadPosition      the first damaged position, or -1.
 * @param damage                a description of the damage, or the empty string.
 * @param durationNs            how long recovery took.
 */
public record RecoveryResult(
    RecoveryCase recoveryCase,
    RecoveryPolicy policy,
    boolean readOnly,
    String snapshotFileName,
    long snapshotPosition,
    List<RejectedSnapshot> rejectedSnapshots,
    long walStartPosition,
    long endPosition,
    long framesApplied,
    long transactionsApplied,
    long transactionsDiscarded,
    long bytesCut,
    long cutPosition,
    long firstBadPosition,
    String damage,
    long durationNs)
{
    /**
     * The result as a JSON object, for logs and tools; any thread.
     *
     * @return compact JSON text.
     */
    public String toJson()
    {
        final StringBuilder out = new StringBuilder(256);
        out.append('{');
        field(out, "case", recoveryCase.name()).append(',');
        field(out, "action", recoveryCase.action().name()).append(',');
        field(out, "policy", policy.name()).append(',');
        out.append("\"readOnly\":").append(readOnly).append(',');
        out.append("\"snapshot\":");
        if (snapshotFileName == null)
        {
            out.append("null");
        }
        else
        {
            string(out, snapshotFileName);
        }
        out.append(",\"snapshotPosition\":").append(snapshotPosition);
        out.append(",\"rejectedSnapshots\":[");
        for (int i = 0; i < rejectedSnapshots.size(); i++)
        {
            final RejectedSnapshot rejected = rejectedSnapshots.get(i);
            out.append(i == 0 ? "{" : ",{");
            field(out, "file", rejected.fileName()).append(",\"walPosition\":").append(rejected.walPosition())
                .append(',');
            field(out, "reason", rejected.reason()).append('}');
        }
        out.append("],\"walStartPosition\":").append(walStartPosition)
            .append(",\"endPosition\":").append(endPosition)
            .append(",\"framesApplied\":").append(framesApplied)
            .append(",\"transactionsApplied\":").append(transactionsApplied)
            .append(",\"transactionsDiscarded\":").append(transactionsDiscarded)
            .append(",\"bytesCut\":").append(bytesCut)
            .append(",\"cutPosition\":").append(cutPosition)
            .append(",\"firstBadPosition\":").append(firstBadPosition).append(',');
        field(out, "damage", damage);
        out.append(",\"durationNs\":").append(durationNs).append('}');
        return out.toString();
    }

    private static StringBuilder field(final StringBuilder out, final String name, final String value)
    {
        string(out, name);
        out.append(':');
        return string(out, value);
    }

    private static StringBuilder string(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append("\\u").append(String.format(java.util.Locale.ROOT, "%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('"');
    }
}
