/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.core;

import java.util.Arrays;

/**
 * A stored value: exactly one of the six variants {@link Null}, {@link Bool}, {@link I64}, {@link F64},
 * {@link String} and {@link Bytes}. Values are immutable and safe to share between threads.
 *
 * <p>Equality and hashing are total and deterministic, the same on every JVM: values of different variants are never
 * equal; {@link F64} compares the bit pattern of {@link Double#doubleToLongBits(double)}, so every NaN is the one
 * canonical NaN and equals itself, and {@code -0.0} is distinct from {@code 0.0}. The binary form is
 * {@link ValueCodec}'s.
 */
public sealed interface Value permits Value.Null, Value.Bool, Value.I64, Value.F64, Value.String, Value.Bytes
{
    /** The only {@link Null} value. */
    Null NULL = new Null();
    /** The {@link Bool} true value. */
    Bool TRUE = new Bool(true);
    /** The {@link Bool} false value. */
    Bool FALSE = new Bool(false);

    /**
     * The variant's tag in the binary encoding.
     *
     * @return the tag byte, stable on disk.
     */
    int tag();

    /**
     * The variant's name, as messages print it: {@code null}, {@code bool}, {@code i64}, {@code f64}, {@code string}
     * or {@code bytes}; any thread.
     *
     * @return the name.
     */
    default java.lang.String typeName()
    {
        return switch (tag())
        {
            case Null.TAG -> "null";
            case Bool.TAG -> "bool";
            case I64.TAG -> "i64";
            case F64.TAG -> "f64";
            case String.TAG -> "string";
            default -> "bytes";
        };
    }

    /**
     * Whether this is the null value; any thread.
     *
     * @return {@code true} for {@link #NULL}.
     */
    default boolean isNull()
    {
        return this instanceof Null;
    }

    /**
     * The integer of an {@link I64}; any thread.
     *
     * @return the integer.
     * @throws InvalidArgumentException with {@link ErrorCode#TYPE_MISMATCH} naming the actual type.
     */
    default long asLong()
    {
        if (this instanceof I64 v)
        {
            return v.value();
        }
        throw typeMismatch("i64");
    }

    /**
     * The number of an {@link F64}; any thread. An {@link I64} is not widened: a caller that stored integers reads
     * them with {@link #asLong()}.
     *
     * @return the number.
     * @throws InvalidArgumentException with {@link ErrorCode#TYPE_MISMATCH} naming the actual type.
     */
    default double asDouble()
    {
        if (this instanceof F64 v)
        {
            return v.value();
        }
        throw typeMismatch("f64");
    }

    /**
     * The text of a {@link String}; any thread.
     *
     * @return the text.
     * @throws InvalidArgumentException with {@link ErrorCode#TYPE_MISMATCH} naming the actual type.
     */
    default java.lang.String asString()
    {
        if (this instanceof String v)
        {
            return v.value();
        }
        throw typeMismatch("string");
    }

    /**
     * A copy of the bytes of a {@link Bytes}; any thread.
     *
     * @return the bytes, a fresh array.
     * @throws InvalidArgumentException with {@link ErrorCode#TYPE_MISMATCH} naming the actual type.
     */
    default byte[] asBytes()
    {
        if (this instanceof Bytes v)
        {
            return v.value();
        }
        throw typeMismatch("bytes");
    }

    /**
     * The boolean of a {@link Bool}; any thread.
     *
     * @return the boolean.
     * @throws InvalidArgumentException with {@link ErrorCode#TYPE_MISMATCH} naming the actual type.
     */
    default boolean asBoolean()
    {
        if (this instanceof Bool v)
        {
            return v.value();
        }
        throw typeMismatch("bool");
    }

    private InvalidArgumentException typeMismatch(final java.lang.String expected)
    {
        return new InvalidArgumentException(ErrorCode.TYPE_MISMATCH,
            "value has another type: expected=" + expected + ", actual=" + typeName());
    }

    /**
     * Makes a boolean value; any thread.
     *
     * @param value the boolean.
     * @return {@link #TRUE} or {@link #FALSE}.
     */
    static Bool of(final boolean value)
    {
        return value ? TRUE : FALSE;
    }

    /**
     * Makes a 64-bit integer value; any thread.
     *
     * @param value the integer.
     * @return the value.
     */
    static I64 of(final long value)
    {
        return new I64(value);
    }

    /**
     * Makes a 64-bit floating point value; any thread.
     *
     * @param value the number; every NaN becomes the canonical NaN.
     * @return the value.
     */
    static F64 of(final double value)
    {
        return new F64(value);
    }

    /**
     * Makes a string value; any thread.
     *
     * @param value the text, which must be well-formed UTF-16 (no lone surrogate).
     * @return the value.
     */
    static String of(final java.lang.String value)
    {
        return new String(value);
    }

    /**
     * Makes a bytes value from a copy of the array; any thread.
     *
     * @param value the bytes; copied.
     * @return the value.
     */
    static Bytes of(final byte[] value)
    {
        return new Bytes(value, true);
    }

    /** The null value; use {@link Value#NULL}. */
    final class Null implements Value
    {
        /** Tag of the variant in the binary encoding. */
        public static final int TAG = 0;

        private Null()
        {
        }

        /** {@inheritDoc} */
        @Override
        public int tag()
        {
            return TAG;
        }

        /** {@inheritDoc} */
        @Override
        public boolean equals(final Object obj)
        {
            return obj instanceof Null;
        }

        /** {@inheritDoc} */
        @Override
        public int hashCode()
        {
            return 0x6e756c6c;
        }

        /** {@inheritDoc} */
        @Override
        public java.lang.String toString()
        {
            return "Null";
        }
    }

    /**
     * A boolean.
     *
     * @param value the boolean.
     */
    record Bool(boolean value) implements Value
    {
        /** Tag of the variant in the binary encoding. */
        public static final int TAG = 1;

        /** {@inheritDoc} */
        @Override
        public int tag()
        {
            return TAG;
        }
    }

    /**
     * A signed 64-bit integer.
     *
     * @param value the integer.
     */
    record I64(long value) implements Value
    {
        /** Tag of the variant in the binary encoding. */
        public static final int TAG = 2;

        /** {@inheritDoc} */
        @Override
        public int tag()
        {
            return TAG;
        }
    }

    /**
     * A 64-bit IEEE 754 number. Equality compares {@link Double#doubleToLongBits(double)}: one NaN, and
     * {@code -0.0 != 0.0}.
     *
     * @param value the number.
     */
    record F64(double value) implements Value
    {
        /** Tag of the variant in the binary encoding. */
        public static final int TAG = 3;

        /**
         * Makes the number, replacing every NaN by the canonical {@link Double#NaN}; any thread.
         *
         * @param value the number.
         */
        public F64
        {
            if (Double.isNaN(value))
            {
                value = Double.NaN;
            }
        }

        /** {@inheritDoc} */
        @Override
        public int tag()
        {
            return TAG;
        }

        /** {@inheritDoc} */
        @Override
        public boolean equals(final Object obj)
        {
            return obj instanceof F64 && Double.doubleToLongBits(value) == Double.doubleToLongBits(((F64)obj).value);
        }

        /** {@inheritDoc} */
        @Override
        public int hashCode()
        {
            return Long.hashCode(Double.doubleToLongBits(value));
        }
    }

    /**
     * A text. The text must be well-formed UTF-16, because it is stored as strict UTF-8.
     *
     * @param value the text.
     */
    record String(java.lang.String value) implements Value
    {
        /** Tag of the variant in the binary encoding. */
        public static final int TAG = 4;

        /**
         * Validates the text; any thread.
         *
         * @param value the text, not {@code null}, with no lone surrogate.
         */
        public String
        {
            if (value == null)
            {
                throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "string value must not be null");
            }
            if (!Utf8.isWellFormed(value))
            {
                throw new InvalidArgumentException(
                    ErrorCode.INVALID_ARGUMENT, "string value is not well-formed UTF-16 (lone surrogate)");
            }
        }

        /** {@inheritDoc} */
        @Override
        public int tag()
        {
            return TAG;
        }
    }

    /** An immutable byte string; equality compares contents. */
    final class Bytes implements Value
    {
        /** Tag of the variant in the binary encoding. */
        public static final int TAG = 5;

        private final byte[] value;

        private Bytes(final byte[] value, final boolean copy)
        {
            if (value == null)
            {
                throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "bytes value must not be null");
            }
            this.value = copy ? value.clone() : value;
        }

        /** Takes an array nobody else holds (a decoder's fresh copy) without copying it again. */
        static Bytes wrap(final byte[] owned)
        {
            return new Bytes(owned, false);
        }

        /**
         * A copy of the bytes; any thread.
         *
         * @return a new array.
         */
        public byte[] value()
        {
            return value.clone();
        }

        /**
         * The number of bytes.
         *
         * @return the length.
         */
        public int length()
        {
            return value.length;
        }

        byte[] array()
        {
            return value;
        }

        /** {@inheritDoc} */
        @Override
        public int tag()
        {
            return TAG;
        }

        /** {@inheritDoc} */
        @Override
        public boolean equals(final Object obj)
        {
            return obj instanceof Bytes && Arrays.equals(value, ((Bytes)obj).value);
        }

        /** {@inheritDoc} */
        @Override
        public int hashCode()
        {
            return Arrays.hashCode(value);
        }

        /** {@inheritDoc} */
        @Override
        public java.lang.String toString()
        {
            return "Bytes[length=" + value.length + "]";
        }
    }
}
