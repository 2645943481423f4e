/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine;

import dev.tally.core.BinaryEncoder;
import dev.tally.core.ErrorCode;
import dev.tally.core.InvalidArgumentException;
import dev.tally.core.Key;
import dev.tally.core.RunId;
import dev.tally.core.Value;
import dev.tally.engine.internal.Engine;
import dev.tally.primitives.RunsPrimitive;

/**
 * Argument checks shared by the primitives' facades: key and value limits, and run existence and state. Run before
 * anything is encoded, so a rejected input writes nothing. Stateless apart from its limits; any thread.
 */
final class Checks
{
    private final Engine engine;
    private final RunsPrimitive runs;

    Checks(final Engine engine, final RunsPrimitive runs)
    {
        this.engine = engine;
        this.runs = runs;
    }

    Key key(final String text)
    {
        final Key key = Key.of(text);
        final int max = engine.config().keyLengthMax();
        if (key.encodedLength() > max)
        {
            throw new InvalidArgumentException(ErrorCode.KEY_TOO_LARGE,
                "key too long: encodedLength=" + key.encodedLength() + ", keyLengthMax=" + max);
        }
        return key;
    }

    Value value(final Value value)
    {
        if (value == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "value must not be null; use Value.NULL");
        }
        final int length = BinaryEncoder.encodedLength(value);
        final int max = engine.config().valueLengthMax();
        if (length > max)
        {
            throw new InvalidArgumentException(ErrorCode.VALUE_TOO_LARGE,
                "value too long: encodedLength=" + length + ", valueLengthMax=" + max);
        }
        return value;
    }

    int textLength(final String what, final int length)
    {
        final int max = engine.config().valueLengthMax();
        if (length > max)
        {
            throw new InvalidArgumentException(ErrorCode.VALUE_TOO_LARGE,
                what + " too long: length=" + length + ", valueLengthMax=" + max);
        }
        return length;
    }

    RunId run(final RunId runId)
    {
        if (runId == null)
        {
            throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "run id must not be null");
        }
        return runId;
    }

    /** For reads: the run must exist. */
    void runExists(final RunId runId)
    {
        engine.checkOpen();
        if (runs.get(run(runId)) == null)
        {
            throw new InvalidArgumentException(ErrorCode.RUN_NOT_FOUND, "run not found: run=" + runId);
        }
    }

    /** For writes that check before they commit (the commit checks again under its lock): the run must be active. */
    void runActive(final RunId runId)
    {
        runs.checkActive(runId);
    }
}
