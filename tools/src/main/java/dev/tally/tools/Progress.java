/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error, drawn only when the process runs on a terminal, so that redirected output and
 * tests see nothing of it. Redraws at most every 100 ms. One thread at a time.
 */
final class Progress implements AutoCloseable
{
    private static final int WIDTH = 40;
    private static final long REDRAW_INTERVAL_NS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean isShown;
    private long lastDrawNs;
    private boolean hasDrawn;

    Progress(final PrintWriter err, final String label, final long total)
    {
        this.err = err;
        this.label = label;
        this.total = Math.max(total, 1);
        this.isShown = System.console() != null && !Boolean.getBoolean("tally.progress.off");
    }

    void update(final long done)
    {
        if (!isShown)
        {
            return;
        }
        final long now = System.nanoTime();
        if (hasDrawn && now - lastDrawNs < REDRAW_INTERVAL_NS)
        {
            return;
        }
        lastDrawNs = now;
        hasDrawn = true;
        final double fraction = Math.min(1.0, (double)done / total);
        final int filled = (int)(fraction * WIDTH);
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%%", label, "#".repeat(filled),
            " ".repeat(WIDTH - filled), (int)(fraction * 100)));
        err.flush();
    }

    @Override
    public void close()
    {
        if (isShown && hasDrawn)
        {
            err.print("\r" + " ".repeat(label.length() + WIDTH + 8) + "\r");
            err.flush();
        }
    }
}
