/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.tests.integration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine loads on the module path: its jar and those of its runtime dependencies are resolved as modules in a
 * fresh layer (Tally's jars by their {@code Automatic-Module-Name}), and a database opened through that layer works.
 * Needs the packaged jars, so it runs when the build reached the package phase (as {@code mvn verify} does) and is
 * skipped when the class path holds class directories instead.
 */
@Timeout(60)
class ModulePathTest
{
    private static final Pattern RUNTIME_JAR = Pattern.compile(
        "(tally-(core|wal|snapshot|recovery|replay|primitives|pipeline|engine)-[^/]*(?<!-tests)\\.jar"
            + "|disruptor-[^/]*\\.jar|jakarta\\.json-api-[^/]*\\.jar|parsson-[^/]*\\.jar|slf4j-api-[^/]*\\.jar)$");
    private static final Set<String> TALLY_MODULES = Set.of("dev.tally.core", "dev.tally.wal", "dev.tally.snapshot",
        "dev.tally.recovery", "dev.tally.replay", "dev.tally.primitives", "dev.tally.pipeline", "dev.tally.engine");

    @Test
    void shouldOpenADatabaseWhenTheEngineIsLoadedOnTheModulePath() throws Exception
    {
        final List<Path> jars = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (RUNTIME_JAR.matcher(entry.replace(File.separatorChar, '/')).find())
            {
                jars.add(Path.of(entry));
            }
        }
        Assumptions.assumeTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("tally-engine-")),
            "the engine is on the class path as a directory, not a jar: run through mvn verify");
        final ModuleFinder finder = ModuleFinder.of(jars.toArray(new Path[0]));
        final Set<String> names = finder.findAll().stream().map(ModuleReference::descriptor)
            .map(d -> d.name()).collect(Collectors.toSet());
        assertTrue(names.containsAll(TALLY_MODULES), "every Tally jar has its module name: " + names);

        final ModuleLayer boot = ModuleLayer.boot();
        final Configuration config = boot.configuration().resolve(finder, ModuleFinder.of(), names);
        final ModuleLayer layer = boot.defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
        final Class<?> database = layer.findLoader("dev.tally.engine").loadClass("dev.tally.engine.Database");
        assertEquals("dev.tally.engine", database.getModule().getName());
        assertTrue(database.getModule().isNamed());

        final Object db = database.getMethod("openInMemory").invoke(null);
        try
        {
            final Class<?> runId = layer.findLoader("dev.tally.core").loadClass("dev.tally.core.RunId");
            final Object run = runId.getMethod("random").invoke(null);
            database.getMethod("beginRun", runId).invoke(db, run);
            final Method stateHash = database.getMethod("stateHash");
            assertEquals(64, ((String)stateHash.invoke(db)).length(), "the database works through the layer");
        }
        finally
        {
            ((AutoCloseable)db).close();
        }
    }
}
