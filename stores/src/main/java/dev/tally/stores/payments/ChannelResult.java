/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

/** The outcome of {@link ServerStateStore#openChannel}. Immutable; any thread. */
public sealed interface ChannelResult
{
    /**
     * The stored channel: the one just created, or the one that already existed.
     *
     * @return the channel.
     */
    ServerChannelRecord channel();

    /**
     * The channel was absent and is stored now.
     *
     * @param channel the stored channel.
     */
    record Created(ServerChannelRecord channel) implements ChannelResult
    {
    }

    /**
     * A channel with this id exists; nothing was written and the stored one (which may differ from the one given)
     * is durable.
     *
     * @param channel the stored channel.
     */
    record Exists(ServerChannelRecord channel) implements ChannelResult
    {
    }
}
