/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * An optional Micrometer binding of a database's counters ({@link dev.tally.micrometer.TallyMetrics}). The engine
 * never depends on Micrometer; a service that wants the meters adds this module.
 */
package dev.tally.micrometer;
