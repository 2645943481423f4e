/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.pipeline.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JDK Flight Recorder events of the writer for what an operator investigates: forces and segment rolls (the engine
 * records commit conflicts). Cheap when recording is off.
 */
public final class JfrEvents
{
    private JfrEvents()
    {
    }

    /** One force of the log by the writer thread. */
    @Name("dev.tally.Force")
    @Label("Tally Force")
    @Category({"Tally", "WAL"})
    @Description("The writer thread forced the log to the storage device")
    public static final class ForceEvent extends Event
    {
        /** Frames the force covered that were not durable before. */
        @Label("Frames")
        public int frames;

        /** Bytes the force covered that were not durable before. */
        @Label("Bytes")
        @DataAmount
        public long bytes;

        /** The durable position after the force. */
        @Label("Durable Position")
        public long durablePosition;
    }

    /** The log moved to a new segment file. */
    @Name("dev.tally.SegmentRoll")
    @Label("Tally Segment Roll")
    @Category({"Tally", "WAL"})
    @Description("The writer moved to the next segment")
    public static final class SegmentRollEvent extends Event
    {
        /** The base position of the new segment. */
        @Label("Segment Base Position")
        public long segmentBasePosition;
    }
}
