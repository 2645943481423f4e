/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.internal.Fields;

/** The one rule of a channel transition the store checks before it writes; pure, any thread. */
final class Transitions
{
    private Transitions()
    {
    }

    /**
     * A next state must be of the same channel and advance its version by exactly one.
     *
     * @param field    the field name, for the message.
     * @param previous the state it replaces.
     * @param next     the next state.
     * @throws dev.tally.core.InvalidArgumentException with {@code INVALID_FIELD}.
     */
    static void requireSuccessor(final String field, final ServerChannelRecord previous,
        final ServerChannelRecord next)
    {
        if (!next.channelId().equals(previous.channelId()))
        {
            throw Fields.invalid(field + ".channelId", "must be the same channel: channelId=" + previous.channelId()
                + ", next=" + next.channelId());
        }
        if (next.version() != previous.version() + 1)
        {
            throw Fields.invalid(field + ".version", "must advance by exactly one: version=" + previous.version()
                + ", next=" + next.version());
        }
    }
}
