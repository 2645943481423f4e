/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tools;

import picocli.CommandLine.Option;

/** The options every command takes; filled by picocli on the command's thread. */
final class CommonOptions
{
    @Option(names = "--json", description = "Print the result as one JSON document instead of text.")
    boolean isJson;

    @Option(names = "--verbose", description = "Print the stack trace of an error.")
    boolean isVerbose;
}
