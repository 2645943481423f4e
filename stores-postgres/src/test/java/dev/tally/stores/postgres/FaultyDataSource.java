/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.postgres;

import dev.tally.stores.kit.HeldStep;
import dev.tally.stores.kit.StoreFaults;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@link StoreFaults} of the PostgreSQL stores: a data source whose connections fail or hold their next
 * {@code commit()}, the durable step of a PostgreSQL store call. BEFORE rolls the transaction back and throws a lost
 * connection (SQLState 08006) at the commit, AFTER commits and then throws it, so the caller cannot tell which happened;
 * a hold blocks the committing thread before the commit until the test releases it. Armed by the test thread; fires
 * on whichever thread commits next.
 */
public final class FaultyDataSource implements DataSource, StoreFaults
{
    private final AtomicReference<Object> armed = new AtomicReference<>();
    private volatile DataSource delegate;

    /**
     * Points this data source at a real one (a new pool after a restart), disarming what was armed.
     *
     * @param value the real data source.
     */
    public void delegate(final DataSource value)
    {
        clear();
        delegate = value;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isSupported()
    {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public void failNext(final Timing timing)
    {
        armed.set(timing);
    }

    /** {@inheritDoc} */
    @Override
    public Hold holdNext()
    {
        final HeldStep hold = new HeldStep();
        armed.set(hold);
        return hold;
    }

    /** {@inheritDoc} */
    @Override
    public void clear()
    {
        final Object previous = armed.getAndSet(null);
        if (previous instanceof HeldStep hold)
        {
            hold.release();
        }
    }

    @Override
    public Connection getConnection() throws SQLException
    {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(final String username, final String password) throws SQLException
    {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(final Connection connection)
    {
        final InvocationHandler handler = (proxy, method, args) ->
        {
            if ("commit".equals(method.getName()) && method.getParameterCount() == 0)
            {
                commit(connection);
                return null;
            }
            return invoke(connection, method, args);
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
            handler);
    }

    private void commit(final Connection connection) throws SQLException
    {
        final Object fault = armed.getAndSet(null);
        if (fault == Timing.BEFORE)
        {
            connection.rollback();
            throw new SQLException("injected commit failure (before)", "08006");
        }
        if (fault instanceof HeldStep hold && hold.hold())
        {
            connection.rollback();
            throw new SQLException("injected commit failure (held, then failed)", "08006");
        }
        connection.commit();
        if (fault == Timing.AFTER)
        {
            throw new SQLException("injected commit failure (after)", "08006");
        }
    }

    private static Object invoke(final Connection connection, final Method method, final Object[] args)
        throws Throwable
    {
        try
        {
            return method.invoke(connection, args);
        }
        catch (final InvocationTargetException ex)
        {
            throw ex.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException
    {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(final PrintWriter out) throws SQLException
    {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(final int seconds) throws SQLException
    {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException
    {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException
    {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(final Class<T> type) throws SQLException
    {
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(final Class<?> type) throws SQLException
    {
        return delegate.isWrapperFor(type);
    }
}
