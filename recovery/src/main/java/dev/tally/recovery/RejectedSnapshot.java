/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.recovery;

/**
 * A snapshot recovery did not use, and why. Immutable.
 *
 * @param fileName    the snapshot file name.
 * @param walPosition the position its name claims.
 * @param reason      why it was rejected.
 */
public record RejectedSnapshot(String fileName, long walPosition, String reason)
{
}
