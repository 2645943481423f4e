/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-scope SLF4J backend that keeps every line at every level in memory, so tests can assert what the engine
 * logs. Registered through {@code META-INF/services}; any thread may log, tests read {@link #lines()}.
 */
public final class CapturingLogProvider implements SLF4JServiceProvider
{
    private static final List<Line> LINES = new CopyOnWriteArrayList<>();

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final ILoggerFactory loggers = CapturingLogger::new;

    /**
     * One logged line.
     *
     * @param level   the level.
     * @param logger  the logger name.
     * @param message the formatted message.
     * @param cause   the throwable logged with it, or {@code null}.
     */
    public record Line(Level level, String logger, String message, Throwable cause)
    {
        @Override
        public String toString()
        {
            return level + " " + logger + " " + message + (cause == null ? "" : " cause=" + cause);
        }
    }

    /**
     * Every line logged since the JVM started.
     *
     * @return the lines, oldest first.
     */
    public static List<Line> lines()
    {
        return List.copyOf(LINES);
    }

    @Override
    public ILoggerFactory getLoggerFactory()
    {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory()
    {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter()
    {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion()
    {
        return "2.0.99";
    }

    @Override
    public void initialize()
    {
    }

    private static final class CapturingLogger extends LegacyAbstractLogger
    {
        private static final long serialVersionUID = 1L;

        CapturingLogger(final String name)
        {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled()
        {
            return true;
        }

        @Override
        public boolean isDebugEnabled()
        {
            return true;
        }

        @Override
        public boolean isInfoEnabled()
        {
            return true;
        }

        @Override
        public boolean isWarnEnabled()
        {
            return true;
        }

        @Override
        public boolean isErrorEnabled()
        {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName()
        {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(final Level level, final Marker marker, final String pattern,
            final Object[] arguments, final Throwable cause)
        {
            LINES.add(new Line(level, name, MessageFormatter.basicArrayFormat(pattern, arguments), cause));
        }
    }
}
