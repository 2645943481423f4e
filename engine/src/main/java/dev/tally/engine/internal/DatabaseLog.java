/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import dev.tally.core.TallyException;
import dev.tally.recovery.RecoveryAction;
import dev.tally.recovery.RecoveryResult;
import dev.tally.recovery.RejectedSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The lines a database logs when it opens and closes, through SLF4J (logger {@code dev.tally.engine.Database}): one
 * INFO line per open and per close, and a WARN line for each thing recovery tolerated (a rejected snapshot, a cut
 * corrupt tail, a read-only open). Messages use the {@code name=value} form. Opening and closing thread only.
 *
 * <p>Design note: the engine logs only what an operator acts on or is asked about afterwards: lifecycle, tolerated
 * damage, background failures and fail-stop. Nothing is logged per append or commit.
 */
public final class DatabaseLog
{
    private static final Logger LOG = LoggerFactory.getLogger("dev.tally.engine.Database");

    private DatabaseLog()
    {
    }

    /**
     * Logs a finished open: the WARN lines for what recovery tolerated, then the INFO line.
     *
     * @param config     the engine's configuration.
     * @param recovery   what recovery did, or {@code null} in InMemory mode.
     * @param durationNs how long the open took.
     */
    public static void opened(final EngineConfig config, final RecoveryResult recovery, final long durationNs)
    {
        if (recovery == null)
        {
            LOG.info("database opened: mode={}, durationMs={}", modeName(config), millis(durationNs));
            return;
        }
        warnTolerated(config, recovery);
        if (LOG.isInfoEnabled())
        {
            LOG.info("database opened: directory={}, mode={}, recoveryCase={}, action={}, policy={}, readOnly={}, "
                + "snapshot={}, framesApplied={}, bytesCut={}, endPosition={}, durationMs={}", config.directory(),
                modeName(config), recovery.recoveryCase(), recovery.recoveryCase().action(), recovery.policy(),
                recovery.readOnly(), recovery.snapshotFileName(), recovery.framesApplied(), recovery.bytesCut(),
                recovery.endPosition(), millis(durationNs));
        }
    }

    private static void warnTolerated(final EngineConfig config, final RecoveryResult recovery)
    {
        for (final RejectedSnapshot rejected : recovery.rejectedSnapshots())
        {
            LOG.warn("snapshot rejected at open, recovering from an older one or the log: directory={}, file={}, "
                + "walPosition={}, reason={}", config.directory(), rejected.fileName(), rejected.walPosition(),
                rejected.reason());
        }
        final RecoveryAction action = recovery.recoveryCase().action();
        if (action == RecoveryAction.CUT_AND_OPEN)
        {
            LOG.warn("corrupt log tail tolerated and cut: directory={}, recoveryCase={}, policy={}, cutPosition={}, "
                + "bytesCut={}, damage={}", config.directory(), recovery.recoveryCase(), recovery.policy(),
                recovery.cutPosition(), recovery.bytesCut(), recovery.damage());
        }
        else if (action == RecoveryAction.OPEN_READ_ONLY)
        {
            LOG.warn("database opened read-only on the recovered prefix: directory={}, recoveryCase={}, "
                + "firstBadPosition={}, endPosition={}, damage={}", config.directory(), recovery.recoveryCase(),
                recovery.firstBadPosition(), recovery.endPosition(), recovery.damage());
        }
    }

    /**
     * Logs a finished close at INFO, whether or not it failed.
     *
     * @param config          the engine's configuration.
     * @param durablePosition the durable position at close, or -1 in InMemory mode.
     * @param durationNs      how long the close took.
     * @param failure         what made the close throw, or {@code null}.
     */
    public static void closed(final EngineConfig config, final long durablePosition, final long durationNs,
        final TallyException failure)
    {
        if (!LOG.isInfoEnabled())
        {
            return;
        }
        if (config.directory() == null)
        {
            LOG.info("database closed: mode={}, durationMs={}", modeName(config), millis(durationNs));
        }
        else if (failure == null)
        {
            LOG.info("database closed: directory={}, mode={}, durablePosition={}, durationMs={}", config.directory(),
                modeName(config), durablePosition, millis(durationNs));
        }
        else
        {
            LOG.info("database closed with a failure: directory={}, mode={}, durablePosition={}, durationMs={}, "
                + "failure={}", config.directory(), modeName(config), durablePosition, millis(durationNs),
                failure.getMessage());
        }
    }

    private static String modeName(final EngineConfig config)
    {
        return config.mode().name();
    }

    private static long millis(final long durationNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(durationNs);
    }
}
