/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.engine.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JDK Flight Recorder events of the engine for what an operator investigates: commit conflicts (the writer pipeline
 * records forces and segment rolls). Cheap when recording is off.
 */
public final class JfrEvents
{
    private JfrEvents()
    {
    }

    /** A transaction or compare-and-set lost a race. */
    @Name("dev.tally.CommitConflict")
    @Label("Tally Commit Conflict")
    @Category({"Tally", "Engine"})
    @Description("An optimistic commit found that something it read had changed")
    public static final class CommitConflictEvent extends Event
    {
        /** The primitive of the first conflicting item. */
        @Label("Primitive")
        public String primitive;

        /** The number of conflicting items. */
        @Label("Conflicts")
        public int conflicts;
    }
}
