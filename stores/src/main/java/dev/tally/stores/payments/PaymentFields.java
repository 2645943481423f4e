/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.stores.payments;

import dev.tally.stores.internal.Fields;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The checks and limits of the payment records, shared by every record's constructor; pure, any thread. Ids are
 * bounded text, digests are SHA-256 in lower-case hex, amounts are canonical decimal strings.
 */
final class PaymentFields
{
    /** The longest id (transaction, channel, commitment, attempt, payment identifier, scope), in characters. */
    static final int ID_LENGTH_MAX = 256;
    /** The longest stored response or prepared transaction, in bytes. */
    static final int BYTES_LENGTH_MAX = 256 * 1024;
    /** The longest opaque channel evidence, in bytes. */
    static final int DETAILS_LENGTH_MAX = 64 * 1024;
    /** The most digits of an amount: enough for any unsigned 256-bit integer. */
    static final int AMOUNT_DIGITS_MAX = 78;

    private static final Pattern AMOUNT = Pattern.compile("0|[1-9][0-9]*");

    private PaymentFields()
    {
    }

    static String id(final String field, final String value)
    {
        return Fields.bounded(field, value, ID_LENGTH_MAX);
    }

    static String optionalId(final String field, final String value)
    {
        return value == null ? null : id(field, value);
    }

    static String digest(final String field, final String value)
    {
        return Fields.sha256Hex(field, value);
    }

    static String amount(final String field, final String value)
    {
        Fields.required(field, value);
        if (value.length() > AMOUNT_DIGITS_MAX || !AMOUNT.matcher(value).matches())
        {
            throw Fields.invalid(field, "not a non-negative integer in canonical decimal form of at most "
                + AMOUNT_DIGITS_MAX + " digits: value=" + value);
        }
        return value;
    }

    static byte[] bytes(final String field, final byte[] value, final int lengthMax)
    {
        Fields.requiredObject(field, value);
        if (value.length > lengthMax)
        {
            throw Fields.invalid(field, "longer than " + lengthMax + " bytes: length=" + value.length);
        }
        return value.clone();
    }

    static byte[] optionalBytes(final String field, final byte[] value, final int lengthMax)
    {
        return value == null ? new byte[0] : bytes(field, value, lengthMax);
    }

    static long nonNegative(final String field, final long value)
    {
        if (value < 0)
        {
            throw Fields.invalid(field, "must not be negative: value=" + value);
        }
        return value;
    }

    static String hex(final byte[] value)
    {
        return value.length <= 32 ? java.util.HexFormat.of().formatHex(value)
            : java.util.HexFormat.of().formatHex(Arrays.copyOf(value, 32)) + "...(" + value.length + " bytes)";
    }
}
